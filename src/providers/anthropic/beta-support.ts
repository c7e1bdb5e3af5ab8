/**
 * The `anthropic-beta` values the gateway passes on, as data. A beta can switch on upstream features billed
 * beyond plain tokens (1M context, 1-hour caching, bigger outputs, server tools), so only listed values go
 * upstream: free ones always, priced ones where the model's catalog price covers them. Any other value is
 * refused with 400 `unsupported_parameter` naming the header, never forwarded and billed at the token price.
 */
import type { CatalogModel } from '../../catalog/schema.js';
import { GatewayError } from '../../shared/errors.js';

/** What the model's catalog price must include for the beta to be billable. */
export type AnthropicBetaPriceNeed = 'longContext' | 'cacheWrite1h';

export interface AnthropicBetaRule {
  name: string;
  note: string;
  needs?: AnthropicBetaPriceNeed;
}

export const anthropicBetaSupport: readonly AnthropicBetaRule[] = [
  { name: 'claude-code-20250219', note: 'Claude Code’s client marker; changes nothing billed.' },
  { name: 'interleaved-thinking-2025-05-14', note: 'Thinking between tool calls; thinking bills as output tokens.' },
  { name: 'fine-grained-tool-streaming-2025-05-14', note: 'Tool input streamed unbuffered.' },
  { name: 'token-efficient-tools-2025-02-19', note: 'Fewer output tokens for tool calls.' },
  { name: 'context-management-2025-06-27', note: 'Old tool results cleared upstream; lowers input tokens.' },
  { name: 'prompt-caching-2024-07-31', note: 'Prompt caching; cache reads and writes are priced.' },
  { name: 'extended-cache-ttl-2025-04-11', note: '1-hour cache writes, at the catalog’s 1-hour write price.', needs: 'cacheWrite1h' },
  { name: 'context-1m-2025-08-07', note: 'Prompts above 200K tokens, at the catalog’s long-context rates.', needs: 'longContext' },
];

const rulesByName = new Map(anthropicBetaSupport.map((rule) => [rule.name, rule]));

/** The header value to send upstream (normalized, or undefined for none); throws 400 for a value it may not carry. */
export function checkAnthropicBetas(header: string | undefined, model: CatalogModel): string | undefined {
  const names = (header ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    const rule = rulesByName.get(name);
    if (rule === undefined) {
      throw new GatewayError('unsupported_parameter', {
        param: 'anthropic-beta',
        message: `The anthropic-beta value "${name}" is not one this gateway passes on; it may enable features billed beyond tokens.`,
      });
    }
    if (rule.needs !== undefined && !isPriced(rule.needs, model)) {
      throw new GatewayError('unsupported_parameter', {
        param: 'anthropic-beta',
        message: `The anthropic-beta value "${name}" is not available for ${model.id}: its cost has no price here.`,
      });
    }
  }
  return names.length > 0 ? names.join(',') : undefined;
}

function isPriced(need: AnthropicBetaPriceNeed, model: CatalogModel): boolean {
  if (model.pricing.kind !== 'tokens') return false;
  return need === 'longContext' ? model.pricing.longContext !== undefined : model.pricing.cacheWrite1hPerMTok !== undefined;
}
