/**
 * Every row of the README's parameter-support matrix is exercised: what the table says happens to a parameter
 * is what the request translator does with it.
 */
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../../src/shared/errors.js';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';
import {
  openAICompatibleParamSupport,
  openAICompatibleProviderIds,
  openAICompatibleStandardParams,
  type OpenAICompatibleParamRule,
  type OpenAICompatibleValueCheck,
} from '../../../../src/providers/openai-compatible/param-support.js';
import { toOpenAICompatibleRequest } from '../../../../src/providers/openai-compatible/request.js';
import type { UpstreamTarget } from '../../../../src/providers/types.js';
import { makeTarget } from './fixture-harness.js';

/** A value each parameter accepts under every provider's checks. */
const acceptedSample: Record<string, unknown> = {
  max_tokens: 100,
  max_completion_tokens: 100,
  temperature: 0.5,
  top_p: 0.5,
  n: 1,
  stop: ['END'],
  seed: 1,
  presence_penalty: 0.1,
  frequency_penalty: 0.1,
  user: 'user-123456',
  tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
  tool_choice: 'auto',
  parallel_tool_calls: true,
  response_format: { type: 'text' },
  reasoning_effort: 'low',
  logprobs: true,
  top_logprobs: 2,
  logit_bias: { '50256': 1 },
  modalities: ['text'],
  // Priced extras: accepted where the model's catalog price covers them (pricedTarget below).
  service_tier: 'priority',
  web_search_options: {},
};

function sampleFor(param: string): unknown {
  return Object.hasOwn(acceptedSample, param) ? acceptedSample[param] : { sample: param };
}

/** Schema-valid values of enumerated parameters, to find one a `oneOf` check does not list. */
const enumeratedCandidates: Record<string, Array<[label: string, value: unknown]>> = {
  tool_choice: [['auto', 'auto'], ['none', 'none'], ['required', 'required'], ['function', { type: 'function', function: { name: 'f' } }]],
  response_format: [['text', { type: 'text' }], ['json_object', { type: 'json_object' }], ['json_schema', { type: 'json_schema', json_schema: { name: 'x' } }]],
  modalities: [['["text"]', ['text']], ['["text","audio"]', ['text', 'audio']]],
};

function violating(param: string, check: OpenAICompatibleValueCheck): unknown {
  switch (check.kind) {
    case 'range': {
      // Just past the provider's bounds, on the side the front door still lets through.
      const candidates = [check.max + 1, check.max + 0.01, check.minExclusive === true ? check.min : check.min - 0.001];
      const outside = candidates.find((value) => chatRequestSchema.safeParse({ ...minimalRequest, [param]: value }).success);
      if (outside === undefined) throw new Error(`no schema-valid value outside ${check.min}..${check.max} for ${param}`);
      return outside;
    }
    case 'oneOf': {
      const outside = (enumeratedCandidates[param] ?? []).find(([label]) => !check.values.includes(label));
      if (outside === undefined) throw new Error(`no value outside ${check.values.join(',')} for ${param}`);
      return outside[1];
    }
    case 'maxItems':
      return Array.from({ length: check.max + 1 }, (_, i) => `stop${i}`);
  }
}

const minimalRequest = { model: 'openai/m', messages: [{ role: 'user', content: 'Hi' }] };

/** A target whose model prices a priority tier and web search, so the priced extras may pass. */
function pricedTarget(provider: (typeof openAICompatibleProviderIds)[number]): UpstreamTarget {
  const target = makeTarget(provider);
  const pricing = {
    kind: 'tokens' as const,
    inputPerMTok: '1',
    outputPerMTok: '2',
    serviceTiers: { priority: { inputPerMTok: '2', outputPerMTok: '4' } },
    webSearchPerKCalls: '25',
  };
  return { ...target, model: { ...target.model, pricing } };
}

