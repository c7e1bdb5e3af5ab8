import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signStripePayload, verifyStripeSignature } from '../../../src/billing/stripe-signature.js';

const secret = 'whsec_test_secret';
const payload = '{"id":"evt_1","type":"checkout.session.completed"}';
const t = 1_767_225_600;
const nowMs = t * 1000;

describe('verifyStripeSignature', () => {
  it('accepts the HMAC-SHA256 of "<t>.<payload>" keyed by the webhook secret', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex');
    expect(signStripePayload(payload, secret, t)).toBe(`t=${t},v1=${expected}`);
    expect(verifyStripeSignature({ payload, header: `t=${t},v1=${expected}`, secret, nowMs })).toEqual({ ok: true, timestamp: t });
  });

  it('accepts any matching v1 among several (secret rotation) and ignores other schemes', () => {
    const good = signStripePayload(payload, secret, t).split('v1=')[1];
    const header = `t=${t},v0=abc,v1=${'0'.repeat(64)},v1=${good}`;
    expect(verifyStripeSignature({ payload, header, secret, nowMs }).ok).toBe(true);
  });

  it.each<[string, string | undefined, string]>([
    ['a missing header', undefined, 'malformed'],
    ['no timestamp', `v1=${'a'.repeat(64)}`, 'malformed'],
    ['no v1 signature', `t=${t}`, 'malformed'],
    ['a signature over other bytes', signStripePayload(`${payload} `, secret, t), 'mismatch'],
    ['another secret', signStripePayload(payload, 'whsec_other', t), 'mismatch'],
    ['a timestamp 301 s old', signStripePayload(payload, secret, t - 301), 'outside_tolerance'],
    ['a timestamp 301 s ahead', signStripePayload(payload, secret, t + 301), 'outside_tolerance'],
  ])('refuses %s', (_name, header, reason) => {
    expect(verifyStripeSignature({ payload, header, secret, nowMs })).toEqual({ ok: false, reason });
  });

  it('accepts a timestamp exactly at the tolerance', () => {
    expect(verifyStripeSignature({ payload, header: signStripePayload(payload, secret, t - 300), secret, nowMs }).ok).toBe(true);
  });
});
