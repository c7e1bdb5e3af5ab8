import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/shared/clock.js';
import { createVideoJobRepository, type VideoJob, type VideoJobRepository } from '../../../src/jobs/video-jobs.js';
import { advanceVideoJob } from '../../../src/jobs/video-progress.js';
import type { VideoJobDeps } from '../../../src/jobs/video-job-deps.js';
import { DIALECTS, insertUser, openTestStore, type TestStore } from '../../support/billing-test-store.js';

const LEASE_MS = 60_000;

function newJob(userId: string, id: string, createdAt: number, overrides: Partial<VideoJob> = {}): VideoJob {
  return {
    id, user_id: userId, api_key_id: null, request_id: null, model: 'kling/kling-v2.6', provider: 'kling', channel_id: 'chn_1',
    status: 'queued', upstream_task_id: 'up-1', upstream_status: null, poll_path: null, request_json: '{}', duration_seconds: 5,
    resolution: '720p', mode: 'std', multiplier: '1', hold_id: null, held_nanos: 0n, cost_nanos: null, upstream_cost_nanos: null,
    billed_seconds: null, delivered_ms: null, billing_state: 'held', result_json: null, stored_file: null, error_code: null,
    error_message: null, warnings: null, polls: 0, poll_errors: 0, next_poll_at: createdAt, lease_owner: null, lease_until: null,
    deadline_at: createdAt + 3_600_000, callback_url: null, callback_state: 'none', callback_attempts: 0, callback_next_at: null,
    created_at: createdAt, updated_at: createdAt, finished_at: null, ...overrides,
  };
}

describe.each(DIALECTS)('video job repository on %s', (dialect) => {
  let t: TestStore;
  let repo: VideoJobRepository;
  let userId: string;
  const clock = new ManualClock();

  beforeEach(async () => {
    t = await openTestStore(dialect, 'jobs');
    repo = createVideoJobRepository(t.store.db);
    userId = await insertUser(t.store);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('gives a lease to one claimant at a time, and again once it has expired', async () => {
    const now = clock.now();
    await repo.insert(newJob(userId, 'tsk-a', now));
    const [first, second] = await Promise.all([repo.claim('tsk-a', 'one', now, now + LEASE_MS), repo.claim('tsk-a', 'two', now, now + LEASE_MS)]);
    expect([first?.lease_owner, second?.lease_owner].filter(Boolean)).toHaveLength(1);
    const winner = first !== undefined ? 'one' : 'two';
    expect(await repo.listDueForPoll(now, 10)).toEqual([]);
    expect(await repo.claim('tsk-a', 'three', now + LEASE_MS - 1, now + 2 * LEASE_MS)).toBeUndefined();
    expect((await repo.claim('tsk-a', 'three', now + LEASE_MS + 1, now + 2 * LEASE_MS))?.lease_owner).toBe('three');
    // The first worker's lease ran out: its writes no longer land.
    expect(await repo.updateLeased('tsk-a', winner, { polls: 9 })).toBe(false);
    expect(await repo.updateLeased('tsk-a', 'three', { polls: 1 }, ['succeeded'])).toBe(false);
    expect(await repo.updateLeased('tsk-a', 'three', { polls: 1 }, ['queued'])).toBe(true);
    expect((await repo.get('tsk-a'))?.polls).toBe(1);
  });

  it('lists only due jobs with free or expired leases, oldest due first', async () => {
    const now = clock.now();
    await repo.insert(newJob(userId, 'tsk-later', now, { next_poll_at: now + 1_000 }));
    await repo.insert(newJob(userId, 'tsk-due2', now, { next_poll_at: now - 10 }));
    await repo.insert(newJob(userId, 'tsk-due1', now, { next_poll_at: now - 20 }));
    await repo.insert(newJob(userId, 'tsk-leased', now, { next_poll_at: now - 30, lease_owner: 'x', lease_until: now + 5 }));
    await repo.insert(newJob(userId, 'tsk-done', now, { next_poll_at: null, status: 'succeeded', billing_state: 'settled' }));
    expect(await repo.listDueForPoll(now, 10)).toEqual(['tsk-due1', 'tsk-due2']);
    expect(await repo.listDueForPoll(now + 6, 10)).toEqual(['tsk-leased', 'tsk-due1', 'tsk-due2']);
    expect(await repo.listDueForPoll(now + 6, 1)).toEqual(['tsk-leased']);
  });

  it('pages a user’s jobs newest first and hides other users’ jobs', async () => {
    const other = await insertUser(t.store);
    for (let i = 0; i < 5; i++) await repo.insert(newJob(userId, `tsk-${i}`, 1_000 + (i < 3 ? 0 : i), { status: i === 4 ? 'failed' : 'queued' }));
    await repo.insert(newJob(other, 'tsk-theirs', 5_000));
    const first = await repo.listForOwner({ userId, limit: 2 });
    expect(first.jobs.map((job) => job.id)).toEqual(['tsk-4', 'tsk-3']);
    const second = await repo.listForOwner({ userId, limit: 2, cursor: first.nextCursor! });
    expect(second.jobs.map((job) => job.id)).toEqual(['tsk-2', 'tsk-1']);
    const third = await repo.listForOwner({ userId, limit: 2, cursor: second.nextCursor! });
    expect(third).toEqual({ jobs: [expect.objectContaining({ id: 'tsk-0' })], nextCursor: null });
    expect((await repo.listForOwner({ userId, status: 'failed' })).jobs.map((job) => job.id)).toEqual(['tsk-4']);
    expect(await repo.getForOwner('tsk-theirs', userId)).toBeUndefined();
    expect((await repo.getForOwner('tsk-theirs', other))?.id).toBe('tsk-theirs');
  });

  it('turns a job found mid-create after its lease ran out into unknown, without calling any upstream', async () => {
    const now = clock.now();
    await repo.insert(newJob(userId, 'tsk-crashed', now, { status: 'submitting', upstream_task_id: null, lease_owner: 'dead', lease_until: now + LEASE_MS }));
    const claimed = await repo.claim('tsk-crashed', 'poller', now + LEASE_MS + 1, now + 2 * LEASE_MS);
    expect(claimed).toBeDefined();
    const deps = { repo, clock, logger: pino({ level: 'silent' }) } as unknown as VideoJobDeps;
    await advanceVideoJob(deps, claimed!, 'poller');
    expect(await repo.get('tsk-crashed')).toMatchObject({ status: 'unknown', next_poll_at: claimed!.deadline_at, lease_owner: null, billing_state: 'held' });
  });
});
