import { describe, expect, it } from 'vitest';
import { channelSecrets, sanitizeUpstreamMessage, UPSTREAM_MESSAGE_MAX_LENGTH } from '../../../src/shared/upstream-message.js';

describe('sanitizeUpstreamMessage', () => {
  it.each([
    ['Incorrect API key provided: sk-proj-AbCdEf123456.', 'Incorrect API key provided: [redacted]'],
    ['see https://api.deepseek.com/v1/chat?key=1 for details', 'see [url] for details'],
    ['bad image https://bucket.example/x.png?Signature=abc  here', 'bad image [url] here'],
    ['host dashscope-intl.aliyuncs.com refused', 'host [host] refused'],
    ['Authorization: Bearer abc.def', 'Authorization: [redacted]'],
    ['x-api-key: plainsecret sent', 'x-api-key: [redacted] sent'],
    ['token Bearer abc.def was refused', 'token Bearer [redacted] was refused'],
    ['API key not valid: AIzaSyA-1234567890abcdefghijklmnop', 'API key not valid: [redacted]'],
    ['GET /v1beta/models?key=abc123&alt=sse', 'GET /v1beta/models?key=[redacted]&alt=sse'],
    ['token 0123456789abcdef0123456789abcdef.AbCdEfGhIjKlMnOp is invalid', 'token [redacted] is invalid'],
    ['InternalError.Algo.InvalidParameter: bad', 'InternalError.Algo.InvalidParameter: bad'],
    ['messages.1.content.0.image.source.url: could not fetch', 'messages.1.content.0.image.source.url: could not fetch'],
    ['(x-api-key: sk-ant-api03-AbCdEfGh) rejected', '(x-api-key: [redacted]) rejected'],
    ['multi\n  line\tmessage', 'multi line message'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeUpstreamMessage(input, [])).toBe(expected);
  });

  it('removes each of the channel secrets wherever it appears, whatever its shape', () => {
    const target = { apiKey: 'plainkey', secretKey: 'klingsecret', baseUrl: 'http://127.0.0.1:9000/api' };
    const text = 'key plainkey, secret klingsecret, host 127.0.0.1:9000 said no';
    expect(sanitizeUpstreamMessage(text, channelSecrets(target))).toBe('key [redacted], secret [redacted], host [redacted] said no');
  });

  it('leaves no stray bracket when a secret sits after a credential header', () => {
    expect(sanitizeUpstreamMessage('(x-api-key: plainkey0123)', ['plainkey0123'])).toBe('(x-api-key: [redacted])');
  });

  it('ignores secrets too short to search for', () => {
    expect(sanitizeUpstreamMessage('a cab sat', ['ab'])).toBe('a cab sat');
  });

  it('bounds the length', () => {
    const out = sanitizeUpstreamMessage('word '.repeat(400), []);
    expect(out).toHaveLength(UPSTREAM_MESSAGE_MAX_LENGTH);
    expect(out.endsWith('...')).toBe(true);
  });
});
