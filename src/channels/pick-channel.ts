/**
 * Channel choice for one model: the highest priority wins; within it, a weighted random draw spreads load.
 * Pure, so the draw is tested with an injected `random`.
 */
import type { ChannelPick } from './channel-pick.js';
import type { Channel } from './channel.js';

/** A channel in the draw: the pipeline's ChannelPick (decrypted keys) plus the row that priority and weight come from. */
export interface ChannelCandidate extends ChannelPick {
  /** Decrypted second secret (Kling), when the channel has one. */
  secretKey: string | undefined;
  channel: Channel;
}

/** `random` returns a number in [0, 1), like Math.random. */
export function pickChannel(
  candidates: readonly ChannelCandidate[],
  exclude: ReadonlySet<string> | undefined,
  random: () => number,
): ChannelCandidate | undefined {
  const open = exclude ? candidates.filter((c) => !exclude.has(c.channel.id)) : candidates;
  if (open.length === 0) return undefined;
  const top = Math.max(...open.map((c) => c.channel.priority));
  const tier = open.filter((c) => c.channel.priority === top);
  if (tier.length === 1) return tier[0];
  const total = tier.reduce((sum, c) => sum + c.channel.weight, 0);
  let draw = random() * total;
  for (const candidate of tier) {
    draw -= candidate.channel.weight;
    if (draw < 0) return candidate;
  }
  // Only reachable when random() returns 1 or more, which a correct source never does.
  return tier.at(-1);
}

/**
 * Groups enabled channels by model, each list in name order (then id), so a given random value always draws
 * the same channel whatever order the store returned rows in (creation times can tie within a millisecond).
 */
export function indexChannelsByModel(picks: readonly ChannelCandidate[]): Map<string, ChannelCandidate[]> {
  const byModel = new Map<string, ChannelCandidate[]>();
  for (const pick of [...picks].sort(byNameThenId)) {
    if (!pick.channel.enabled) continue;
    for (const model of pick.channel.models) {
      const list = byModel.get(model) ?? [];
      list.push(pick);
      byModel.set(model, list);
    }
  }
  return byModel;
}

function byNameThenId(a: ChannelCandidate, b: ChannelCandidate): number {
  const x = a.channel;
  const y = b.channel;
  if (x.name !== y.name) return x.name < y.name ? -1 : 1;
  return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}
