/** The registry of live chat requests: the per-user stream cap, stopping by key, user or all, and draining. */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/shared/errors.js';
import { LiveRequests, type LiveRequest } from '../../../src/kernel/live-requests.js';

const admitted = (result: LiveRequest | GatewayError): LiveRequest => {
  if (result instanceof GatewayError) throw result;
  return result;
};

describe('live requests', () => {
  it('caps concurrent streams per user, not plain calls nor other users, and frees a slot when one finishes', () => {
    const live = new LiveRequests(2);
    const a = admitted(live.admit({ generationId: 'g1', userId: 'u1', keyId: 'k1', stream: true }));
    admitted(live.admit({ generationId: 'g2', userId: 'u1', keyId: 'k1', stream: true }));
    admitted(live.admit({ generationId: 'g3', userId: 'u1', keyId: 'k1', stream: false }));
    admitted(live.admit({ generationId: 'g4', userId: 'u2', keyId: 'k2', stream: true }));
    const refused = live.admit({ generationId: 'g5', userId: 'u1', keyId: 'k1', stream: true });
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).status).toBe(429);
    a.finish();
    a.finish();
    expect(live.size).toBe(3);
    admitted(live.admit({ generationId: 'g5', userId: 'u1', keyId: 'k1', stream: true }));
  });

  it('stops by key, by user and all, once each, with the reason on the request', () => {
    const live = new LiveRequests(0);
    const byKey = admitted(live.admit({ generationId: 'g1', userId: 'u1', keyId: 'k1', stream: true }));
    const sameUser = admitted(live.admit({ generationId: 'g2', userId: 'u1', keyId: 'k2', stream: true }));
    const other = admitted(live.admit({ generationId: 'g3', userId: 'u2', keyId: 'k3', stream: true }));
    expect(live.keyIds().sort()).toEqual(['k1', 'k2', 'k3']);

    expect(live.stopKey('k1', new GatewayError('key_disabled'))).toBe(1);
    expect(byKey.stopSignal.aborted).toBe(true);
    expect(byKey.stopReason?.code).toBe('key_disabled');
    expect(sameUser.stopSignal.aborted).toBe(false);

    expect(live.stopUser('u1', new GatewayError('user_disabled'))).toBe(1);
    expect(sameUser.stopReason?.code).toBe('user_disabled');
    expect(live.stopAll(new GatewayError('shutting_down'))).toBe(1);
    expect(other.stopReason?.code).toBe('shutting_down');
    // A stopped request keeps its first reason.
    expect(byKey.stopReason?.code).toBe('key_disabled');
  });

  it('resolves whenEmpty once the last request finishes', async () => {
    const live = new LiveRequests(0);
    await live.whenEmpty();
    const one = admitted(live.admit({ generationId: 'g1', userId: 'u1', keyId: null, stream: true }));
    let empty = false;
    const waiting = live.whenEmpty().then(() => (empty = true));
    await Promise.resolve();
    expect(empty).toBe(false);
    one.finish();
    await waiting;
    expect(empty).toBe(true);
  });
});
