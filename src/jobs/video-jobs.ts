/**
 * The video job repository. A job's `status` moves
 *   submitting → queued → running → succeeded | failed      (the upstream answered the create)
 *   submitting → unknown → failed                            (the create's outcome is unknown; see video-submit.ts)
 * and its hold moves apart from it in `billing_state` (held → settled | released), so an outcome is first
 * written down and then billed; whoever holds the lease next finishes a billing step a crash interrupted.
 *
 * Leases: a worker claims a row with one conditional UPDATE (free or expired lease → its own), and every later
 * write names the owner, so a worker whose lease ran out changes nothing. The same statements run on SQLite and
 * PostgreSQL; no dialect branches.
 */
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, VideoJobsTable } from '../store/schema.js';
import { checkPageLimit, decodePageCursor, encodePageCursor } from '../accounts/page-cursor.js';

export type VideoJob = Selectable<VideoJobsTable>;
export type VideoJobStatus = VideoJobsTable['status'];
export type VideoJobChanges = Updateable<VideoJobsTable>;

/** Statuses in which the upstream task may still change. */
export const activeJobStatuses: readonly VideoJobStatus[] = ['submitting', 'unknown', 'queued', 'running'];

export type PublicVideoStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export const publicStatusOf: Record<VideoJobStatus, PublicVideoStatus> = {
  submitting: 'queued',
  unknown: 'queued',
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
};

/** Gateway statuses a public status filter selects. */
const statusesForFilter: Record<PublicVideoStatus, VideoJobStatus[]> = {
  queued: ['submitting', 'unknown', 'queued'],
  running: ['running'],
  succeeded: ['succeeded'],
  failed: ['failed'],
};

export interface VideoJobListQuery {
  userId: string;
  status?: PublicVideoStatus | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface VideoJobPage {
  jobs: VideoJob[];
  nextCursor: string | null;
}

export interface VideoJobRepository {
  insert(job: VideoJob): Promise<void>;
  get(id: string): Promise<VideoJob | undefined>;
  /** The job when `userId` owns it; undefined otherwise, so other users cannot tell it exists. */
  getForOwner(id: string, userId: string): Promise<VideoJob | undefined>;
  listForOwner(query: VideoJobListQuery): Promise<VideoJobPage>;
  /** Ids whose next_poll_at has come and whose lease is free or expired, oldest first. */
  listDueForPoll(now: number, limit: number): Promise<string[]>;
  listDueForCallback(now: number, limit: number): Promise<string[]>;
  /** Takes the lease when it is free or expired; the claimed row, or undefined when another worker has it. */
  claim(id: string, owner: string, now: number, leaseUntil: number): Promise<VideoJob | undefined>;
  /** Writes `changes` if `owner` still holds the lease (and the status is one of `statuses`, when given). */
  updateLeased(id: string, owner: string, changes: VideoJobChanges, statuses?: readonly VideoJobStatus[]): Promise<boolean>;
  /** Writes `changes` if the status is one of `statuses`, whoever holds the lease. */
  updateInStatus(id: string, statuses: readonly VideoJobStatus[], changes: VideoJobChanges): Promise<boolean>;
}

export function createVideoJobRepository(db: Kysely<Database>): VideoJobRepository {
  return {
    async insert(job) {
      await db.insertInto('video_jobs').values(job).execute();
    },

    get: (id) => db.selectFrom('video_jobs').selectAll().where('id', '=', id).executeTakeFirst(),

    getForOwner: (id, userId) =>
      db.selectFrom('video_jobs').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),

    async listForOwner(query) {
      const limit = checkPageLimit(query.limit);
      let select = db.selectFrom('video_jobs').selectAll().where('user_id', '=', query.userId);
      if (query.status !== undefined) select = select.where('status', 'in', statusesForFilter[query.status]);
      if (query.cursor !== undefined) {
        const { createdAt, id } = decodePageCursor(query.cursor);
        select = select.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
      }
      const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const jobs = rows.slice(0, limit);
      const last = jobs.at(-1);
      const nextCursor = rows.length > limit && last ? encodePageCursor({ createdAt: last.created_at, id: last.id }) : null;
      return { jobs, nextCursor };
    },

    listDueForPoll: (now, limit) => selectDueIds(db, 'next_poll_at', now, limit),

    listDueForCallback: (now, limit) => selectDueIds(db, 'callback_next_at', now, limit, true),

    async claim(id, owner, now, leaseUntil) {
      const result = await db
        .updateTable('video_jobs')
        .set({ lease_owner: owner, lease_until: leaseUntil })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) return undefined;
      return db.selectFrom('video_jobs').selectAll().where('id', '=', id).where('lease_owner', '=', owner).executeTakeFirst();
    },

    async updateLeased(id, owner, changes, statuses) {
      let update = db.updateTable('video_jobs').set(changes).where('id', '=', id).where('lease_owner', '=', owner);
      if (statuses !== undefined) update = update.where('status', 'in', [...statuses]);
      const result = await update.executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async updateInStatus(id, statuses, changes) {
      const result = await db.updateTable('video_jobs').set(changes).where('id', '=', id).where('status', 'in', [...statuses]).executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
  };
}

/** Ids whose `dueColumn` time has come and whose lease is free or expired, earliest first. */
async function selectDueIds(
  db: Kysely<Database>,
  dueColumn: 'next_poll_at' | 'callback_next_at',
  now: number,
  limit: number,
  pendingCallbacksOnly = false,
): Promise<string[]> {
  let query = db
    .selectFrom('video_jobs')
    .select('id')
    .where(dueColumn, '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]));
  if (pendingCallbacksOnly) query = query.where('callback_state', '=', 'pending');
  const rows = await query.orderBy(dueColumn).limit(limit).execute();
  return rows.map((row) => row.id);
}

/** Releases the lease in the same write as the rest of a change. */
export const leaseFree = { lease_owner: null, lease_until: null } as const;
