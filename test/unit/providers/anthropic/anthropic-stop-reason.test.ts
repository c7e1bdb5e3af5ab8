import { describe, expect, it } from 'vitest';
import { mapAnthropicStopReason } from '../../../../src/providers/anthropic/stop-reason.js';

describe('mapAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['something_new', 'stop'],
  ])('%s → %s, keeping the raw value', (raw, finishReason) => {
    expect(mapAnthropicStopReason(raw)).toEqual({ finishReason, nativeFinishReason: raw });
  });

  it('reports a JSON-mode tool answer as stop', () => {
    expect(mapAnthropicStopReason('tool_use', { answeredByJsonTool: true })).toEqual({ finishReason: 'stop', nativeFinishReason: 'tool_use' });
  });

  it('treats a missing stop reason as stop with nothing native to keep', () => {
    expect(mapAnthropicStopReason(null)).toEqual({ finishReason: 'stop', nativeFinishReason: undefined });
  });
});
