/**
 * Video submit never strands a hold: whichever step of the submit throws, every open hold has an active job
 * behind it (one the poller will finish and bill or refund), and a throw before any create went upstream
 * leaves nothing held at all. Each case injects one throw into the real dependencies of the real store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { AuthContext } from '../../src/accounts/auth-context.js';
import { createMediaAdapters } from '../../src/jobs/media-adapters.js';
import { activeJobStatuses, createVideoJobRepository } from '../../src/jobs/video-jobs.js';
import type { VideoJobDeps } from '../../src/jobs/video-job-deps.js';
import { submitVideoJob, type VideoSubmitInput } from '../../src/jobs/video-submit.js';
import { reconcileAccounts } from '../../src/billing/reconcile.js';
import { createUpstreamClient } from '../../src/upstream/upstream-client.js';
import type { VideoRequest, VideoTaskAdapter } from '../../src/providers/task-types.js';
import { dialects } from '../support/databases.js';
import { createMediaTestSetup, startMediaGateway, type MediaTestGateway, type MediaTestSetup } from '../support/media-test-gateway.js';

const MODEL = 'bytedance/doubao-seedance-1.0-pro';

class InjectedFault extends Error {
  constructor(step: string) {
    super(`injected fault at ${step}`);
  }
}

/** A request whose `metadata` nests `depth` levels: JSON.stringify of it overflows the stack. */
function deeplyNested(depth: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

interface Step {
  name: string;
  /** True when the throw comes before any create could reach the upstream: nothing may stay held. */
  beforeCreate: boolean;
  inject(deps: VideoJobDeps, input: VideoSubmitInput): { deps: VideoJobDeps; input: VideoSubmitInput };
}

const fail = (step: string) => {
  throw new InjectedFault(step);
};

const steps: Step[] = [
  { name: 'multiplier lookup', beforeCreate: true, inject: (deps, input) => ({ deps: { ...deps, billing: { ...deps.billing, multiplierFor: () => fail('multiplier') } }, input }) },
  {
    name: 'request serialisation (nesting deeper than the stack)',
    beforeCreate: true,
    inject: (deps, input) => ({ deps, input: { ...input, request: { ...input.request, metadata: deeplyNested(100_000) } as VideoRequest } }),
  },
  { name: 'hold', beforeCreate: true, inject: (deps, input) => ({ deps: { ...deps, billing: { ...deps.billing, reserve: () => fail('reserve') } }, input }) },
  { name: 'job insert', beforeCreate: true, inject: (deps, input) => ({ deps: { ...deps, repo: { ...deps.repo, insert: () => fail('insert') } }, input }) },
  { name: 'channel pick', beforeCreate: true, inject: (deps, input) => ({ deps: { ...deps, router: { ...deps.router, pick: () => fail('pick') } }, input }) },
  {
    name: 'channel note before the create',
    beforeCreate: true,
    inject: (deps, input) => ({ deps: { ...deps, repo: { ...deps.repo, updateLeased: () => fail('updateLeased') } }, input }),
  },
  {
    name: 'adapter translation',
    beforeCreate: true,
    inject: (deps, input) => ({
      deps: { ...deps, adapters: { ...deps.adapters, videoAdapterFor: (model) => withFailing(deps.adapters.videoAdapterFor(model), 'submit') } },
      input,
    }),
  },
  {
    name: 'reading the create answer',
    beforeCreate: false,
    inject: (deps, input) => ({
      deps: { ...deps, adapters: { ...deps.adapters, videoAdapterFor: (model) => withFailing(deps.adapters.videoAdapterFor(model), 'parseSubmit') } },
      input,
    }),
  },
  {
    name: 'marking the job queued',
    beforeCreate: false,
    inject: (deps, input) => ({ deps: { ...deps, repo: { ...deps.repo, updateInStatus: () => fail('updateInStatus') } }, input }),
  },
];

function withFailing(adapter: VideoTaskAdapter | undefined, method: 'submit' | 'parseSubmit'): VideoTaskAdapter | undefined {
  if (adapter === undefined) return adapter;
  return { ...adapter, [method]: () => fail(`adapter.${method}`) };
}

describe.each(dialects)('video submit under injected faults on %s', (dialect) => {
  let setup: MediaTestSetup;
  let t: MediaTestGateway;
  let deps: VideoJobDeps;
  let auth: AuthContext;

  beforeAll(async () => {
    setup = await createMediaTestSetup(dialect);
    t = await startMediaGateway(setup, { ownerId: 'worker' });
    const { gateway } = t;
    deps = {
      repo: createVideoJobRepository(gateway.store.db),
      catalog: gateway.catalog,
      router: gateway.channels,
      channelCredentials: (id) => gateway.channels.credentials(id),
      client: createUpstreamClient({ connectMs: 2000, firstByteMs: 5000, idleMs: 5000 }),
      billing: gateway.billing,
      adapters: createMediaAdapters(),
      requestLog: gateway.requestLog,
      clock: t.clock,
      logger: gateway.app.log,
      options: t.media.options,
      storage: undefined,
      random: () => 0.5,
    };
    auth = await gateway.apiKeys.authenticate(t.owner.apiKey);
  });
  afterAll(async () => {
    await deps?.client.close();
    await t?.stop();
    await setup?.dispose();
  });

  async function openHolds() {
    return t.gateway.store.db.selectFrom('holds').select(['id', 'job_id', 'amount_nanos']).where('user_id', '=', t.owner.userId).where('status', '=', 'open').execute();
  }

  it.each(steps)('a throw at $name leaves no hold without an active job', async (step) => {
    const before = await t.gateway.billing.getBalance(t.owner.userId);
    const heldBefore = new Set((await openHolds()).map((hold) => hold.id));
    const input: VideoSubmitInput = {
      auth,
      request: { model: MODEL, prompt: 'A lighthouse at dusk', duration: 5, resolution: '720p' } as VideoRequest,
      requestId: null,
      owner: 'worker/submit',
    };
    const faulty = step.inject(deps, input);
    await expect(submitVideoJob(faulty.deps, faulty.input)).rejects.toThrow();

    for (const hold of (await openHolds()).filter((open) => !heldBefore.has(open.id))) {
      const job = hold.job_id === null ? undefined : await t.gateway.store.db.selectFrom('video_jobs').selectAll().where('id', '=', hold.job_id).executeTakeFirst();
      expect(job, `open hold ${hold.id} must belong to a job`).toBeDefined();
      expect(activeJobStatuses).toContain(job!.status);
      expect(job!.hold_id).toBe(hold.id);
    }
    const after = await t.gateway.billing.getBalance(t.owner.userId);
    expect(after.balanceNanos).toBe(before.balanceNanos);
    if (step.beforeCreate) expect(after.heldNanos).toBe(before.heldNanos);
    expect((await reconcileAccounts(t.gateway.store.db, t.owner.userId)).ok).toBe(true);
  });

  it('a request nested too deep to serialise over HTTP leaves nothing held', async () => {
    const before = await t.gateway.billing.getBalance(t.owner.userId);
    // Written as text: serialising it here would overflow this stack too. About 60 KB, 10,000 levels.
    const depth = 10_000;
    const nested = `${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}`;
    const body = `{"model":"${MODEL}","prompt":"A lighthouse","duration":5,"resolution":"720p","metadata":${nested}}`;
    const res = await request(`${t.url}/api/v1/videos/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.owner.apiKey}`, 'content-type': 'application/json' },
      body,
    });
    await res.body.dump();
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(await t.gateway.billing.getBalance(t.owner.userId)).toEqual(before);
  });
});
