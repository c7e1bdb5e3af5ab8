/**
 * The chat pipeline's one view of billing: reserve a worst-case hold (throwing the 402 GatewayError when
 * refused), then exactly one of settle or release.
 */
import type { AuthContext } from '../accounts/auth-context.js';
import type { CatalogModel } from '../catalog/schema.js';
import type { ChatRequest } from '../providers/openai/chat-types.js';
import type { NormalizedUsage } from '../providers/types.js';
import { estimateChatHold } from './hold-estimate.js';
import type { ReleaseResult, ReserveInput, ReserveResult, SettleInput, SettleResult } from './holds.js';
import { MULTIPLIER_ONE } from './multiplier.js';
import type { ResolvedMultiplier } from './price-multipliers.js';
import { priceUsage } from './price.js';
import { pricedFeaturesOf } from './priced-features.js';
import { countChatPromptTokens, countTokens } from './token-count.js';

export interface ChatHoldHandle {
  holdId: string;
  amountNanos: bigint;
  /** Charges the usage once (later calls return the first charge); returns the nanos charged. */
  settle(usage: NormalizedUsage, estimated: boolean): Promise<bigint>;
  /** Frees the hold once; the call failed and nothing was delivered. */
  release(): Promise<void>;
}

export interface ChatBillingPort {
  reserve(input: { auth: AuthContext; generationId: string; model: CatalogModel; request: ChatRequest }): Promise<ChatHoldHandle>;
  countPromptTokens(request: ChatRequest): number;
  countTokens(text: string): number;
}

export interface ChatBillingPortDeps {
  multiplierFor(groupId: string, modelId: string): Promise<ResolvedMultiplier>;
  reserve(input: ReserveInput): Promise<ReserveResult>;
  settle(holdId: string, input: SettleInput): Promise<SettleResult>;
  release(holdId: string, reason?: string): Promise<ReleaseResult>;
}

export function createChatBillingPort(deps: ChatBillingPortDeps): ChatBillingPort {
  return {
    async reserve({ auth, generationId, model, request }) {
      const { multiplier } = await deps.multiplierFor(auth.groupId, model.id);
      const amountNanos = estimateChatHold(request, model, multiplier);
      const reserved = await deps.reserve({ userId: auth.userId, apiKeyId: auth.key?.id ?? null, requestId: generationId, amountNanos });
      if (!reserved.ok) throw reserved.error;
      const { holdId } = reserved;
      return {
        holdId,
        amountNanos,
        async settle(usage, estimated) {
          const billable = { kind: 'tokens' as const, usage, ...(model.pricing.kind === 'tokens' ? pricedFeaturesOf(request, model.pricing) : {}) };
          const costNanos = priceUsage(billable, model.pricing, multiplier);
          const upstreamCostNanos = priceUsage(billable, model.pricing, MULTIPLIER_ONE);
          const settled = await deps.settle(holdId, { costNanos, upstreamCostNanos, estimated });
          if (!settled.ok) throw new Error(`Hold ${holdId} could not be settled: ${settled.reason}`);
          return settled.chargedNanos;
        },
        async release() {
          const released = await deps.release(holdId);
          if (!released.ok) throw new Error(`Hold ${holdId} could not be released: ${released.reason}`);
        },
      };
    },
    countPromptTokens: countChatPromptTokens,
    countTokens,
  };
}
