/**
 * Input parsing shared by the user and admin billing routes: money as decimal USD strings (never floats), times
 * as epoch ms or ISO 8601, and the usage/ledger query strings.
 */
import { z } from 'zod';
import { checkPageLimit, decodePageCursor, encodePageCursor } from '../../accounts/page-cursor.js';
import { formatUsd, isUsdString, MAX_OPERATION_NANOS, usdToNanos } from '../../billing/money.js';
import type { UsageFilter, UsagePosition } from '../../billing/usage-reports.js';
import { GatewayError } from '../../shared/errors.js';

/**
 * A USD amount: a decimal string ("12.50") or a whole number of dollars; fractional JSON numbers are refused, and
 * so is any amount beyond MAX_OPERATION_NANOS either way (it would not fit the store's 64-bit money columns).
 */
export const usdAmountSchema = z
  .union([z.string(), z.number().int().nonnegative()])
  .refine((value) => typeof value === 'number' || isUsdString(value), { message: 'Send the amount as a decimal string such as "12.50".' })
  .transform((value) => (typeof value === 'number' ? BigInt(value) * 1_000_000_000n : usdToNanos(value)))
  .refine((nanos) => nanos <= MAX_OPERATION_NANOS && nanos >= -MAX_OPERATION_NANOS, {
    message: `The amount must be at most ${formatUsd(MAX_OPERATION_NANOS)} USD.`,
  });

export const positiveUsdSchema = usdAmountSchema.refine((nanos) => nanos > 0n, { message: 'The amount must be positive.' });
export const nonNegativeUsdSchema = usdAmountSchema.refine((nanos) => nanos >= 0n, { message: 'The amount must not be negative.' });

/** Epoch milliseconds or an ISO 8601 date/time. */
export const timeSchema = z.string().transform((value, ctx) => {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms)) {
    ctx.addIssue({ code: 'custom', message: 'Use epoch milliseconds or an ISO 8601 date.' });
    return z.NEVER;
  }
  return ms;
});

/** `user_id` is accepted only where the routes allow it (the admin's platform view). */
export const usageQuerySchema = z.strictObject({
  user_id: z.string().min(1).optional(),
  limit: z.coerce.number().int().optional(),
  cursor: z.string().min(1).optional(),
  key_id: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  from: timeSchema.optional(),
  to: timeSchema.optional(),
});

export const spendQuerySchema = z.strictObject({
  user_id: z.string().min(1).optional(),
  key_id: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  from: timeSchema.optional(),
  to: timeSchema.optional(),
  /** Minutes east of UTC for day buckets, e.g. 420 for UTC+7. */
  utc_offset_minutes: z.coerce.number().int().min(-720).max(840).optional(),
});

export const ledgerQuerySchema = z.strictObject({
  limit: z.coerce.number().int().optional(),
  cursor: z.string().min(1).optional(),
});

export type UsageQuery = z.infer<typeof usageQuerySchema>;
export type SpendQuery = z.infer<typeof spendQuerySchema>;

export function toUsageFilter(query: Omit<SpendQuery, 'utc_offset_minutes' | 'user_id'>, userId: string | undefined): UsageFilter {
  return { userId, apiKeyId: query.key_id, model: query.model, from: query.from, to: query.to };
}

export function toUsagePage(query: UsageQuery): { limit: number; after: UsagePosition | undefined } {
  return { limit: checkPageLimit(query.limit), after: query.cursor ? decodePageCursor(query.cursor) : undefined };
}

export function encodeUsageCursor(position: UsagePosition | undefined): string | null {
  return position ? encodePageCursor(position) : null;
}

export function encodeLedgerCursor(seq: number | undefined): string | null {
  return seq === undefined ? null : Buffer.from(`seq.${seq}`, 'utf8').toString('base64url');
}

export function decodeLedgerCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^seq\.(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new GatewayError('invalid_request', { param: 'cursor', message: 'The cursor is not one this server issued.' });
  return Number(match[1]);
}
