/**
 * The chat requests alive in this process, per user: the one place that can cap a user's concurrent streams,
 * name the holds that must not expire while their request still runs, and end requests from outside (a key
 * revoked, an account disabled, a shutdown past its drain deadline). Ending a request aborts its stop signal;
 * the pipeline then cuts the upstream, settles what was delivered and sends the reason as the final event.
 */
import { GatewayError } from '../shared/errors.js';

export interface LiveRequest {
  readonly generationId: string;
  readonly userId: string;
  readonly keyId: string | null;
  readonly stream: boolean;
  /** Aborts when the gateway ends the request; its reason is the GatewayError the client is told. */
  readonly stopSignal: AbortSignal;
  /** The reason the gateway ended the request, if it did. */
  readonly stopReason: GatewayError | undefined;
  stop(reason: GatewayError): void;
  /** Removes the request from the registry (once, when its call is over). */
  finish(): void;
}

export interface AdmitInput {
  generationId: string;
  userId: string;
  keyId: string | null;
  stream: boolean;
}

export class LiveRequests {
  private readonly byId = new Map<string, LiveRequest>();
  private emptyWaiters: Array<() => void> = [];

  /** @param maxStreamsPerUser concurrent streams one user may hold open in this process (0: no cap). */
  constructor(private readonly maxStreamsPerUser: number) {}

  /** Registers a request, or refuses a stream past the user's cap (429) as a value. */
  admit(input: AdmitInput): LiveRequest | GatewayError {
    if (input.stream && this.maxStreamsPerUser > 0 && this.streamsOf(input.userId) >= this.maxStreamsPerUser) {
      return new GatewayError('rate_limit_exceeded', {
        message: `Too many concurrent streams for this account (at most ${this.maxStreamsPerUser}); retry when one has ended.`,
        retryAfter: 1,
      });
    }
    const controller = new AbortController();
    let stopReason: GatewayError | undefined;
    const request: LiveRequest = {
      ...input,
      stopSignal: controller.signal,
      get stopReason() {
        return stopReason;
      },
      stop: (reason) => {
        if (controller.signal.aborted) return;
        stopReason = reason;
        controller.abort(reason);
      },
      finish: () => {
        if (this.byId.get(input.generationId) !== request) return;
        this.byId.delete(input.generationId);
        if (this.byId.size === 0) this.notifyEmpty();
      },
    };
    this.byId.set(input.generationId, request);
    return request;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Generation ids of every live request (their holds carry them as request ids). */
  generationIds(): string[] {
    return [...this.byId.keys()];
  }

  /** Ids of the API keys behind live requests, each once. */
  keyIds(): string[] {
    const ids = new Set<string>();
    for (const request of this.byId.values()) if (request.keyId !== null) ids.add(request.keyId);
    return [...ids];
  }

  stopUser(userId: string, reason: GatewayError): number {
    return this.stopWhere((r) => r.userId === userId, reason);
  }

  stopKey(keyId: string, reason: GatewayError): number {
    return this.stopWhere((r) => r.keyId === keyId, reason);
  }

  stopAll(reason: GatewayError): number {
    return this.stopWhere(() => true, reason);
  }

  /** Resolves once no request is live (at once when none is). */
  whenEmpty(): Promise<void> {
    if (this.byId.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  private streamsOf(userId: string): number {
    let count = 0;
    for (const request of this.byId.values()) if (request.stream && request.userId === userId) count++;
    return count;
  }

  private stopWhere(matches: (request: LiveRequest) => boolean, reason: GatewayError): number {
    let stopped = 0;
    for (const request of [...this.byId.values()]) {
      if (!matches(request) || request.stopSignal.aborted) continue;
      request.stop(reason);
      stopped++;
    }
    return stopped;
  }

  private notifyEmpty(): void {
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
