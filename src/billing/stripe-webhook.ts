/**
 * Stripe events → credits, exactly once. Three guards in one transaction: the event id is inserted first (a
 * retried delivery finds it and stops), the session row moves open → completed with a conditional UPDATE (a
 * second event for the same session — `completed` then `async_payment_succeeded` — finds it completed), and
 * the credit is a ledger entry referencing the session. Any failure rolls all three back, so Stripe's retry
 * starts clean. Refunds and disputes take the credit back under the same event-id guard (stripe-reversals).
 */
import { z } from 'zod';
import { creditAccount, type BillingDb } from './account-ledger.js';
import { centsToNanos } from './money.js';
import { readSignedStripeEvent } from './stripe-signature.js';
import type { StripeClient, StripeOptions } from './stripe-client.js';
import { linkReversalToSession } from './stripe-payment-link.js';
import { applyReversal, REVERSAL_EVENTS, type ReversalOutcome } from './stripe-reversals.js';

export type StripeEventOutcome =
  | 'credited'
  | 'duplicate'
  | 'ignored'
  | 'unpaid'
  | 'unknown_session'
  | 'already_credited'
  | 'amount_mismatch'
  | ReversalOutcome;

const CREDITING_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

const sessionObjectSchema = z.looseObject({
  id: z.string(),
  object: z.literal('checkout.session'),
  payment_status: z.string().nullish(),
  amount_total: z.number().int().nullish(),
  currency: z.string().nullish(),
  payment_intent: z.string().min(1).nullish(),
});

export const stripeEventSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  data: z.looseObject({ object: z.looseObject({ id: z.string().optional(), object: z.string().optional() }) }),
});

export type StripeEvent = z.infer<typeof stripeEventSchema>;

export async function handleStripeEvent(db: BillingDb, event: StripeEvent, now: number): Promise<StripeEventOutcome> {
  const session = CREDITING_EVENTS.has(event.type) ? sessionObjectSchema.safeParse(event.data.object) : undefined;
  const sessionId = session?.success ? session.data.id : null;
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('stripe_events')
      .values({ id: event.id, type: event.type, session_id: sessionId, outcome: 'received', received_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return 'duplicate';
    if (REVERSAL_EVENTS.has(event.type)) {
      const reversal = await applyReversal(trx, { id: event.id, type: event.type, object: event.data.object }, now);
      await trx.updateTable('stripe_events').set({ outcome: reversal.outcome, session_id: reversal.sessionId }).where('id', '=', event.id).execute();
      return reversal.outcome;
    }
    const outcome = session?.success ? await creditSession(trx, event.id, session.data, now) : 'ignored';
    await trx.updateTable('stripe_events').set({ outcome }).where('id', '=', event.id).execute();
    return outcome;
  });
}

async function creditSession(trx: BillingDb, eventId: string, session: z.infer<typeof sessionObjectSchema>, now: number): Promise<StripeEventOutcome> {
  if (session.payment_status !== 'paid') return 'unpaid';
  const recorded = await trx.selectFrom('stripe_checkout_sessions').selectAll().where('id', '=', session.id).executeTakeFirst();
  if (!recorded) return 'unknown_session';
  const amountNanos = BigInt(recorded.amount_nanos);
  const paidMatches =
    (session.currency ?? 'usd').toLowerCase() === 'usd' && (session.amount_total == null || centsToNanos(session.amount_total) === amountNanos);
  if (!paidMatches) return 'amount_mismatch';
  const claimed = await trx
    .updateTable('stripe_checkout_sessions')
    .set({ status: 'completed', event_id: eventId, completed_at: now, payment_intent_id: session.payment_intent ?? null })
    .where('id', '=', session.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (claimed.numUpdatedRows !== 1n) return 'already_credited';
  const change = { kind: 'topup' as const, amountNanos, heldDeltaNanos: 0n, reference: session.id, actor: 'stripe', reason: `Stripe ${eventId}` };
  await creditAccount(trx, recorded.user_id, change, now);
  return 'credited';
}

export type StripeWebhookResult = { ok: true; eventId: string; outcome: StripeEventOutcome } | { ok: false; reason: 'signature' | 'payload' };

/**
 * Verifies the signature over the raw body, parses the event and applies it. A refund or dispute whose payment
 * the gateway cannot place by itself is first looked up at Stripe (stripe-payment-link).
 */
export async function processStripeWebhook(
  db: BillingDb,
  input: { payload: string; signatureHeader: string | undefined; stripe: { client: StripeClient; options: StripeOptions }; now: number },
): Promise<StripeWebhookResult> {
  const signed = readSignedStripeEvent({ payload: input.payload, header: input.signatureHeader, secret: input.stripe.options.webhookSecret, nowMs: input.now });
  if (!signed.ok) return signed;
  const event = stripeEventSchema.safeParse(signed.body);
  if (!event.success) return { ok: false, reason: 'payload' };
  const object = await linkReversalToSession(db, input.stripe.client, { type: event.data.type, object: event.data.data.object });
  const linked = { ...event.data, data: { ...event.data.data, object } };
  return { ok: true, eventId: event.data.id, outcome: await handleStripeEvent(db, linked, input.now) };
}
