import { describe, expect, it } from 'vitest';
import { buildRequestRecord, recordStatusOf } from '../../../src/kernel/request-record.js';
import { mintGenerationId, mintTaskId } from '../../../src/kernel/ids.js';
import { GatewayError } from '../../../src/shared/errors.js';

const base = { id: 'gen-1', requestId: 'req-1', userId: 'usr_1', apiKeyId: 'key_1', endpoint: 'messages', model: 'm/1', provider: 'p', startedAt: 1000, finishedAt: 1250 };

describe('recordStatusOf', () => {
  it('names a client that left 499 client_closed, an error by its status and code, anything else 500', () => {
    expect(recordStatusOf(new GatewayError('upstream_timeout'), true)).toEqual({ status: 499, errorCode: 'client_closed' });
    expect(recordStatusOf(new GatewayError('upstream_timeout'))).toEqual({ status: 504, errorCode: 'upstream_timeout' });
    expect(recordStatusOf(new Error('bug'))).toEqual({ status: 500, errorCode: 'internal_error' });
    expect(recordStatusOf(undefined)).toEqual({ status: 200, errorCode: null });
  });
});

describe('buildRequestRecord', () => {
  it('fills every column of a call without usage the same way', () => {
    expect(buildRequestRecord({ ...base, outcome: { status: 200, errorCode: null } })).toEqual({
      id: 'gen-1',
      request_id: 'req-1',
      user_id: 'usr_1',
      api_key_id: 'key_1',
      endpoint: 'messages',
      model: 'm/1',
      provider: 'p',
      channel_id: null,
      stream: 0,
      status: 200,
      error_code: null,
      latency_ms: 250,
      ttfb_ms: null,
      prompt_tokens: 0,
      completion_tokens: 0,
      cached_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      cost_nanos: null,
      estimated: 0,
      finish_reason: null,
      warnings: null,
      created_at: 1000,
    });
  });

  it('carries usage, cost, first byte, stream and warnings (a list as JSON, stored JSON as it is)', () => {
    const warnings = [{ param: 'top_k', message: 'dropped' }];
    const row = buildRequestRecord({
      ...base,
      channelId: 'chn_a',
      stream: true,
      firstByteAt: 1100,
      outcome: recordStatusOf(undefined),
      usage: { inputTokens: 10, cachedInputTokens: 4, cacheWriteTokens: 2, outputTokens: 7, reasoningTokens: 3 },
      costNanos: 99n,
      estimated: true,
      finishReason: 'stop',
      warnings,
    });
    expect(row).toMatchObject({ channel_id: 'chn_a', stream: 1, ttfb_ms: 100, prompt_tokens: 10, cached_tokens: 4, cache_write_tokens: 2, completion_tokens: 7, reasoning_tokens: 3, cost_nanos: 99n, estimated: 1, finish_reason: 'stop' });
    expect(row.warnings).toBe(JSON.stringify(warnings));
    expect(buildRequestRecord({ ...base, outcome: recordStatusOf(undefined), warnings: '[]' }).warnings).toBe('[]');
    expect(buildRequestRecord({ ...base, outcome: recordStatusOf(undefined), warnings: [] }).warnings).toBeNull();
  });
});

describe('id minter', () => {
  it('mints distinct gen- and tsk- ids', () => {
    const ids = new Set(Array.from({ length: 100 }, () => mintGenerationId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^gen-[0-9a-z]+[0-9A-Za-z]{14}$/);
    expect(mintTaskId()).toMatch(/^tsk-[0-9a-z]+[0-9A-Za-z]{14}$/);
  });
});
