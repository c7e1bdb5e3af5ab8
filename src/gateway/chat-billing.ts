/**
 * What the chat pipeline needs from billing: a worst-case hold before the call, then exactly one of
 * settle (actual or estimated usage) or release (nothing delivered). Implemented over billing/ in
 * services.ts (billing/chat-billing-port.ts).
 */
import type { AuthContext } from '../accounts/auth-context.js';
import type { CatalogModel } from '../catalog/schema.js';
import type { ChatRequest } from '../providers/openai/chat-types.js';
import type { NormalizedUsage } from '../providers/types.js';

export interface ChatHold {
  /** Charges the usage (once); returns the cost in nano-dollars. */
  settle(usage: NormalizedUsage, estimated: boolean): Promise<bigint>;
  /** Frees the whole hold (once): the call failed before anything was delivered. */
  release(): Promise<void>;
}

export interface ChatBilling {
  /** Places the hold or throws GatewayError 402 (`insufficient_quota`, `spend_limit_exceeded`). */
  reserve(input: { auth: AuthContext; generationId: string; model: CatalogModel; request: ChatRequest }): Promise<ChatHold>;
  /** Prompt tokens of a request, counted locally (used when an upstream never reported usage). */
  countPromptTokens(request: ChatRequest): number;
  /** Tokens in generated text, counted locally. */
  countTokens(text: string): number;
}
