/**
 * Cache invalidation across gateway instances. Each instance keeps API keys, channels, the catalog and the price
 * multipliers in memory; when one changes them it publishes an event and the others drop or reload their
 * copies. With Redis configured the events travel over pub/sub; without it there is one instance and nothing
 * to tell.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export type ClusterEvent =
  | { kind: 'api-key'; keyHash: string }
  | { kind: 'user'; userId: string }
  | { kind: 'channels' }
  | { kind: 'catalog'; modelId: string }
  | { kind: 'multipliers' };

export interface ClusterEvents {
  publish(event: ClusterEvent): void;
  /** Events published by other instances. */
  subscribe(listener: (event: ClusterEvent) => void): () => void;
  /** Resolves once the subscription is live (a published event can no longer be missed). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export const singleInstanceEvents: ClusterEvents = {
  publish: () => undefined,
  subscribe: () => () => undefined,
  ready: async () => undefined,
  close: async () => undefined,
};

interface Envelope {
  from: string;
  event: ClusterEvent;
}

export interface RedisClusterEventsOptions {
  url: string;
  /** Separates gateways sharing one Redis (e.g. the PostgreSQL schema or database name). */
  namespace: string;
  onError?: (error: unknown) => void;
}

export function createRedisClusterEvents(options: RedisClusterEventsOptions): ClusterEvents {
  const instanceId = randomBytes(8).toString('hex');
  const channel = `tokenhub:${options.namespace}:events`;
  const publisher = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(options.url, { lazyConnect: false });
  const listeners = new Set<(event: ClusterEvent) => void>();
  const report = (error: unknown) => options.onError?.(error);
  publisher.on('error', report);
  subscriber.on('error', report);
  const subscribed = subscriber.subscribe(channel);
  subscriber.on('message', (_channel: string, message: string) => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch (error) {
      report(error);
      return;
    }
    if (envelope.from === instanceId) return;
    for (const listener of listeners) listener(envelope.event);
  });
  return {
    publish(event) {
      publisher.publish(channel, JSON.stringify({ from: instanceId, event } satisfies Envelope)).catch(report);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready: async () => {
      await subscribed;
    },
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}
