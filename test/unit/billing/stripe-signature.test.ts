import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSignedStripeEvent } from '../../../src/billing/stripe-signature.js';
import { signStripePayload } from '../../support/mock-stripe.js';

const secret = 'whsec_test_secret';
const payload = '{"id":"evt_1","type":"checkout.session.completed"}';
const t = 1_767_225_600;
const nowMs = t * 1000;

describe('readSignedStripeEvent', () => {
  it('accepts the HMAC-SHA256 of "<t>.<payload>" keyed by the webhook secret, and parses the body', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex');
    expect(signStripePayload(payload, secret, t)).toBe(`t=${t},v1=${expected}`);
    expect(readSignedStripeEvent({ payload, header: `t=${t},v1=${expected}`, secret, nowMs })).toEqual({
      ok: true,
      body: { id: 'evt_1', type: 'checkout.session.completed' },
    });
  });

  it('accepts any matching v1 among several (secret rotation) and ignores other schemes', () => {
    const good = signStripePayload(payload, secret, t).split('v1=')[1];
    const header = `t=${t},v0=abc,v1=${'0'.repeat(64)},v1=${good}`;
    expect(readSignedStripeEvent({ payload, header, secret, nowMs }).ok).toBe(true);
  });

  it.each<[string, string | undefined]>([
    ['a missing header', undefined],
    ['an empty header', ''],
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no v1 signature', `t=${t}`],
    ['a signature over other bytes', signStripePayload(`${payload} `, secret, t)],
    ['another secret', signStripePayload(payload, 'whsec_other', t)],
    ['a timestamp 301 s old', signStripePayload(payload, secret, t - 301)],
    ['a timestamp 301 s ahead', signStripePayload(payload, secret, t + 301)],
  ])('refuses %s', (_name, header) => {
    expect(readSignedStripeEvent({ payload, header, secret, nowMs })).toEqual({ ok: false, reason: 'signature' });
  });

  it('accepts a timestamp exactly at the tolerance, behind or ahead', () => {
    expect(readSignedStripeEvent({ payload, header: signStripePayload(payload, secret, t - 300), secret, nowMs }).ok).toBe(true);
    expect(readSignedStripeEvent({ payload, header: signStripePayload(payload, secret, t + 300), secret, nowMs }).ok).toBe(true);
  });

  it('measures age on the clock it is given, not the machine clock', () => {
    const header = signStripePayload(payload, secret, t);
    expect(readSignedStripeEvent({ payload, header, secret, nowMs: nowMs + 300_000 }).ok).toBe(true);
    expect(readSignedStripeEvent({ payload, header, secret, nowMs: nowMs + 301_000 })).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a correctly signed body that is not JSON as a bad payload', () => {
    const text = 'not json';
    expect(readSignedStripeEvent({ payload: text, header: signStripePayload(text, secret, t), secret, nowMs })).toEqual({ ok: false, reason: 'payload' });
  });
});