function translate(provider: (typeof openAICompatibleProviderIds)[number], fields: Record<string, unknown>, target = pricedTarget(provider)) {
  const request = chatRequestSchema.parse({ model: `${provider}/m`, messages: [{ role: 'user', content: 'Hi' }], ...fields });
  const { request: upstream, warnings } = toOpenAICompatibleRequest(request, target);
  return { body: JSON.parse(upstream.body ?? '{}') as Record<string, unknown>, warnings };
}

const rows = openAICompatibleProviderIds.flatMap((provider) =>
  Object.entries(openAICompatibleParamSupport[provider]).map(([param, rule]) => [provider, param, rule] as const),
);

describe('openAICompatibleParamSupport', () => {
  it.each(openAICompatibleProviderIds)('%s names every standard parameter', (provider) => {
    for (const param of openAICompatibleStandardParams) expect(openAICompatibleParamSupport[provider]).toHaveProperty(param);
  });

  it.each(rows)('%s %s behaves as the table says', (provider, param, rule: OpenAICompatibleParamRule) => {
    const value = sampleFor(param);
    if (rule.action === 'reject') {
      expect(() => translate(provider, { [param]: value })).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param }));
      return;
    }
    const { body, warnings } = translate(provider, { [param]: value });
    const warned = warnings.some((w) => w.param === param);
    switch (rule.action) {
      case 'pass':
        expect(body[param]).toEqual(rule.asArray === true && typeof value === 'string' ? [value] : value);
        expect(warned).toBe(false);
        break;
      case 'rename':
        expect(body[rule.to]).toEqual(value);
        expect(body).not.toHaveProperty(param);
        expect(warned).toBe(false);
        break;
      case 'drop':
        expect(body).not.toHaveProperty(param);
        expect(warned).toBe(true);
        break;
    }
  });

  const checked = rows.filter(([, , rule]) => rule.action !== 'reject' && rule.accept !== undefined);
  it.each(checked)('%s %s rejects values outside what the upstream takes, never clamping them', (provider, param, rule) => {
    if (rule.action === 'reject' || rule.accept === undefined) throw new Error('filtered above');
    const bad = violating(param, rule.accept);
    let thrown: unknown;
    try {
      translate(provider, { [param]: bad });
    } catch (error) {
      thrown = error;
    }
    expect(isGatewayError(thrown) && thrown.code === 'unsupported_parameter' && thrown.param === param).toBe(true);
  });

  it('passes a provider its declared extra fields and drops undeclared ones with a warning', () => {
    const { body, warnings } = translate('deepseek', { thinking: { type: 'enabled' }, enable_thinking: true });
    expect(body.thinking).toEqual({ type: 'enabled' });
    expect(body).not.toHaveProperty('enable_thinking');
    expect(warnings).toContainEqual(expect.objectContaining({ param: 'enable_thinking' }));
  });

  it('refuses a field its table does not name when sending to OpenAI itself, rather than passing it on', () => {
    expect(() => translate('openai', { brand_new_option: { a: 1 } })).toThrow(
      expect.objectContaining({ code: 'unsupported_parameter', param: 'brand_new_option' }),
    );
  });

  const priced = rows.filter(([, , rule]) => rule.action === 'pass' && rule.priced !== undefined);
  it.each(priced)('%s %s is refused where the model has no price for it', (provider, param) => {
    expect(() => translate(provider, { [param]: sampleFor(param) }, makeTarget(provider))).toThrow(
      expect.objectContaining({ code: 'unsupported_parameter', param }),
    );
  });

  it('passes the standard service tier to a model without tier prices', () => {
    for (const tier of ['auto', 'default']) expect(translate('openai', { service_tier: tier }, makeTarget('openai')).body.service_tier).toBe(tier);
  });

  it('sends only include_usage as stream_options, whatever the client asked', () => {
    const { body } = translate('openai', { stream: true, stream_options: { include_usage: false, include_obfuscation: false } });
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('treats null parameters as absent', () => {
    const { body, warnings } = translate('zhipu', { seed: null, temperature: null });
    expect(body).not.toHaveProperty('seed');
    expect(body).not.toHaveProperty('temperature');
    expect(warnings).toEqual([]);
  });
});
