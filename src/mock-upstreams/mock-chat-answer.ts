/**
 * The deterministic "model" behind the chat mocks: the same prompt always yields the same reasoning, text,
 * tool calls and token counts, so tests can predict answers and usage exactly.
 *
 * Rules: the answer echoes the last user text (`You said: …`), or reports the last tool result. Tools are
 * called when tool_choice forces one, or when the last user text names a tool or contains `[[tool]]`
 * (every named tool in parallel unless parallel tool calls are off). JSON response formats yield JSON
 * valid against the given schema. Token counts are ~1 per 4 characters (min 1 for non-empty text), plus 85
 * per image. An output token limit below the answer's size truncates plain text and finishes with `length`.
 *
 * Directives in the last user message (stripped from the echo):
 *   [[error:<status>]]  provider-shaped error with that HTTP status (429 and 503 carry retry-after)
 *   [[stream-error]]    streams a few chunks, then an in-stream error event and no end marker
 *   [[long]]            a long answer, streamed as hundreds of chunks
 *   [[tool]]            call the first tool (when tools are present)
 *   [[cache-hit]]       half the prompt tokens (rounded down) are reported as cache reads
 *   [[finish:<reason>]] reports this raw finish reason (e.g. `sensitive`, `insufficient_system_resource`)
 *   [[base-resp:<code>]] MiniMax only: HTTP 200 carrying base_resp.status_code = code
 */
import { createHash } from 'node:crypto';
import { sampleMockJsonValue } from './mock-json-schema.js';

export interface MockTool {
  name: string;
  parameters: unknown;
}

export type MockToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type MockResponseFormat = { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; schema: unknown };

export interface MockChatPrompt {
  /** Text of the last user message, directives included. */
  lastUserText: string;
  /** Content of the final message when it is a tool result. */
  toolResult: string | undefined;
  /** All request text that counts as prompt (messages, tool definitions). */
  promptText: string;
  imageCount: number;
  tools: MockTool[];
  toolChoice: MockToolChoice;
  parallelToolCalls: boolean;
  responseFormat: MockResponseFormat;
  reasoning: boolean;
  maxOutputTokens: number | undefined;
}

export interface MockDirectives {
  error: number | undefined;
  streamError: boolean;
  long: boolean;
  tool: boolean;
  cacheHit: boolean;
  finish: string | undefined;
  baseResp: number | undefined;
}

export interface MockToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface MockChatAnswer {
  reasoning: string | undefined;
  content: string | undefined;
  toolCalls: MockToolCall[];
  /** `stop`, `length`, `tool_calls`, or the raw reason a `[[finish:…]]` directive asked for. */
  finishReason: string;
  usage: MockTokenCounts;
}

export interface MockTokenCounts {
  prompt: number;
  cached: number;
  /** Visible output: text and tool calls, without reasoning. */
  completion: number;
  reasoning: number;
}

const DIRECTIVE = /\[\[([a-z-]+)(?::([^\]]*))?\]\]/g;
const IMAGE_TOKENS = 85;

export function countMockTokens(text: string): number {
  const chars = [...text].length;
  return chars === 0 ? 0 : Math.max(1, Math.ceil(chars / 4));
}

export function parseMockDirectives(text: string): MockDirectives {
  const found = new Map<string, string>();
  for (const match of text.matchAll(DIRECTIVE)) found.set(match[1] ?? '', match[2] ?? '');
  const number = (key: string) => (found.has(key) && /^\d+$/.test(found.get(key) ?? '') ? Number(found.get(key)) : undefined);
  return {
    error: number('error'),
    streamError: found.has('stream-error'),
    long: found.has('long'),
    tool: found.has('tool'),
    cacheHit: found.has('cache-hit'),
    finish: found.get('finish') || undefined,
    baseResp: number('base-resp'),
  };
}

export function stripMockDirectives(text: string): string {
  return text.replace(DIRECTIVE, '').replace(/\s+/g, ' ').trim();
}

