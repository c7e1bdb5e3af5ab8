/**
 * Request records, written in batches off the hot path: `record()` only queues; a timer (and close()) flushes.
 * A failed flush is logged and its rows are retried once on the next flush, so a brief database hiccup
 * loses nothing and a persistent one cannot grow the queue without bound.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database, RequestLogsTable } from './schema.js';

export type RequestRecord = RequestLogsTable;

/** Token columns of a record for a call that has no token usage (media, refused calls). */
export const noTokenUsage = {
  prompt_tokens: 0,
  completion_tokens: 0,
  cached_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
} as const satisfies Partial<RequestRecord>;

export interface RequestLogWriter {
  record(entry: RequestRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Resolves once every record queued so far has been written (tests, generation lookups). */
  settled(): Promise<void>;
}

export interface RequestLogOptions {
  flushIntervalMs: number;
  maxBatch: number;
  /** Upper bound on queued rows while the store is failing. */
  maxQueue?: number;
}

export function createRequestLogWriter(db: Kysely<Database>, logger: Logger, options: RequestLogOptions): RequestLogWriter {
  let queue: RequestRecord[] = [];
  let retry: RequestRecord[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const maxQueue = options.maxQueue ?? 100_000;

  async function writeBatch(rows: RequestRecord[]): Promise<void> {
    for (let i = 0; i < rows.length; i += options.maxBatch) {
      await db.insertInto('request_logs').values(rows.slice(i, i + options.maxBatch)).onConflict((oc) => oc.column('id').doNothing()).execute();
    }
  }

  async function flushOnce(): Promise<void> {
    const rows = [...retry, ...queue];
    const retried = retry.length;
    queue = [];
    retry = [];
    if (rows.length === 0) return;
    try {
      await writeBatch(rows);
    } catch (error) {
      logger.error({ err: error, rows: rows.length }, 'request log flush failed');
      // Rows that already failed once are dropped (and counted in the log line above).
      retry = rows.slice(retried).slice(-maxQueue);
    }
  }

  const flush = (): Promise<void> => {
    flushing = flushing.then(flushOnce);
    return flushing;
  };
  const timer = setInterval(() => void flush(), options.flushIntervalMs);
  timer.unref();

  return {
    record(entry) {
      if (queue.length >= maxQueue) {
        logger.error('request log queue full; dropping a record');
        return;
      }
      queue.push(entry);
      if (queue.length >= options.maxBatch) void flush();
    },
    flush,
    settled: flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
