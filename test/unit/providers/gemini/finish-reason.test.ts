import { describe, expect, it } from 'vitest';
import { mapGeminiBlockReason, mapGeminiFinishReason } from '../../../../src/providers/gemini/finish-reason.js';

describe('mapGeminiFinishReason', () => {
  it.each([
    ['STOP', false, 'stop', undefined],
    ['STOP', true, 'tool_calls', 'STOP'],
    ['MAX_TOKENS', false, 'length', 'MAX_TOKENS'],
    ['MAX_TOKENS', true, 'length', 'MAX_TOKENS'],
    ['SAFETY', false, 'content_filter', 'SAFETY'],
    ['RECITATION', false, 'content_filter', 'RECITATION'],
    ['BLOCKLIST', false, 'content_filter', 'BLOCKLIST'],
    ['PROHIBITED_CONTENT', false, 'content_filter', 'PROHIBITED_CONTENT'],
    ['SPII', false, 'content_filter', 'SPII'],
    ['IMAGE_SAFETY', false, 'content_filter', 'IMAGE_SAFETY'],
    ['IMAGE_PROHIBITED_CONTENT', false, 'content_filter', 'IMAGE_PROHIBITED_CONTENT'],
    ['IMAGE_RECITATION', false, 'content_filter', 'IMAGE_RECITATION'],
    ['IMAGE_OTHER', false, 'content_filter', 'IMAGE_OTHER'],
    ['MALFORMED_FUNCTION_CALL', false, 'stop', 'MALFORMED_FUNCTION_CALL'],
    ['UNEXPECTED_TOOL_CALL', true, 'stop', 'UNEXPECTED_TOOL_CALL'],
    ['TOO_MANY_TOOL_CALLS', true, 'stop', 'TOO_MANY_TOOL_CALLS'],
    ['OTHER', false, 'stop', 'OTHER'],
    ['LANGUAGE', false, 'stop', 'LANGUAGE'],
    ['NO_IMAGE', false, 'stop', 'NO_IMAGE'],
    ['FINISH_REASON_UNSPECIFIED', false, 'stop', 'FINISH_REASON_UNSPECIFIED'],
    ['A_REASON_FROM_THE_FUTURE', false, 'stop', 'A_REASON_FROM_THE_FUTURE'],
  ] as const)('%s (tool calls: %s) → %s, native %s', (reason, hasToolCalls, finishReason, native) => {
    const mapped = mapGeminiFinishReason(reason, hasToolCalls);
    expect(mapped.finishReason).toBe(finishReason);
    expect(mapped.nativeFinishReason).toBe(native);
  });
});

describe('mapGeminiBlockReason', () => {
  it.each(['SAFETY', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY', 'MODEL_ARMOR', 'BLOCKED_REASON_UNSPECIFIED'])(
    'a prompt blocked for %s is content_filter with the reason kept',
    (reason) => {
      expect(mapGeminiBlockReason(reason)).toEqual({ finishReason: 'content_filter', nativeFinishReason: reason });
    },
  );
});
