import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '../../../src/catalog/schema.js';
import { chatOutputLimit, estimateChatHold, estimateUsageFromText, worstCaseChatUsage } from '../../../src/billing/hold-estimate.js';
import { parseMultiplier } from '../../../src/billing/multiplier.js';
import { priceUsage } from '../../../src/billing/price.js';
import {
  countChatPromptTokens,
  countTokens,
  EXACT_COUNT_MAX_CHARS,
  IMAGE_TOKEN_ALLOWANCE,
  MESSAGE_OVERHEAD_TOKENS,
  REPLY_PRIMING_TOKENS,
} from '../../../src/billing/token-count.js';
import type { ChatRequest } from '../../../src/providers/openai/chat-types.js';
import { testChatModel } from '../../support/test-models.js';

const model = testChatModel;

const ask = (content: ChatRequest['messages'][number]['content'], extra: Partial<ChatRequest> = {}): ChatRequest =>
  ({ model: 'openai/gpt-test', messages: [{ role: 'user', content }], ...extra }) as ChatRequest;

describe('countTokens', () => {
  it('counts with the o200k tokenizer', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('Hello world')).toBe(2);
    expect(countTokens('Hello world, how are you?')).toBe(7);
  });

  it('treats special-token markers in user text as plain text', () => {
    expect(countTokens('a <|endoftext|> b')).toBeGreaterThan(3);
  });

  it('falls back to the UTF-8 byte length (an upper bound) for very long text', () => {
    const text = 'é'.repeat(EXACT_COUNT_MAX_CHARS + 1);
    expect(countTokens(text)).toBe(2 * (EXACT_COUNT_MAX_CHARS + 1));
  });
});

describe('countChatPromptTokens', () => {
  const framing = REPLY_PRIMING_TOKENS + MESSAGE_OVERHEAD_TOKENS;

  it('counts message text plus framing', () => {
    expect(countChatPromptTokens(ask('Hello world'))).toBe(2 + framing);
  });

  it('adds a fixed allowance per image', () => {
    const request = ask([
      { type: 'text', text: 'Hello world' },
      { type: 'image_url', image_url: { url: 'https://example.test/a.png' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
    ]);
    expect(countChatPromptTokens(request)).toBe(2 + framing + 2 * IMAGE_TOKEN_ALLOWANCE);
  });

  it('counts tool definitions, tool calls and response schemas', () => {
    const base = countChatPromptTokens(ask('Hello world'));
    const withTools = countChatPromptTokens(
      ask('Hello world', {
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
        response_format: { type: 'json_object' },
      }),
    );
    expect(withTools).toBeGreaterThan(base + 10);
    const history = {
      model: 'm',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
    } as ChatRequest;
    expect(countChatPromptTokens(history)).toBeGreaterThan(countTokens('Hi') + countTokens('sunny') + 3 * MESSAGE_OVERHEAD_TOKENS);
  });
});

describe('chatOutputLimit', () => {
  it.each<[string, Partial<ChatRequest>, Partial<CatalogModel>, number]>([
    ['max_completion_tokens wins', { max_completion_tokens: 100, max_tokens: 50 }, {}, 100],
    ['then max_tokens', { max_tokens: 50 }, {}, 50],
    ['then the model maximum', {}, {}, 16_000],
    ['times n', { max_tokens: 50, n: 3 }, {}, 150],
    ['a model without a maximum may fill its context', {}, { maxOutputTokens: 0, contextLength: 1000 }, 1000 - 10],
  ])('%s', (_name, extra, modelOverrides, expected) => {
    expect(chatOutputLimit(ask('x', extra), model(modelOverrides), 10)).toBe(expected);
  });
});

describe('estimateChatHold', () => {
  it('prices prompt tokens plus the output limit', () => {
    const request = ask('Hello world', { max_tokens: 1000 });
    const prompt = countChatPromptTokens(request);
    expect(estimateChatHold(request, model())).toBe(BigInt(prompt) * 2000n + 1000n * 8000n);
  });

  it('assumes the dearer cache-write price when it exceeds the input price', () => {
    const claude = model({ pricing: { kind: 'tokens', inputPerMTok: '3', cacheWritePerMTok: '3.75', cachedInputPerMTok: '0.3', outputPerMTok: '15' } });
    const request = ask('Hello world', { max_tokens: 10 });
    const prompt = countChatPromptTokens(request);
    expect(estimateChatHold(request, claude)).toBe(BigInt(prompt) * 3750n + 10n * 15000n);
  });

  it('applies the multiplier', () => {
    const request = ask('Hello world', { max_tokens: 1000 });
    expect(estimateChatHold(request, model(), parseMultiplier('1.5'))).toBe((estimateChatHold(request, model()) * 3n) / 2n);
  });

  it('covers any actual usage within the limits (hold ≥ charge)', () => {
    const request = ask('Tell me a story', { max_tokens: 500 });
    const worst = worstCaseChatUsage(request, model());
    if (worst.kind !== 'tokens') throw new Error('expected token usage');
    const actual = { kind: 'tokens' as const, usage: { ...worst.usage, cachedInputTokens: 3, outputTokens: 499, reasoningTokens: 100 } };
    expect(priceUsage(actual, model().pricing)).toBeLessThanOrEqual(estimateChatHold(request, model()));
  });

  it('holds the dearest size × n for image-priced models', () => {
    const imageModel = model({ pricing: { kind: 'image', perImage: '0.04', perImageBySize: { small: '0.01', large: '0.09' } } });
    expect(estimateChatHold(ask('draw', { n: 2 }), imageModel)).toBe(180_000_000n);
  });

  it('refuses video-priced models', () => {
    expect(() => estimateChatHold(ask('x'), model({ pricing: { kind: 'video', perSecond: [{ usd: '0.1' }] } }))).toThrow(RangeError);
  });
});

describe('estimateUsageFromText', () => {
  it('counts the prompt and the delivered text', () => {
    const request = ask('Hello world');
    expect(estimateUsageFromText(request, 'Hello world, how are you?')).toEqual({
      inputTokens: countChatPromptTokens(request),
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 7,
      reasoningTokens: 0,
    });
  });
});
