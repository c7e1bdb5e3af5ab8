import { describe, expect, it } from 'vitest';
import { OpenAICompatibleToolCallDeltas } from '../../../../src/providers/openai-compatible/tool-call-deltas.js';

describe('OpenAI-compatible tool-call deltas', () => {
  it('holds arguments until the name arrives, then sends id, name and everything held in one header', () => {
    const deltas = new OpenAICompatibleToolCallDeltas('resp_0');
    expect(deltas.push([{ index: 0, id: 'call_9', function: { arguments: '{"a":' } }])).toEqual([]);
    expect(deltas.push([{ index: 0, function: { name: 'f', arguments: '1}' } }])).toEqual([
      { index: 0, id: 'call_9', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
    ]);
    expect(deltas.push([{ index: 0, function: { arguments: ' ' } }])).toEqual([{ index: 0, function: { arguments: ' ' } }]);
  });

  it('synthesizes an id when the upstream sends none', () => {
    const deltas = new OpenAICompatibleToolCallDeltas('resp_0');
    expect(deltas.push([{ index: 1, function: { name: 'g', arguments: '{}' } }])).toEqual([
      { index: 1, id: 'call_resp_0_1', type: 'function', function: { name: 'g', arguments: '{}' } },
    ]);
  });

  it('continues the last call when a fragment has neither index nor id', () => {
    const deltas = new OpenAICompatibleToolCallDeltas('resp_0');
    deltas.push([{ id: 'call_a', function: { name: 'f', arguments: '{' } }]);
    expect(deltas.push([{ function: { arguments: '}' } }])).toEqual([{ index: 0, function: { arguments: '}' } }]);
  });

  it('hands on a call whose name never arrived when flushed, and only once', () => {
    const deltas = new OpenAICompatibleToolCallDeltas('resp_0');
    deltas.push([{ index: 0, id: 'call_x', function: { arguments: '{}' } }]);
    expect(deltas.flush()).toEqual([{ index: 0, id: 'call_x', type: 'function', function: { name: '', arguments: '{}' } }]);
    expect(deltas.flush()).toEqual([]);
  });

  it('turns object arguments into JSON text', () => {
    const deltas = new OpenAICompatibleToolCallDeltas('resp_0');
    expect(deltas.push([{ index: 0, id: 'c', function: { name: 'f', arguments: { city: '北京' } } }])).toEqual([
      { index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '{"city":"北京"}' } },
    ]);
  });
});
