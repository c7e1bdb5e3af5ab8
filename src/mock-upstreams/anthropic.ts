/**
 * Mock Anthropic Messages API: `POST /v1/messages`, non-stream and stream, validating requests the way the real
 * API does (auth and version headers, max_tokens, alternating roles starting with user, non-empty text,
 * tool_use/tool_result pairing with results first, tool_choice, thinking budget and signed thinking blocks on the
 * continued turn) and answering deterministically:
 *
 * - text: `Echo: <last user text>`; after tool results: `Tool results: <their text>`;
 * - tool_use when tools are given and tool_choice forces one (`any`, `tool`), or the last user text names a tool
 *   or contains `[[tool]]` (with `auto`); its input is sampled from the tool's input_schema (strings take the word
 *   after "in " in the user text, e.g. the city, else its last capitalised word);
 * - JSON text sampled from `output_config.format.schema` when present;
 * - a signed thinking block first when `thinking` is on and the last turn is not tool results;
 * - stop_sequences and max_tokens (counted in words) cut the text as upstream would;
 * - usage: about 4 characters per token; blocks marked `cache_control` are written to a cache on first sight and
 *   read from it afterwards; writes are reported as 1-hour ones when the last breakpoint has `ttl: "1h"`.
 *
 * Special prompts in the last user text: `[[overloaded]]` → 529 overloaded_error (stream: HTTP 200, the first content delta,
 * then an `event: error`); `[[rate-limit]]` → 429 with `retry-after: 7`; `[[too-long]]` → 400 "prompt is too long";
 * `[[refusal]]` → stop_reason refusal; `[[redacted]]` → a redacted_thinking block too (thinking on).
 * The API key `sk-ant-invalid` gets 401.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { MockContext, MockProvider, MockRequest } from './types.js';

type Json = Record<string, unknown>;
type Block = Json & { type: string };
interface Turn {
  role: string;
  content: Block[];
}
interface Reply {
  content: Block[];
  stopReason: string;
  stopSequence: string | null;
  usage: Json;
}
interface MockState {
  messages: number;
  tools: number;
  cache: Set<string>;
}

const THINKING_KEY = 'tokenhub-mock-thinking';
const REDACTED_PREFIX = 'mockredacted_';
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function createAnthropicMock(): MockProvider {
  const state: MockState = { messages: 0, tools: 0, cache: new Set() };
  return async (req, res, ctx) => {
    if (req.pathname !== '/v1/messages') return false;
    await handleAnthropicMessages(req, res, ctx, state);
    return true;
  };
}

async function handleAnthropicMessages(req: MockRequest, res: ServerResponse, ctx: MockContext, state: MockState): Promise<void> {
  const requestId = `req_mock_${state.messages + 1}`;
  const fail = (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
    ctx.sendError(res, status, { type: 'error', error: { type, message }, request_id: requestId }, { 'request-id': requestId, ...headers });
  if (req.method !== 'POST') return fail(405, 'invalid_request_error', 'Method not allowed.');
  const key = req.headers['x-api-key'];
  if (key === undefined || key === '' || key === 'sk-ant-invalid') return fail(401, 'authentication_error', 'invalid x-api-key');
  if (!req.headers['anthropic-version']) return fail(400, 'invalid_request_error', 'anthropic-version: header is required');
  const problem = validateAnthropicMockRequest(req.body, req.headers['anthropic-beta'] ?? '');
  if (problem !== undefined) return fail(400, 'invalid_request_error', problem);

  const body = req.body as Json & { messages: Turn[] };
  const lastText = textOf(body.messages.at(-1) as Turn);
  if (lastText.includes('[[rate-limit]]')) return fail(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit.', { 'retry-after': '7' });
  if (lastText.includes('[[too-long]]')) return fail(400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum');
  const overloaded = lastText.includes('[[overloaded]]');
  if (overloaded && body['stream'] !== true) return fail(529, 'overloaded_error', 'Overloaded');

  state.messages += 1;
  const reply = planAnthropicMockReply(body, lastText, state);
  const message = {
    id: `msg_mock_${state.messages}`,
    type: 'message',
    role: 'assistant',
    model: body['model'],
    content: reply.content,
    stop_reason: reply.stopReason,
    stop_sequence: reply.stopSequence,
    usage: reply.usage,
  };
  if (body['stream'] === true) return ctx.sendSse(res, toAnthropicMockFrames(message, reply, overloaded));
  return ctx.sendJson(res, message, 200, { 'request-id': requestId });
}

/** Returns the first problem the real API would report with a 400, or undefined. */
export function validateAnthropicMockRequest(value: unknown, beta: string): string | undefined {
  if (!isObject(value)) return 'Request body must be a JSON object.';
  if (typeof value['model'] !== 'string' || value['model'] === '') return 'model: Field required';
  const maxTokens = value['max_tokens'];
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) return 'max_tokens: Field required';
  const temperature = value['temperature'];
  if (temperature !== undefined && (typeof temperature !== 'number' || temperature < 0 || temperature > 1)) {
    return 'temperature: Input should be less than or equal to 1';
  }
  const messages = value['messages'];
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: at least one message is required';
  return (
    validateSystem(value['system']) ??
    validateTurns(messages) ??
    validateTools(value['tools'], value['tool_choice']) ??
    validateThinking(value, messages as Turn[], maxTokens, beta)
  );
}

