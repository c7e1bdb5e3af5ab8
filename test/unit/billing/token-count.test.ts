/**
 * Prompt counting is bounded work (no text reaches the tokenizer in a run longer than EXACT_RUN_MAX_CHARS, and no
 * counting step gives it more than EXACT_COUNT_MAX_CHARS), and the bound it answers with is never below the
 * exact o200k count, so holds sized on it never shrink below what is needed.
 */
import fc from 'fast-check';
import { countTokens as exactO200kTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it, vi } from 'vitest';
import { countChatPromptTokens, countTokens, EXACT_COUNT_MAX_CHARS, EXACT_RUN_MAX_CHARS, TokenCounter } from '../../../src/billing/token-count.js';
import type { ChatRequest } from '../../../src/providers/openai/chat-types.js';

const plain = { disallowedSpecial: new Set<string>() };
const exact = (text: string) => exactO200kTokens(text, plain);

vi.mock('gpt-tokenizer/encoding/o200k_base', async (importOriginal) => {
  const original = await importOriginal<typeof import('gpt-tokenizer/encoding/o200k_base')>();
  return { ...original, countTokens: vi.fn(original.countTokens) };
});

/** Every text the tokenizer was given since the last reset. */
async function tokenizerInputs(): Promise<string[]> {
  const mod = await import('gpt-tokenizer/encoding/o200k_base');
  return vi.mocked(mod.countTokens).mock.calls.map((call) => String(call[0]));
}

async function resetTokenizerCalls(): Promise<void> {
  const mod = await import('gpt-tokenizer/encoding/o200k_base');
  vi.mocked(mod.countTokens).mockClear();
}

const longestRun = (text: string) => Math.max(0, ...(text.match(/\s+|\S+/g) ?? []).map((run) => run.length));

describe('bounded token counting', () => {
  it('never hands the tokenizer a run of EXACT_RUN_MAX_CHARS characters or more', async () => {
    await resetTokenizerCalls();
    const text = `Hello ${'a'.repeat(200_000)} world ${'汉'.repeat(5_000)}${' '.repeat(10_000)}!`;
    const counted = countTokens(text);
    const inputs = await tokenizerInputs();
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) expect(longestRun(input)).toBeLessThan(EXACT_RUN_MAX_CHARS);
    // The long runs count by their bytes: 200,000 + 15,000 + 10,000.
    expect(counted).toBeGreaterThanOrEqual(225_000);
  });

  it('hands the tokenizer at most EXACT_COUNT_MAX_CHARS characters per counting step, however the text is split', async () => {
    await resetTokenizerCalls();
    const words = Array.from({ length: 40_000 }, (_, i) => `w${i.toString(36)}`).join(' ');
    const request: ChatRequest = {
      model: 'm',
      messages: Array.from({ length: 8 }, () => ({ role: 'user' as const, content: words })),
    };
    countChatPromptTokens(request);
    const given = (await tokenizerInputs()).reduce((sum, input) => sum + input.length, 0);
    expect(given).toBeLessThanOrEqual(EXACT_COUNT_MAX_CHARS);
  });

  it('is an upper bound of the exact count for text built of runs of any kind and length', () => {
    const run = fc.oneof(
      fc.tuple(fc.constantFrom('a', 'Z', '汉', '!', '7', ' ', '\n', 'é', '😀'), fc.integer({ min: 1, max: 700 })).map(([c, n]) => c.repeat(n)),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(run, { maxLength: 12 }), fc.integer({ min: 0, max: 2_000 }), (runs, allowance) => {
        const text = runs.join('');
        expect(new TokenCounter(allowance).count(text)).toBeGreaterThanOrEqual(exact(text));
      }),
      { numRuns: 150, seed: 9 },
    );
  });

  it('counts ordinary text exactly', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
    expect(countTokens(text)).toBe(exact(text));
  });
});
