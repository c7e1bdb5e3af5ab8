import { describe, expect, it } from 'vitest';
import {
  ANTHROPIC_REASONING_FORMAT,
  fromAnthropicThinkingBlocks,
  toAnthropicThinkingBlocks,
  type SignedThinkingBlock,
} from '../../../../src/providers/openai/reasoning-details.js';

describe('signed-thinking codec', () => {
  const signed: SignedThinkingBlock[] = [
    { type: 'thinking', thinking: 'Check the weather tool.', signature: 'EqQBsig' },
    { type: 'redacted_thinking', data: 'EmwKRedacted' },
    { type: 'thinking', thinking: '', signature: 'EqQBempty' },
  ];

  it('writes blocks as reasoning_details in block order', () => {
    expect(fromAnthropicThinkingBlocks(signed)).toEqual([
      { type: 'reasoning.text', text: 'Check the weather tool.', signature: 'EqQBsig', format: ANTHROPIC_REASONING_FORMAT, index: 0 },
      { type: 'reasoning.encrypted', data: 'EmwKRedacted', format: ANTHROPIC_REASONING_FORMAT, index: 1 },
      { type: 'reasoning.text', text: '', signature: 'EqQBempty', format: ANTHROPIC_REASONING_FORMAT, index: 2 },
    ]);
  });

  it('reads back exactly the blocks it wrote, without warnings', () => {
    expect(toAnthropicThinkingBlocks(fromAnthropicThinkingBlocks(signed), 'messages[1].reasoning_details')).toEqual({ blocks: signed, warnings: [] });
  });

  it('writes an unsigned block with a null signature and leaves it out on the way back, with a warning', () => {
    const details = fromAnthropicThinkingBlocks([{ type: 'thinking', thinking: 'Unsigned.' }, { type: 'thinking', thinking: 'Also.', signature: null }]);
    expect(details.map((detail) => detail.type === 'reasoning.text' && detail.signature)).toEqual([null, null]);
    expect(toAnthropicThinkingBlocks(details, 'messages[1].reasoning_details')).toEqual({
      blocks: [],
      warnings: [{ param: 'messages[1].reasoning_details', message: '2 reasoning detail(s) without an Anthropic signature were not sent upstream.' }],
    });
  });

  it("skips other providers' entries with a warning and summaries silently, keeping extra fields out of the blocks", () => {
    const restored = toAnthropicThinkingBlocks(
      [
        { type: 'reasoning.encrypted', data: 'gemini-sig', format: 'google-gemini-v1', id: 'call_1' },
        { type: 'reasoning.summary', summary: 'Thought about it.', format: 'openai-responses-v1' },
        { type: 'reasoning.text', text: 'Kept.', signature: 'sig', format: 'anthropic-claude-v1', index: 0, id: 'x' },
        { type: 'reasoning.encrypted', data: 'no-format' },
      ],
      'reasoning_details',
    );
    expect(restored).toEqual({
      blocks: [
        { type: 'thinking', thinking: 'Kept.', signature: 'sig' },
        { type: 'redacted_thinking', data: 'no-format' },
      ],
      warnings: [{ param: 'reasoning_details', message: '1 reasoning detail(s) without an Anthropic signature were not sent upstream.' }],
    });
  });

  it.each([[undefined], [null]])('reads %s as no blocks', (value) => {
    expect(toAnthropicThinkingBlocks(value, 'reasoning_details')).toEqual({ blocks: [], warnings: [] });
  });

  it.each([['a string', 'sig'], ['an object', { type: 'reasoning.text' }], ['a list with a non-object', [null]], ['an entry without type', [{ text: 'x' }]]])(
    'refuses %s as the client’s mistake, naming the field',
    (_name, value) => {
      expect(() => toAnthropicThinkingBlocks(value, 'messages[3].reasoning_details')).toThrow(
        expect.objectContaining({ code: 'invalid_request', param: 'messages[3].reasoning_details' }),
      );
    },
  );
});
