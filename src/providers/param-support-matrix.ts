/**
 * Renders the parameter-support matrix the README shows, from the adapters' own tables, so the document
 * cannot drift from what the code does (test/unit/providers/param-support-matrix.test.ts compares them).
 */
import { anthropicBetaSupport } from './anthropic/beta-support.js';
import { anthropicParamSupport } from './anthropic/param-support.js';
import { geminiParamSupport } from './gemini/param-support.js';
import {
  openAICompatibleParamSupport,
  openAICompatibleStandardParams,
  type OpenAICompatibleParamRule,
  type OpenAICompatibleValueCheck,
} from './openai-compatible/param-support.js';
import { getOpenAICompatibleQuirks } from './openai-compatible/quirks.js';

const columns = [
  ['OpenAI', 'openai'],
  ['xAI', 'xai'],
  ['DeepSeek', 'deepseek'],
  ['Qwen', 'alibaba'],
  ['GLM', 'zhipu'],
  ['MiniMax', 'minimax'],
  ['MiMo', 'xiaomi'],
  ['Kimi', 'moonshot'],
] as const;

/** What a value must be; anything else is a 400 (the table never clamps). */
function describeCheck(check: OpenAICompatibleValueCheck | undefined): string {
  if (!check) return '';
  return ` (${acceptedValues(check)}, else 400)`;
}

function acceptedValues(check: OpenAICompatibleValueCheck): string {
  switch (check.kind) {
    case 'range':
      return check.min === check.max ? `${check.min}` : `${check.minExclusive ? '>' : ''}${check.min}–${check.max}`;
    case 'oneOf':
      return check.values.join('/');
    case 'maxItems':
      return `≤${check.max} item${check.max === 1 ? '' : 's'}`;
    default:
      return check satisfies never;
  }
}

function openAICompatibleCell(rule: OpenAICompatibleParamRule | undefined): string {
  if (!rule) return 'dropped ⚠';
  switch (rule.action) {
    case 'pass':
      return rule.priced !== undefined ? '✓ if priced, else 400' : `✓${describeCheck(rule.accept)}`;
    case 'rename':
      return `→ \`${rule.to}\`${describeCheck(rule.accept)}`;
    case 'drop':
      return `dropped ⚠${describeCheck(rule.accept)}`;
    case 'reject':
      return '400';
    default:
      return rule satisfies never;
  }
}

const handlingCell = { mapped: 'mapped', gateway: 'mapped', dropped: 'dropped ⚠', rejected: '400' } as const;

export const paramSupportLegend =
  '✓ passed on · → renamed · mapped: translated to the native field · dropped ⚠: not sent, named in `x-tokenhub-warnings` and the request record · 400: rejected with `unsupported_parameter` · values in parentheses are the only ones accepted.';

export function renderParamSupportMatrix(): string {
  const header = ['Parameter', ...columns.map(([name]) => name), 'Anthropic', 'Gemini'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const param of openAICompatibleStandardParams) {
    const compatible = columns.map(([, id]) => openAICompatibleCell(openAICompatibleParamSupport[id][param]));
    const anthropic = anthropicParamSupport.find((row) => row.param === param);
    const gemini = geminiParamSupport[param];
    lines.push(
      `| \`${param}\` | ${[...compatible, anthropic ? handlingCell[anthropic.handling] : 'dropped ⚠', gemini ? handlingCell[gemini.handling] : 'dropped ⚠'].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** Built by each adapter itself, never taken from the client. */
const structuralParams = new Set(['model', 'messages', 'stream', 'stream_options']);

export const paramExtrasLegend =
  '✓ if priced: passed only where the model\'s catalog price covers it (`pricing.serviceTiers`, `pricing.webSearchPerKCalls`), else 400 · a parameter no table names is a 400 for OpenAI and dropped ⚠ elsewhere.';

/** Every non-standard parameter some family's table names, and what each family does with it. */
export function renderParamExtrasMatrix(): string {
  const standard = new Set<string>(openAICompatibleStandardParams);
  const names = new Set<string>([
    ...columns.flatMap(([, id]) => Object.keys(openAICompatibleParamSupport[id])),
    ...anthropicParamSupport.map((row) => row.param),
    ...Object.keys(geminiParamSupport),
  ]);
  const params = [...names].filter((param) => !standard.has(param) && !structuralParams.has(param)).sort();
  const header = ['Parameter', ...columns.map(([name]) => name), 'Anthropic', 'Gemini'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const param of params) {
    const compatible = columns.map(([, id]) => {
      const rule = openAICompatibleParamSupport[id][param];
      if (rule !== undefined) return openAICompatibleCell(rule);
      return getOpenAICompatibleQuirks(id).unknownFields === 'reject' ? '400' : 'dropped ⚠';
    });
    const anthropic = anthropicParamSupport.find((row) => row.param === param);
    const gemini = geminiParamSupport[param];
    const cells = [...compatible, anthropic ? handlingCell[anthropic.handling] : 'dropped ⚠', gemini ? handlingCell[gemini.handling] : 'dropped ⚠'];
    lines.push(`| \`${param}\` | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const betaNeeds = { longContext: 'models with long-context tiers (`pricing.longContext`)', cacheWrite1h: 'models with a 1-hour cache write price' } as const;

/** The `anthropic-beta` values passed to Anthropic; any other value is a 400. */
export function renderAnthropicBetaTable(): string {
  const lines = ['| `anthropic-beta` value | Passed for | What it does |', '|---|---|---|'];
  for (const rule of anthropicBetaSupport) {
    lines.push(`| \`${rule.name}\` | ${rule.needs !== undefined ? betaNeeds[rule.needs] : 'every model'} | ${rule.note} |`);
  }
  return lines.join('\n');
}
