/**
 * A `cache_control` breakpoint with `ttl: "1h"` makes Anthropic write the prefix to its 1-hour cache, billed at
 * twice the input price (5-minute writes: 1.25×). A model whose catalog price has no 1-hour write rate cannot
 * bill that, so such a breakpoint is refused before anything is sent.
 */
import type { CatalogModel } from '../../catalog/schema.js';
import { GatewayError } from '../../shared/errors.js';
import type { ChatRequest } from '../openai/chat-types.js';

export function assertCacheTtlsPriced(request: ChatRequest, model: CatalogModel): void {
  if (model.pricing.kind === 'tokens' && model.pricing.cacheWrite1hPerMTok !== undefined) return;
  const param = findOneHourCacheBreakpoint(request);
  if (param === undefined) return;
  throw new GatewayError('unsupported_parameter', {
    param,
    message: `1-hour cache writes are not available for ${model.id}: they have no price here. Leave out "ttl" for the 5-minute cache.`,
  });
}

/** The client-side path of the first `cache_control` asking for the 1-hour cache, if any. */
export function findOneHourCacheBreakpoint(request: ChatRequest): string | undefined {
  for (const [i, message] of request.messages.entries()) {
    if (!Array.isArray(message.content)) continue;
    for (const [j, part] of message.content.entries()) {
      if (asksForOneHour(part)) return `messages[${i}].content[${j}].cache_control`;
    }
  }
  for (const [i, tool] of (request.tools ?? []).entries()) {
    if (asksForOneHour(tool)) return `tools[${i}].cache_control`;
  }
  return undefined;
}

// Any part kind: the loose ones keep a `cache_control` the client put there, and it is refused here first.
function asksForOneHour(holder: object): boolean {
  const control = 'cache_control' in holder ? holder.cache_control : undefined;
  return typeof control === 'object' && control !== null && 'ttl' in control && control.ttl === '1h';
}
