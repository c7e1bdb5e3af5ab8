import { describe, expect, it } from 'vitest';
import { signCallback, verifyCallbackSignature } from '../../../src/jobs/callback-signature.js';

const body = JSON.stringify({ id: 'tsk-1', status: 'succeeded' });

describe('callback signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 in a Stripe-like header', () => {
    const header = signCallback('secret', body, 1_767_225_600);
    expect(header).toMatch(/^t=1767225600,v1=[0-9a-f]{64}$/);
    expect(verifyCallbackSignature('secret', body, header, 1_767_225_600)).toBe(true);
  });

  it('refuses a changed body, another secret, a stale timestamp and malformed headers', () => {
    const header = signCallback('secret', body, 1_000_000);
    expect(verifyCallbackSignature('secret', `${body} `, header, 1_000_000)).toBe(false);
    expect(verifyCallbackSignature('other', body, header, 1_000_000)).toBe(false);
    expect(verifyCallbackSignature('secret', body, header, 1_000_301)).toBe(false);
    expect(verifyCallbackSignature('secret', body, header, 1_000_300)).toBe(true);
    expect(verifyCallbackSignature('secret', body, undefined, 1_000_000)).toBe(false);
    expect(verifyCallbackSignature('secret', body, 't=1000000,v1=abc', 1_000_000)).toBe(false);
    expect(verifyCallbackSignature('secret', body, header.replace('t=1000000', 't=1000001'), 1_000_000)).toBe(false);
  });
});
