/**
 * A billing service with Stripe configured against the local Stripe stand-in, its routes in a test app, and one
 * user: a fresh store per test, one stand-in per file. The hooks it registers fill in the returned object.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { toBillingOptions } from '../../src/billing/billing-options.js';
import { ManualClock } from '../../src/shared/clock.js';
import { startMockStripe, type MockStripe } from './mock-stripe.js';
import { buildBillingTestApp } from './billing-test-app.js';
import { insertUser, openTestStore, type TestStore } from './billing-test-store.js';
import type { DialectName } from '../../src/store/db.js';

export interface StripeBillingRig {
  stripe: MockStripe;
  t: TestStore;
  clock: ManualClock;
  billing: BillingService;
  app: FastifyInstance;
  /** The user who tops up. */
  alice: string;
}

export function useStripeBillingRig(dialect: DialectName, label: string, webhookSecret: string): StripeBillingRig {
  const rig = {} as StripeBillingRig;
  beforeAll(async () => {
    rig.stripe = await startMockStripe();
  });
  afterAll(async () => {
    await rig.stripe.close();
  });
  beforeEach(async () => {
    rig.t = await openTestStore(dialect, label);
    rig.clock = new ManualClock();
    const options = toBillingOptions({
      stripeSecretKey: 'sk_test_abc',
      stripeWebhookSecret: webhookSecret,
      stripeApiBaseUrl: rig.stripe.url,
      publicUrl: 'https://hub.example.test/',
      topUpMinUsd: '5',
      topUpMaxUsd: '500',
    });
    rig.billing = createBillingService({ db: rig.t.store.db, clock: rig.clock, options });
    rig.app = await buildBillingTestApp(rig.billing);
    rig.alice = await insertUser(rig.t.store);
    rig.stripe.reset();
  });
  afterEach(async () => {
    await rig.app.close();
    await rig.t.cleanup();
  });
  return rig;
}