/** Short deterministic hex id derived from `seed`. */
export function hashMockId(seed: string, length = 24): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** `idSeed` (e.g. the response id) makes tool-call ids unique per response, as upstream ids are. */
export function buildMockChatAnswer(prompt: MockChatPrompt, directives: MockDirectives, idSeed = ''): MockChatAnswer {
  const said = stripMockDirectives(prompt.lastUserText) || '(no text)';
  const toolCalls = selectMockToolCalls(prompt, directives, `${idSeed}|${said}`);
  let reasoning = prompt.reasoning ? `The user said "${said.slice(0, 80)}". A short, direct reply fits.` : undefined;
  let content: string | undefined = toolCalls.length > 0 ? undefined : composeMockContent(prompt, directives, said);
  let finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const plainText = toolCalls.length === 0 && prompt.responseFormat.type === 'text';
  if (plainText && prompt.maxOutputTokens !== undefined) {
    const limited = limitMockOutput(reasoning, content ?? '', prompt.maxOutputTokens);
    if (limited) ({ reasoning, content, finishReason } = { ...limited, finishReason: 'length' });
  }
  if (directives.finish) finishReason = directives.finish;
  const prompted = countMockTokens(prompt.promptText) + IMAGE_TOKENS * prompt.imageCount;
  const usage: MockTokenCounts = {
    prompt: prompted,
    cached: directives.cacheHit ? Math.floor(prompted / 2) : 0,
    completion: countMockTokens(content ?? '') + toolCalls.reduce((n, c) => n + countMockTokens(c.name + c.arguments), 0),
    reasoning: countMockTokens(reasoning ?? ''),
  };
  return { reasoning, content, toolCalls, finishReason, usage };
}

function composeMockContent(prompt: MockChatPrompt, directives: MockDirectives, said: string): string {
  const format = prompt.responseFormat;
  if (format.type === 'json_schema') return JSON.stringify(sampleMockJsonValue(format.schema));
  if (format.type === 'json_object') return JSON.stringify({ answer: `You said: ${said}` });
  if (directives.long) return Array.from({ length: 60 }, (_, i) => `Sentence ${i + 1} of a long answer.`).join(' ');
  if (prompt.toolResult !== undefined) return `The tool returned: ${prompt.toolResult}`;
  return `You said: ${said}`;
}

function selectMockToolCalls(prompt: MockChatPrompt, directives: MockDirectives, idSeed: string): MockToolCall[] {
  const { tools, toolChoice } = prompt;
  if (tools.length === 0 || toolChoice === 'none' || prompt.toolResult !== undefined) return [];
  let chosen: MockTool[];
  if (typeof toolChoice === 'object') chosen = tools.filter((tool) => tool.name === toolChoice.name).slice(0, 1);
  else {
    const lower = prompt.lastUserText.toLowerCase();
    chosen = tools.filter((tool) => lower.includes(tool.name.toLowerCase()));
    if (chosen.length === 0 && (directives.tool || toolChoice === 'required')) chosen = tools.slice(0, 1);
    if (!prompt.parallelToolCalls) chosen = chosen.slice(0, 1);
  }
  return chosen.map((tool, i) => ({
    id: `call_${hashMockId(`${idSeed}|${tool.name}|${i}`)}`,
    name: tool.name,
    arguments: JSON.stringify(sampleMockJsonValue(tool.parameters ?? { type: 'object', properties: {} })),
  }));
}

/** Cuts reasoning, then text, to fit `limit` tokens; undefined when everything fits. */
function limitMockOutput(reasoning: string | undefined, content: string, limit: number) {
  const reasoningTokens = countMockTokens(reasoning ?? '');
  if (reasoningTokens + countMockTokens(content) <= limit) return undefined;
  if (reasoning !== undefined && reasoningTokens >= limit) return { reasoning: takeMockTokens(reasoning, limit), content: '' };
  return { reasoning, content: takeMockTokens(content, limit - reasoningTokens) };
}

function takeMockTokens(text: string, tokens: number): string {
  return [...text].slice(0, tokens * 4).join('');
}
