import type { UpstreamTarget } from '../providers/types.js';

/** One upstream channel chosen for a call. */
export interface ChannelPick {
  channelId: string;
  provider: string;
  baseUrl: string;
  /** Decrypted. */
  apiKey: string;
  secretKey?: string | undefined;
}

export interface ChannelRouter {
  /** An enabled channel serving the model, skipping `exclude`; undefined when none is left. */
  pick(modelId: string, exclude?: ReadonlySet<string>): ChannelPick | undefined;
  isServed(modelId: string): boolean;
}

export function toUpstreamTarget(pick: ChannelPick, model: UpstreamTarget['model']): UpstreamTarget {
  return {
    provider: pick.provider,
    baseUrl: pick.baseUrl.replace(/\/+$/, ''),
    apiKey: pick.apiKey,
    secretKey: pick.secretKey,
    upstreamModel: model.upstreamModel,
    model,
  };
}
