/**
 * The state of every async task the mock upstreams accepted. Tasks move only when a test says so
 * (`advance`), or, in auto mode for demos, on their own as they are polled: running on the first poll,
 * succeeded on the second. Shared by the Ark, Kling and DashScope mocks, which shape it per wire format.
 *
 * Task ids are random, never a count: the table starts empty on every restart while a gateway keeps its jobs,
 * and an id handed out again would let a job from before the restart finish with another task's video.
 */
import { randomBytes } from 'node:crypto';

export type MockTaskStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'expired';

const terminal: ReadonlySet<MockTaskStatus> = new Set(['succeeded', 'failed', 'cancelled', 'expired']);

export interface MockTaskOutcome {
  /** Video URL of a succeeded task; the mock serves a placeholder when absent. */
  videoUrl?: string;
  /** Seconds reported for a succeeded task; the requested duration when absent. */
  durationSeconds?: number;
  /** Provider-native failure code / message of a failed task; each mock has a default. */
  errorCode?: string;
  errorMessage?: string;
}

export interface MockTask {
  provider: string;
  id: string;
  /** Create path relative to the provider prefix, e.g. `/v1/videos/image2video`. */
  path: string;
  model: string;
  /** The create body as the mock received it. */
  body: unknown;
  status: MockTaskStatus;
  polls: number;
  createdAtMs: number;
  updatedAtMs: number;
  outcome: MockTaskOutcome;
}

export interface MockTaskControlOptions {
  /** Demo mode: a task turns running on its first poll and succeeded on its second. */
  autoAdvance?: boolean;
  /** Epoch milliseconds; tests pass a ManualClock's now. */
  now?: () => number;
}

export interface MockTaskControl {
  readonly tasks: readonly MockTask[];
  autoAdvance: boolean;
  now(): number;
  find(id: string): MockTask | undefined;
  /** Moves one task, or every unfinished one with 'all'. Throws on an unknown id or a finished task. */
  advance(target: string, status: MockTaskStatus, outcome?: MockTaskOutcome): void;
  /**
   * Used by the mocks: records an accepted task under an id they shape from `nonce`, 16 random hex digits
   * (64 bits) that no other task of this table has.
   */
  create(fields: { provider: string; path: string; model: string; body: unknown; makeId: (nonce: string) => string }): MockTask;
  /** Used by the mocks on every query: counts the poll and applies auto mode. */
  recordPoll(task: MockTask): void;
}

export function createMockTaskControl(options: MockTaskControlOptions = {}): MockTaskControl {
  const tasks: MockTask[] = [];
  const now = options.now ?? (() => Date.now());
  const move = (task: MockTask, status: MockTaskStatus, outcome: MockTaskOutcome = {}) => {
    task.status = status;
    task.outcome = { ...task.outcome, ...outcome };
    task.updatedAtMs = now();
  };
  const control: MockTaskControl = {
    tasks,
    autoAdvance: options.autoAdvance ?? false,
    now,
    find: (id) => tasks.find((task) => task.id === id),
    advance(target, status, outcome) {
      if (target === 'all') {
        for (const task of tasks) if (!terminal.has(task.status)) move(task, status, outcome);
        return;
      }
      const task = control.find(target);
      if (task === undefined) throw new Error(`No mock task ${target}`);
      if (terminal.has(task.status)) throw new Error(`Mock task ${target} already finished as ${task.status}`);
      move(task, status, outcome);
    },
    create({ provider, path, model, body, makeId }) {
      const at = now();
      let id = makeId(randomBytes(8).toString('hex'));
      while (control.find(id) !== undefined) id = makeId(randomBytes(8).toString('hex'));
      const task: MockTask = { provider, id, path, model, body, status: 'queued', polls: 0, createdAtMs: at, updatedAtMs: at, outcome: {} };
      tasks.push(task);
      return task;
    },
    recordPoll(task) {
      task.polls += 1;
      if (!control.autoAdvance || terminal.has(task.status)) return;
      move(task, task.polls >= 2 ? 'succeeded' : 'running');
    },
  };
  return control;
}
