/**
 * Applies a provider's parameter table to the client's top-level fields: each one is passed, renamed, dropped
 * with a warning or rejected, and values outside what the upstream takes are rejected rather than clamped.
 */
import { STANDARD_SERVICE_TIERS, type ModelPricing } from '../../catalog/schema.js';
import { GatewayError } from '../../shared/errors.js';
import type { TranslationWarning } from '../types.js';
import type { OpenAICompatibleParamRule, OpenAICompatiblePricedExtra, OpenAICompatibleValueCheck } from './param-support.js';
import type { OpenAICompatibleQuirks } from './quirks.js';

/** Built by the request translator itself, never copied from the client. */
const structuralFields = new Set(['model', 'messages', 'stream', 'stream_options']);

export interface OpenAICompatibleParamOutcome {
  fields: Record<string, unknown>;
  warnings: TranslationWarning[];
}

export function applyOpenAICompatibleParams(
  request: Readonly<Record<string, unknown>>,
  quirks: OpenAICompatibleQuirks,
  pricing: ModelPricing,
): OpenAICompatibleParamOutcome {
  const out: OpenAICompatibleParamOutcome = { fields: {}, warnings: [] };
  for (const [param, value] of Object.entries(request)) {
    if (structuralFields.has(param) || value === null || value === undefined) continue;
    const rule = Object.hasOwn(quirks.params, param) ? quirks.params[param] : undefined;
    if (rule !== undefined) applyRule(param, value, rule, request, pricing, out);
    else if (quirks.unknownFields === 'reject') {
      throw new GatewayError('unsupported_parameter', { param, message: `${param} is not a parameter this gateway passes to this provider.` });
    } else out.warnings.push({ param, message: `${param} is not supported by this provider and was not sent.` });
  }
  return out;
}

function applyRule(
  param: string,
  value: unknown,
  rule: OpenAICompatibleParamRule,
  request: Readonly<Record<string, unknown>>,
  pricing: ModelPricing,
  out: OpenAICompatibleParamOutcome,
): void {
  if (rule.action === 'reject') {
    throw new GatewayError('unsupported_parameter', { param, message: `${param} is not supported by this model: ${rule.note}.` });
  }
  if (rule.accept !== undefined) assertOpenAICompatibleValue(param, value, rule.accept);
  if (rule.action === 'pass' && rule.priced !== undefined) assertPricedExtra(param, value, rule.priced, pricing);
  switch (rule.action) {
    case 'pass':
      out.fields[param] = rule.asArray === true && typeof value === 'string' ? [value] : value;
      return;
    case 'rename':
      if (request[rule.to] !== undefined && request[rule.to] !== null) {
        out.warnings.push({ param, message: `${param} was not sent: the request also sets ${rule.to}, which this provider uses.` });
        return;
      }
      out.fields[rule.to] = value;
      return;
    case 'drop':
      out.warnings.push({ param, message: `${param} was not sent: ${rule.note}.` });
      return;
    default:
      rule satisfies never;
  }
}

/** Throws 400 unsupported_parameter when the value fails the check. */
export function assertOpenAICompatibleValue(param: string, value: unknown, check: OpenAICompatibleValueCheck): void {
  if (meetsCheck(value, check)) return;
  throw new GatewayError('unsupported_parameter', { param, message: `${param} ${describeCheck(check)} for this model.` });
}

/** Throws 400 unsupported_parameter unless the model's catalog price covers what the value asks for upstream. */
function assertPricedExtra(param: string, value: unknown, extra: OpenAICompatiblePricedExtra, pricing: ModelPricing): void {
  const tokenPricing = pricing.kind === 'tokens' ? pricing : undefined;
  switch (extra) {
    case 'serviceTier': {
      const tiers = [...STANDARD_SERVICE_TIERS, ...Object.keys(tokenPricing?.serviceTiers ?? {})];
      if (typeof value === 'string' && tiers.includes(value)) return;
      throw new GatewayError('unsupported_parameter', {
        param,
        message: `${param} must be one of: ${tiers.join(', ')} for this model; other tiers are billed at rates this gateway does not price.`,
      });
    }
    case 'webSearch':
      if (tokenPricing?.webSearchPerKCalls !== undefined) return;
      throw new GatewayError('unsupported_parameter', { param, message: `${param} is not supported by this model: web search has no price here.` });
    default:
      extra satisfies never;
  }
}

function meetsCheck(value: unknown, check: OpenAICompatibleValueCheck): boolean {
  switch (check.kind) {
    case 'range':
      return typeof value === 'number' && (check.minExclusive === true ? value > check.min : value >= check.min) && value <= check.max;
    case 'oneOf':
      return check.values.includes(describeValue(value));
    case 'maxItems':
      return typeof value === 'string' || (Array.isArray(value) && value.length <= check.max);
    default:
      return check satisfies never;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
    return (value as { type: string }).type;
  }
  return JSON.stringify(value);
}

function describeCheck(check: OpenAICompatibleValueCheck): string {
  switch (check.kind) {
    case 'range':
      if (check.min === check.max && check.minExclusive !== true) return `must be ${check.min}`;
      return check.minExclusive === true
        ? `must be greater than ${check.min} and at most ${check.max}`
        : `must be between ${check.min} and ${check.max}`;
    case 'oneOf':
      return check.values.length === 1 ? `must be ${check.values[0]}` : `must be one of: ${check.values.join(', ')}`;
    case 'maxItems':
      return `accepts at most ${check.max} ${check.max === 1 ? 'entry' : 'entries'}`;
    default:
      return check satisfies never;
  }
}
