/**
 * In-memory positive cache of API key lookups, keyed by key hash. A generation counter stops a lookup that
 * started before an invalidation from writing its (now stale) row back afterwards.
 */
import type { IpAllowlist } from './ip-allowlist.js';

export interface CachedApiKey {
  keyId: string;
  keyHash: string;
  userId: string;
  keyStatus: 'active' | 'revoked';
  expiresAt: number | null;
  allowedModels: readonly string[] | null;
  allowedIps: readonly string[] | null;
  ipAllowlist: IpAllowlist | null;
  adminScope: boolean;
  role: 'user' | 'admin';
  userStatus: 'active' | 'disabled';
  groupId: string;
}

interface Slot {
  entry: CachedApiKey;
  loadedAt: number;
}

export class ApiKeyCache {
  private readonly slots = new Map<string, Slot>();
  private generationValue = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get generation(): number {
    return this.generationValue;
  }

  get(keyHash: string, now: number): CachedApiKey | undefined {
    const slot = this.slots.get(keyHash);
    if (!slot) return undefined;
    if (now - slot.loadedAt >= this.ttlMs) {
      this.slots.delete(keyHash);
      return undefined;
    }
    return slot.entry;
  }

  /** Stores the entry unless an invalidation happened since `generation` was read. */
  set(entry: CachedApiKey, now: number, generation: number): void {
    if (generation !== this.generationValue) return;
    if (this.slots.size >= this.maxEntries && !this.slots.has(entry.keyHash)) {
      // Map iteration order is insertion order, so the first key is the oldest load.
      const oldest = this.slots.keys().next();
      if (!oldest.done) this.slots.delete(oldest.value);
    }
    this.slots.set(entry.keyHash, { entry, loadedAt: now });
  }

  deleteHash(keyHash: string): void {
    this.generationValue++;
    this.slots.delete(keyHash);
  }

  deleteUser(userId: string): void {
    this.generationValue++;
    for (const [hash, slot] of this.slots) if (slot.entry.userId === userId) this.slots.delete(hash);
  }

  get size(): number {
    return this.slots.size;
  }
}
