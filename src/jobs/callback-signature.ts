/**
 * Callback signatures. Each delivery carries
 *   X-TokenHub-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 * To verify: split the header on ",", recompute the HMAC over the timestamp, a ".", and the raw request body
 * exactly as received, compare it in constant time with v1, and refuse timestamps older than a few minutes
 * (replays). The delivery id header (the task id) lets a receiver drop a repeated delivery. The secret is the
 * job owner's own (callback-secrets.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const callbackSignatureHeader = 'x-tokenhub-signature';
export const callbackEventHeader = 'x-tokenhub-event';
export const callbackDeliveryHeader = 'x-tokenhub-delivery';

export function signCallback(secret: Buffer | string, body: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/** True when `header` signs `body` with `secret` and its timestamp is within `toleranceSeconds` of now. */
export function verifyCallbackSignature(
  secret: Buffer | string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (header === undefined) return false;
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isSafeInteger(timestamp) || given === undefined || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