function validateSystem(system: unknown): string | undefined {
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system)) return 'system: Input should be a valid string or list';
  const bad = system.findIndex((block) => !isObject(block) || block['type'] !== 'text' || !hasText(block['text']));
  return bad === -1 ? undefined : `system.${bad}: text content blocks must contain non-whitespace text`;
}

function validateTurns(messages: unknown[]): string | undefined {
  let previous: Turn | undefined;
  for (let i = 0; i < messages.length; i++) {
    const raw = messages[i];
    if (!isObject(raw) || (raw['role'] !== 'user' && raw['role'] !== 'assistant')) return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (i === 0 && raw['role'] !== 'user') return 'messages: first message must use the "user" role';
    if (previous?.role === raw['role']) {
      return `messages: roles must alternate between "user" and "assistant", but found multiple "${raw['role']}" roles in a row`;
    }
    const turn: Turn = { role: raw['role'] as string, content: normalizeContent(raw['content']) };
    if (turn.content.length === 0) return `messages.${i}: all messages must have non-empty content`;
    const problem = validateBlocks(turn, i) ?? validatePairing(previous, turn, i, messages[i + 1]);
    if (problem !== undefined) return problem;
    previous = turn;
  }
  return undefined;
}

function validateBlocks(turn: Turn, i: number): string | undefined {
  const allowed = turn.role === 'user' ? ['text', 'image', 'document', 'tool_result'] : ['text', 'tool_use', 'thinking', 'redacted_thinking'];
  let seenOther = false;
  for (const [j, block] of turn.content.entries()) {
    const at = `messages.${i}.content.${j}`;
    if (!allowed.includes(block.type)) return `${at}.type: "${block.type}" blocks are not allowed in ${turn.role} messages`;
    if (block.type === 'text' && !hasText(block['text'])) return `${at}.text: text content blocks must contain non-whitespace text`;
    if (block.type === 'tool_result' && seenOther) return `${at}: tool_result blocks must come before any other content in a user message`;
    if (block.type !== 'tool_result') seenOther = true;
    if (block.type === 'tool_use' && (typeof block['id'] !== 'string' || !isObject(block['input']))) return `${at}: tool_use needs an id and an object input`;
    if (block.type === 'thinking' && block['signature'] !== signAnthropicMockThinking(String(block['thinking']))) {
      return `${at}: Invalid \`signature\` in \`thinking\` block`;
    }
    if (block.type === 'redacted_thinking' && !String(block['data']).startsWith(REDACTED_PREFIX)) return `${at}: Invalid \`data\` in \`redacted_thinking\` block`;
  }
  return undefined;
}

