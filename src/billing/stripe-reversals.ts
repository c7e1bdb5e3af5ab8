/**
 * Card money going back out: a refund (`charge.refunded`) or a dispute (`charge.dispute.created`) of a charge
 * that paid for a Checkout top-up takes that credit back with a `stripe_refund` or `stripe_dispute` ledger
 * entry referencing the session. The charge reaches its session through the PaymentIntent recorded when the
 * session was credited (or, for older top-ups, that stripe-payment-link finds by asking Stripe).
 *
 * Exactly once: the caller's event-id guard stops a redelivered event, and the amount is computed from what
 * the ledger already took back for the session under the account lock — a Charge carries the cumulative
 * `amount_refunded`, so a later partial refund takes only the difference, and an older event arriving late
 * takes nothing. Refunds and disputes of one session together never take back more than it credited.
 *
 * The balance never goes negative: what the available balance (balance − open holds) cannot cover is
 * recorded as debt on the same entry, and the next money into the account repays it first (account-ledger).
 */
import { z } from 'zod';
import type { Selectable } from 'kysely';
import type { StripeCheckoutSessionsTable } from '../store/schema.js';
import { appendLedgerEntry, lockAccount, type BillingDb } from './account-ledger.js';
import { centsToNanos } from './money.js';

export type ReversalOutcome = 'reversed' | 'nothing_to_reverse' | 'unknown_payment' | 'amount_mismatch' | 'ignored';

export const REVERSAL_EVENTS = new Set(['charge.refunded', 'charge.dispute.created']);

// Stripe's Charge and Dispute objects; only the fields read here are required.
const chargeSchema = z.looseObject({
  id: z.string().min(1),
  object: z.literal('charge'),
  payment_intent: z.string().min(1).nullish(),
  amount_refunded: z.number().int().nonnegative(),
  currency: z.string(),
});

const disputeSchema = z.looseObject({
  id: z.string().min(1),
  object: z.literal('dispute'),
  charge: z.string().min(1),
  payment_intent: z.string().min(1).nullish(),
  amount: z.number().int().nonnegative(),
  currency: z.string(),
});

interface Reversal {
  kind: 'stripe_refund' | 'stripe_dispute';
  paymentIntentId: string | null;
  currency: string;
  /** For a refund: everything refunded on the charge so far. For a dispute: the disputed amount. */
  amountNanos: bigint;
  /** The Charge or Dispute id, for the ledger entry's reason. */
  stripeObjectId: string;
  chargeId: string;
}

function readReversal(type: string, object: unknown): Reversal | undefined {
  if (type === 'charge.refunded') {
    const charge = chargeSchema.safeParse(object);
    if (!charge.success) return undefined;
    const { id, payment_intent, amount_refunded, currency } = charge.data;
    const paymentIntentId = payment_intent ?? null;
    return { kind: 'stripe_refund', paymentIntentId, currency, amountNanos: centsToNanos(amount_refunded), stripeObjectId: id, chargeId: id };
  }
  const dispute = disputeSchema.safeParse(object);
  if (!dispute.success) return undefined;
  const { id, payment_intent, amount, currency, charge } = dispute.data;
  return { kind: 'stripe_dispute', paymentIntentId: payment_intent ?? null, currency, amountNanos: centsToNanos(amount), stripeObjectId: id, chargeId: charge };
}

/** The charge a refund or dispute event is about and its PaymentIntent when the event names one; undefined for other objects. */
export function readPaymentReference(type: string, object: unknown): { chargeId: string; paymentIntentId: string | null } | undefined {
  const reversal = REVERSAL_EVENTS.has(type) ? readReversal(type, object) : undefined;
  return reversal && { chargeId: reversal.chargeId, paymentIntentId: reversal.paymentIntentId };
}

export interface ReversalResult {
  outcome: ReversalOutcome;
  sessionId: string | null;
}

/** Applies a refund or dispute event inside the caller's transaction (which already holds the event-id guard). */
export async function applyReversal(trx: BillingDb, event: { id: string; type: string; object: unknown }, now: number): Promise<ReversalResult> {
  const reversal = readReversal(event.type, event.object);
  if (!reversal) return { outcome: 'ignored', sessionId: null };
  const session = reversal.paymentIntentId === null ? undefined : await findCreditedSession(trx, reversal.paymentIntentId);
  if (!session) return { outcome: 'unknown_payment', sessionId: null };
  if (reversal.currency.toLowerCase() !== 'usd') return { outcome: 'amount_mismatch', sessionId: session.id };

  const account = await lockAccount(trx, session.user_id, now);
  if (!account) throw new Error(`Credited session ${session.id} has no account`);
  const taken = await takenBackFor(trx, session);
  const due = amountDue(reversal, BigInt(session.amount_nanos), taken);
  if (due <= 0n) return { outcome: 'nothing_to_reverse', sessionId: session.id };

  const available = account.balanceNanos - account.heldNanos;
  const fromBalance = due < available ? due : available;
  const label = reversal.kind === 'stripe_refund' ? 'refund' : 'dispute';
  await appendLedgerEntry(
    trx,
    account,
    {
      kind: reversal.kind,
      amountNanos: -fromBalance,
      heldDeltaNanos: 0n,
      debtDeltaNanos: due - fromBalance,
      reference: session.id,
      actor: 'stripe',
      reason: `Stripe ${label} ${reversal.stripeObjectId} (${event.id})`,
    },
    now,
  );
  return { outcome: 'reversed', sessionId: session.id };
}

/** What this event still takes back, so that refunds and disputes of one session never exceed its credit. */
function amountDue(reversal: Reversal, creditedNanos: bigint, taken: { refunds: bigint; disputes: bigint }): bigint {
  const room = creditedNanos - taken.refunds - taken.disputes;
  if (reversal.kind === 'stripe_dispute') return reversal.amountNanos < room ? reversal.amountNanos : room;
  // A Charge's amount_refunded is cumulative: only the part not taken back yet is due.
  const newlyRefunded = reversal.amountNanos - taken.refunds;
  return newlyRefunded < room ? newlyRefunded : room;
}

async function findCreditedSession(trx: BillingDb, paymentIntentId: string): Promise<Selectable<StripeCheckoutSessionsTable> | undefined> {
  return trx
    .selectFrom('stripe_checkout_sessions')
    .selectAll()
    .where('payment_intent_id', '=', paymentIntentId)
    .where('status', '=', 'completed')
    .executeTakeFirst();
}

/** Σ taken back per kind for a session: what left the balance plus what became debt. */
async function takenBackFor(trx: BillingDb, session: { id: string; user_id: string }): Promise<{ refunds: bigint; disputes: bigint }> {
  const rows = await trx
    .selectFrom('ledger_entries')
    .select((eb) => ['kind', eb.fn.sum<bigint>('debt_delta_nanos').as('debt_nanos'), eb.fn.sum<bigint>('amount_nanos').as('amount_nanos')])
    .where('user_id', '=', session.user_id)
    .where('reference', '=', session.id)
    .where('kind', 'in', ['stripe_refund', 'stripe_dispute'])
    .groupBy('kind')
    .execute();
  const sumOf = (kind: string) => {
    const row = rows.find((r) => r.kind === kind);
    return row ? BigInt(row.debt_nanos) - BigInt(row.amount_nanos) : 0n;
  };
  return { refunds: sumOf('stripe_refund'), disputes: sumOf('stripe_dispute') };
}