function validatePairing(previous: Turn | undefined, turn: Turn, i: number, next: unknown): string | undefined {
  if (turn.role === 'user') {
    const known = new Set((previous?.content ?? []).filter((b) => b.type === 'tool_use').map((b) => b['id']));
    const orphan = turn.content.find((b) => b.type === 'tool_result' && !known.has(b['tool_use_id']));
    if (orphan !== undefined) {
      return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(orphan['tool_use_id'])}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
    return undefined;
  }
  if (next === undefined) return undefined;
  const answered = new Set(normalizeContent(isObject(next) ? next['content'] : undefined).map((b) => b['tool_use_id']));
  const missing = turn.content.filter((b) => b.type === 'tool_use' && !answered.has(b['id'])).map((b) => String(b['id']));
  return missing.length === 0
    ? undefined
    : `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
}

function validateTools(tools: unknown, choice: unknown): string | undefined {
  const list = tools === undefined ? [] : tools;
  if (!Array.isArray(list)) return 'tools: Input should be a valid list';
  for (const [i, tool] of list.entries()) {
    if (!isObject(tool) || typeof tool['name'] !== 'string' || !TOOL_NAME.test(tool['name'])) return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
    const schema = tool['input_schema'];
    if (!isObject(schema) || schema['type'] !== 'object') return `tools.${i}.input_schema.type: Input should be 'object'`;
  }
  if (choice === undefined) return undefined;
  if (!isObject(choice) || !['auto', 'any', 'none', 'tool'].includes(String(choice['type']))) return 'tool_choice.type: Input should be auto, any, none or tool';
  if ((choice['type'] === 'any' || choice['type'] === 'tool') && list.length === 0) return 'tool_choice: tools must be provided when tool_choice forces tool use';
  if (choice['type'] === 'tool' && !list.some((tool) => isObject(tool) && tool['name'] === choice['name'])) {
    return `tool_choice.name: tool "${String(choice['name'])}" not found in tools`;
  }
  return undefined;
}

function validateThinking(body: Json, messages: Turn[], maxTokens: number, beta: string): string | undefined {
  const thinking = body['thinking'];
  if (thinking === undefined) return undefined;
  if (!isObject(thinking) || !['enabled', 'disabled', 'adaptive'].includes(String(thinking['type']))) return 'thinking.type: Input should be enabled, disabled or adaptive';
  if (thinking['type'] !== 'enabled') return undefined;
  const budget = thinking['budget_tokens'];
  if (typeof budget !== 'number' || budget < 1024) return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
  if (budget >= maxTokens && !beta.includes('interleaved-thinking')) return '`max_tokens` must be greater than `thinking.budget_tokens`';
  const choice = body['tool_choice'];
  if (isObject(choice) && (choice['type'] === 'any' || choice['type'] === 'tool')) return 'Thinking may not be enabled when tool_choice forces tool use.';
  const last = messages.at(-1) as Turn;
  const previous = messages.at(-2);
  const continuing = normalizeContent(last.content)[0]?.type === 'tool_result';
  const first = previous === undefined ? undefined : normalizeContent(previous.content)[0]?.type;
  if (continuing && first !== 'thinking' && first !== 'redacted_thinking') {
    return `messages.${messages.length - 2}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`;
  }
  return undefined;
}

function planAnthropicMockReply(body: Json & { messages: Turn[] }, lastText: string, state: MockState): Reply {
  const last = body.messages.at(-1) as Turn;
  const results = normalizeContent(last.content).filter((block) => block.type === 'tool_result');
  const content: Block[] = [];
  const thinking = body['thinking'];
  if (isObject(thinking) && thinking['type'] !== 'disabled' && results.length === 0) {
    const text = `The user wrote: ${lastText}`;
    content.push({ type: 'thinking', thinking: text, signature: signAnthropicMockThinking(text) });
    if (lastText.includes('[[redacted]]')) content.push({ type: 'redacted_thinking', data: `${REDACTED_PREFIX}${Buffer.from(text).toString('base64')}` });
  }
  let stopReason = 'end_turn';
  let stopSequence: string | null = null;
  const tool = results.length === 0 ? pickTool(body, lastText) : undefined;
  const format = body['output_config'];
  if (tool !== undefined) {
    const forced = isObject(body['tool_choice']) && body['tool_choice']['type'] !== 'auto';
    if (!forced) content.push({ type: 'text', text: `Calling ${String(tool['name'])}.` });
    state.tools += 1;
    content.push({ type: 'tool_use', id: `toolu_mock_${state.tools}`, name: tool['name'], input: sampleFromSchema(tool['input_schema'], lastText) });
    stopReason = 'tool_use';
  } else if (isObject(format) && isObject(format['format'])) {
    content.push({ type: 'text', text: JSON.stringify(sampleFromSchema(format['format']['schema'], lastText)) });
  } else if (lastText.includes('[[refusal]]')) {
    content.push({ type: 'text', text: 'I can’t help with that.' });
    stopReason = 'refusal';
  } else {
    const full = results.length > 0 ? `Tool results: ${results.map((r) => textOf({ role: 'user', content: normalizeContent(r['content']) })).join(' | ')}` : `Echo: ${lastText}`;
    const cut = cutAnthropicMockText(full, body['stop_sequences'], body['max_tokens'] as number);
    if (cut.text !== '') content.push({ type: 'text', text: cut.text });
    stopReason = cut.stopReason;
    stopSequence = cut.stopSequence;
  }
  return { content, stopReason, stopSequence, usage: countUsage(body, content, state) };
}

function pickTool(body: Json, lastText: string): Json | undefined {
  const tools = (Array.isArray(body['tools']) ? body['tools'] : []).filter(isObject);
  const choice = isObject(body['tool_choice']) ? body['tool_choice'] : { type: 'auto' };
  if (tools.length === 0 || choice['type'] === 'none') return undefined;
  if (choice['type'] === 'tool') return tools.find((tool) => tool['name'] === choice['name']);
  const named = tools.find((tool) => lastText.includes(String(tool['name'])));
  if (choice['type'] === 'any') return named ?? tools[0];
  return named ?? (lastText.includes('[[tool]]') ? tools[0] : undefined);
}

function cutAnthropicMockText(text: string, stops: unknown, maxTokens: number): { text: string; stopReason: string; stopSequence: string | null } {
  const hits = (Array.isArray(stops) ? stops : [])
    .filter((s): s is string => typeof s === 'string' && s !== '' && text.includes(s))
    .sort((a, b) => text.indexOf(a) - text.indexOf(b));
  const words = text.split(' ');
  if (words.length > maxTokens) return { text: words.slice(0, maxTokens).join(' '), stopReason: 'max_tokens', stopSequence: null };
  const hit = hits[0];
  if (hit !== undefined) return { text: text.slice(0, text.indexOf(hit)), stopReason: 'stop_sequence', stopSequence: hit };
  return { text, stopReason: 'end_turn', stopSequence: null };
}

function sampleFromSchema(schema: unknown, text: string): unknown {
  const s = isObject(schema) ? schema : {};
  if (Array.isArray(s['enum']) && s['enum'].length > 0) return s['enum'][0];
  switch (s['type']) {
    case 'string':
      // "… in Paris …" gives "Paris"; otherwise the last capitalised word.
      return /\bin ([A-Z][\w-]*)/.exec(text)?.[1] ?? /.*\b([A-Z][a-z]+)/.exec(text)?.[1] ?? 'example';
    case 'number':
    case 'integer':
      return typeof s['minimum'] === 'number' ? s['minimum'] : 1;
    case 'boolean':
      return true;
    case 'array':
      return [sampleFromSchema(s['items'], text)];
    case 'null':
      return null;
    default: {
      const properties = isObject(s['properties']) ? s['properties'] : undefined;
      if (properties === undefined || Object.keys(properties).length === 0) return { answer: text };
      return Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, sampleFromSchema(sub, text)]));
    }
  }
}

function countUsage(body: Json & { messages: Turn[] }, content: Block[], state: MockState): Json {
  const promptParts: unknown[] = [body['system'], body['tools'], ...body.messages];
  const total = estimateTokens(JSON.stringify(promptParts));
  const marked = JSON.stringify(promptParts).lastIndexOf('"cache_control"');
  // The last breakpoint's ttl decides which cache the prefix is written to, as upstream reports it.
  const oneHour = marked !== -1 && /^"cache_control":\{[^}]*"ttl":"1h"/.test(JSON.stringify(promptParts).slice(marked));
  let cacheRead = 0;
  let cacheWrite = 0;
  if (marked !== -1) {
    const prefix = JSON.stringify(promptParts).slice(0, marked);
    const prefixTokens = estimateTokens(prefix);
    const key = createHash('sha256').update(prefix).digest('hex');
    if (state.cache.has(key)) cacheRead = prefixTokens;
    else cacheWrite = prefixTokens;
    state.cache.add(key);
  }
  const output = content.map((block) => JSON.stringify(block['text'] ?? block['thinking'] ?? block['input'] ?? block['data'] ?? '')).join('');
  return {
    input_tokens: Math.max(1, total - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_creation: { ephemeral_5m_input_tokens: oneHour ? 0 : cacheWrite, ephemeral_1h_input_tokens: oneHour ? cacheWrite : 0 },
    cache_read_input_tokens: cacheRead,
    output_tokens: estimateTokens(output),
  };
}

function toAnthropicMockFrames(message: Json & { content: Block[]; usage: Json }, reply: Reply, overloaded: boolean): string[] {
  const frames = [frame('message_start', { message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } } })];
  frames.push(frame('ping', {}));
  for (const [index, block] of message.content.entries()) {
    frames.push(...blockFrames(index, block));
    if (overloaded) {
      // Cut right after the first delta, as an upstream overload mid-answer does.
      return [...frames.slice(0, 4), frame('error', { error: { type: 'overloaded_error', message: 'Overloaded' } })];
    }
  }
  frames.push(frame('message_delta', { delta: { stop_reason: reply.stopReason, stop_sequence: reply.stopSequence }, usage: reply.usage }));
  frames.push(frame('message_stop', {}));
  return frames;
}

function blockFrames(index: number, block: Block): string[] {
  const delta = (d: Json) => frame('content_block_delta', { index, delta: d });
  const start = (b: Json) => frame('content_block_start', { index, content_block: b });
  const stop = frame('content_block_stop', { index });
  if (block.type === 'text') return [start({ type: 'text', text: '' }), ...splitText(String(block['text'])).map((text) => delta({ type: 'text_delta', text })), stop];
  if (block.type === 'thinking') {
    const pieces = splitText(String(block['thinking'])).map((thinking) => delta({ type: 'thinking_delta', thinking }));
    return [start({ type: 'thinking', thinking: '', signature: '' }), ...pieces, delta({ type: 'signature_delta', signature: block['signature'] }), stop];
  }
  if (block.type === 'tool_use') {
    const json = JSON.stringify(block['input']);
    const middle = Math.ceil(json.length / 2);
    const pieces = ['', json.slice(0, middle), json.slice(middle)].map((partial_json) => delta({ type: 'input_json_delta', partial_json }));
    return [start({ type: 'tool_use', id: block['id'], name: block['name'], input: {} }), ...pieces, stop];
  }
  return [start(block), stop];
}

function frame(type: string, data: Json): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** Three words per delta, spaces kept, so joining the pieces gives the text back exactly. */
function splitText(text: string): string[] {
  const pieces = text.match(/(?:\S+\s*){1,3}|\s+/g) ?? [];
  return pieces.length > 0 ? pieces : [text];
}

export function signAnthropicMockThinking(text: string): string {
  return `mocksig_${createHash('sha256').update(`${THINKING_KEY}:${text}`).digest('base64')}`;
}

function normalizeContent(content: unknown): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter((b): b is Block => isObject(b) && typeof b['type'] === 'string') : [];
}

function textOf(turn: Turn): string {
  return normalizeContent(turn.content)
    .filter((block) => block.type === 'text')
    .map((block) => String(block['text']))
    .join(' ');
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function hasText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
