/**
 * Mock Gemini Developer API, mounted at `/<provider-id>` so a channel base URL is `<origin>/google`.
 *
 * Serves POST `/models/{model}:generateContent`, `:streamGenerateContent?alt=sse` (data-only SSE, `\r\n\r\n`
 * framed, no end marker: the response just ends) and `:streamGenerateContent` without `alt` (a JSON array).
 * Answers are deterministic: the last user text echoed (`Echo: …`), JSON built from `responseSchema` when
 * `responseMimeType` is application/json, a summary of tool results when the last user turn carries
 * functionResponse parts, and a functionCall when a declared function is named in the prompt (or the mode is
 * ANY). `includeThoughts` adds a thought part; 2.5 and later models put a `thoughtSignature` on the first
 * functionCall part (Gemini 3 also on the last text part), and Gemini 3 requests whose history has a function
 * call without a signature are refused as Google does. A function declaration carries `parameters` (OpenAPI
 * subset) or `parametersJsonSchema` (JSON Schema), never both. Token counts are ceil(characters / 4).
 *
 * Keys: any non-empty `x-goog-api-key` is accepted unless `apiKey` is given; `bad-key` (MOCK_BAD_API_KEY, as for
 * the other mocks) and keys starting with `invalid` are refused. A refused or missing key gets Google's 400 INVALID_ARGUMENT with ErrorInfo reason API_KEY_INVALID.
 *
 * Special prompts (anywhere in the last user turn's text):
 *   [[blocked]]         promptFeedback.blockReason SAFETY and no candidates
 *   [[safety]]          a candidate with finishReason SAFETY and no content
 *   [[finish:REASON]]   the answer ends with finishReason REASON (RECITATION, MALFORMED_FUNCTION_CALL, …)
 *   [[max_tokens]]      the answer is cut in half and ends with MAX_TOKENS
 *   [[error:CODE]]      a Google error with that HTTP status (400, 401, 403, 404, 429 + RetryInfo 7s, 500, 503, 504)
 *   [[stream_error]]    when streaming: one text event, then an `{"error":…}` event (503 UNAVAILABLE)
 *   [[tool]]            call the first allowed function
 */
import { MOCK_BAD_API_KEY } from './openai-compatible.js';
import type { MockProvider } from './types.js';

export interface GeminiMockOptions {
  /** The only key accepted; by default any non-empty key not starting with `invalid`. */
  apiKey?: string;
}

type Json = Record<string, unknown>;
interface Part { text?: string; thought?: boolean; thoughtSignature?: string; functionCall?: { name: string; args: Json }; functionResponse?: { name: string; response: unknown } }
interface Content { role: string; parts: Part[] }
interface Declaration { name: string; parameters?: Json; parametersJsonSchema?: Json }
interface MockGeminiRequest {
  contents: Content[];
  systemInstruction?: { parts?: Part[] };
  tools?: Array<{ functionDeclarations?: Declaration[] }>;
  toolConfig?: { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } };
  generationConfig?: {
    maxOutputTokens?: number;
    stopSequences?: string[];
    candidateCount?: number;
    responseMimeType?: string;
    responseSchema?: Json;
    thinkingConfig?: { includeThoughts?: boolean; thinkingBudget?: number; thinkingLevel?: string };
  };
}
interface Candidate { parts: Part[]; finishReason: string }
interface Answer { candidates: Candidate[]; blockReason?: string; usage: Json }

export function createGeminiMock(options: GeminiMockOptions = {}): MockProvider {
  let responses = 0;
  return async (req, res, ctx) => {
    const match = /^\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(req.pathname);
    if (req.method !== 'POST' || match === null) return false;
    const model = match[1] ?? '';
    const key = req.headers['x-goog-api-key'] ?? '';
    if (options.apiKey !== undefined ? key !== options.apiKey : key === '' || key === MOCK_BAD_API_KEY || key.startsWith('invalid')) {
      await ctx.sendError(res, 400, apiKeyInvalidError());
      return true;
    }
    const problem = findRequestProblem(req.body, model);
    if (problem !== undefined) {
      await ctx.sendError(res, 400, googleError(400, 'INVALID_ARGUMENT', problem));
      return true;
    }
    const body = req.body as MockGeminiRequest;
    const prompt = lastUserText(body);
    const forced = /\[\[error:(\d{3})\]\]/.exec(prompt);
    if (forced?.[1] !== undefined) {
      const [status, error] = forcedError(Number(forced[1]), model);
      await ctx.sendError(res, status, error);
      return true;
    }
    const answer = buildAnswer(body, model, prompt);
    const meta = { modelVersion: model, responseId: `mock-gemini-${++responses}` };
    if (match[2] === 'generateContent') {
      await ctx.sendJson(res, { ...toResponseBody(answer), ...meta });
    } else {
      const events = toStreamEvents(answer, prompt.includes('[[stream_error]]')).map((e) => ('error' in e ? e : { ...e, ...meta }));
      if (req.query.get('alt') === 'sse') await ctx.sendSse(res, events.map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`));
      else await ctx.sendJson(res, events);
    }
    return true;
  };
}

function googleError(code: number, status: string, message: string, details?: unknown[]): Json {
  return { error: { code, message, status, ...(details !== undefined ? { details } : {}) } };
}

function apiKeyInvalidError(): Json {
  return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
  ]);
}

function forcedError(status: number, model: string): [number, Json] {
  const table: Record<number, [string, string, unknown[]?]> = {
    400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
    401: ['UNAUTHENTICATED', 'Request had invalid authentication credentials.'],
    403: ['PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers.'],
    404: ['NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for generateContent.`],
    429: ['RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' },
    ]],
    500: ['INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'],
    503: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
    504: ['DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.'],
  };
  const known = table[status];
  if (known === undefined) return [500, googleError(500, 'INTERNAL', 'An internal error has occurred.')];
  const [name, message, details] = known;
  return [status, googleError(status, name, message, details)];
}

/** The checks Google makes that a translator can get wrong; the message texts follow Google's. */
function findRequestProblem(raw: unknown, model: string): string | undefined {
  const body = raw as Partial<MockGeminiRequest> | null;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.contents) || body.contents.length === 0) {
    return '* GenerateContentRequest.contents: contents is not specified';
  }
  for (const [i, content] of body.contents.entries()) {
    if (content.role !== 'user' && content.role !== 'model') return `Please use a valid role: user, model. (contents[${i}])`;
    if (!Array.isArray(content.parts) || content.parts.length === 0) return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
    const previous = body.contents[i - 1];
    if (previous !== undefined && previous.role === content.role) return 'Please ensure that multiturn requests alternate between user and model.';
    const calls = content.parts.filter((p) => p.functionCall !== undefined);
    if (calls.length === 0) continue;
    if (isGemini3(model) && calls[0]?.thoughtSignature === undefined) {
      return `Function call is missing a thought_signature in functionCall parts. Additional data, function call \`default_api:${calls[0]?.functionCall?.name}\`, position ${i + 1}.`;
    }
    const next = body.contents[i + 1];
    const responses = next?.parts.filter((p) => p.functionResponse !== undefined).length ?? calls.length;
    if (responses !== calls.length) {
      return 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
    }
  }
  for (const declaration of (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? [])) {
    if (declaration.parameters !== undefined && declaration.parametersJsonSchema !== undefined) {
      return `Invalid function declaration ${declaration.name}: parameters and parameters_json_schema are mutually exclusive.`;
    }
  }
  const thinking = body.generationConfig?.thinkingConfig;
  if (thinking?.thinkingLevel !== undefined && thinking.thinkingBudget !== undefined) return 'You can only set only one of thinking budget and thinking level.';
  if (thinking?.thinkingLevel !== undefined && !isGemini3(model)) return 'Thinking level is not supported for this model.';
  return undefined;
}

function isGemini3(model: string): boolean {
  return /^gemini-([3-9]|\d{2,})/.test(model);
}

function isThinkingModel(model: string): boolean {
  return /^gemini-(2\.5|[3-9]|\d{2,})/.test(model);
}

function lastUserText(body: MockGeminiRequest): string {
  const last = [...body.contents].reverse().find((c) => c.role === 'user');
  return (last?.parts ?? []).map((p) => p.text ?? '').join(' ').trim();
}

function buildAnswer(body: MockGeminiRequest, model: string, prompt: string): Answer {
  const promptTokens = countTokens(JSON.stringify([body.systemInstruction ?? null, body.contents]));
  if (prompt.includes('[[blocked]]')) {
    return { candidates: [], blockReason: 'SAFETY', usage: { promptTokenCount: promptTokens, totalTokenCount: promptTokens } };
  }
  const count = body.generationConfig?.candidateCount ?? 1;
  const candidates = Array.from({ length: count }, () => buildCandidate(body, model, prompt));
  const output = candidates.reduce((sum, c) => sum + countTokens(c.parts.filter((p) => p.thought !== true).map(partText).join('')), 0);
  const thoughts = candidates.reduce((sum, c) => sum + countTokens(c.parts.filter((p) => p.thought === true).map(partText).join('')), 0);
  const usage: Json = { promptTokenCount: promptTokens, candidatesTokenCount: output, totalTokenCount: promptTokens + output + thoughts };
  if (thoughts > 0) usage.thoughtsTokenCount = thoughts;
  return { candidates, usage };
}

function buildCandidate(body: MockGeminiRequest, model: string, prompt: string): Candidate {
  if (prompt.includes('[[safety]]')) return { parts: [], finishReason: 'SAFETY' };
  const parts: Part[] = [];
  if (body.generationConfig?.thinkingConfig?.includeThoughts === true) parts.push({ text: `Thinking about: ${prompt.slice(0, 60)}`, thought: true });
  const call = chooseFunctionCall(body, prompt);
  const signature = isThinkingModel(model) ? Buffer.from(`mock-thought-signature:${model}`).toString('base64') : undefined;
  if (call !== undefined) {
    parts.push({ functionCall: call, ...(signature !== undefined ? { thoughtSignature: signature } : {}) });
    return { parts, finishReason: finishFromPrompt(prompt) ?? 'STOP' };
  }
  let { text, finishReason } = limitText(answerText(body, prompt), body);
  finishReason = finishFromPrompt(prompt) ?? finishReason;
  parts.push({ text, ...(signature !== undefined && isGemini3(model) ? { thoughtSignature: signature } : {}) });
  return { parts, finishReason };
}

function finishFromPrompt(prompt: string): string | undefined {
  return /\[\[finish:([A-Z_]+)\]\]/.exec(prompt)?.[1];
}

function chooseFunctionCall(body: MockGeminiRequest, prompt: string): { name: string; args: Json } | undefined {
  const declared = (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
  const config = body.toolConfig?.functionCallingConfig;
  const lastUser = [...body.contents].reverse().find((c) => c.role === 'user');
  if (declared.length === 0 || config?.mode === 'NONE' || lastUser?.parts.some((p) => p.functionResponse !== undefined)) return undefined;
  const allowed = declared.filter((d) => config?.allowedFunctionNames?.includes(d.name) ?? true);
  const chosen = config?.mode === 'ANY' || prompt.includes('[[tool]]') ? allowed[0] : allowed.find((d) => prompt.includes(d.name));
  return chosen === undefined ? undefined : { name: chosen.name, args: (sampleValue(chosen.parameters ?? chosen.parametersJsonSchema) as Json | undefined) ?? {} };
}

function answerText(body: MockGeminiRequest, prompt: string): string {
  const lastUser = [...body.contents].reverse().find((c) => c.role === 'user');
  const results = (lastUser?.parts ?? []).filter((p) => p.functionResponse !== undefined);
  if (results.length > 0) return `Tool results: ${results.map((p) => `${p.functionResponse?.name}=${JSON.stringify(p.functionResponse?.response)}`).join('; ')}`;
  if (body.generationConfig?.responseMimeType === 'application/json') {
    return JSON.stringify(body.generationConfig.responseSchema !== undefined ? sampleValue(body.generationConfig.responseSchema) : { echo: prompt });
  }
  return `Echo: ${prompt}`;
}

/** A value that satisfies a Gemini Schema: first enum value, 1, true, one array item, every property. */
function sampleValue(schema: Json | undefined): unknown {
  if (schema === undefined) return undefined;
  if (Array.isArray(schema.anyOf)) return sampleValue(schema.anyOf[0] as Json);
  switch (String(schema.type).toUpperCase()) {
    case 'STRING':
      return Array.isArray(schema.enum) ? schema.enum[0] : schema.format === 'date-time' ? '2025-01-01T00:00:00Z' : 'mock';
    case 'NUMBER':
    case 'INTEGER':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'BOOLEAN':
      return true;
    case 'ARRAY':
      return [sampleValue(schema.items as Json | undefined)];
    case 'OBJECT':
      return Object.fromEntries(Object.entries((schema.properties as Record<string, Json> | undefined) ?? {}).map(([k, v]) => [k, sampleValue(v)]));
    default:
      return null;
  }
}

function limitText(text: string, body: MockGeminiRequest): { text: string; finishReason: string } {
  let out = text;
  for (const stop of body.generationConfig?.stopSequences ?? []) {
    const at = out.indexOf(stop);
    if (at !== -1) out = out.slice(0, at);
  }
  if (out.includes('[[max_tokens]]')) return { text: out.slice(0, Math.ceil(out.length / 2)), finishReason: 'MAX_TOKENS' };
  const max = body.generationConfig?.maxOutputTokens;
  if (max !== undefined && countTokens(out) > max) return { text: out.slice(0, max * 4), finishReason: 'MAX_TOKENS' };
  return { text: out, finishReason: 'STOP' };
}

function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function partText(part: Part): string {
  return part.text ?? '';
}

function toResponseBody(answer: Answer): Json {
  if (answer.blockReason !== undefined) return { promptFeedback: { blockReason: answer.blockReason }, usageMetadata: answer.usage };
  const candidates = answer.candidates.map((c, index) => ({
    ...(c.parts.length > 0 ? { content: { role: 'model', parts: c.parts } } : {}),
    finishReason: c.finishReason,
    index,
  }));
  return { candidates, usageMetadata: answer.usage };
}

/** Text split into 16-character pieces; every other part whole; finishReason and full usage on the last event. */
function toStreamEvents(answer: Answer, failMidway: boolean): Json[] {
  if (answer.blockReason !== undefined) return [toResponseBody(answer)];
  const promptOnly = { promptTokenCount: answer.usage.promptTokenCount, totalTokenCount: answer.usage.promptTokenCount };
  const events: Json[] = [];
  for (const [index, candidate] of answer.candidates.entries()) {
    const pieces = candidate.parts.flatMap((p) => (p.text !== undefined && p.thought !== true ? splitText(p) : [p]));
    const last = pieces.length - 1;
    if (pieces.length === 0) events.push({ candidates: [{ finishReason: candidate.finishReason, index }] });
    for (const [i, piece] of pieces.entries()) {
      events.push({ candidates: [{ content: { role: 'model', parts: [piece] }, index, ...(i === last ? { finishReason: candidate.finishReason } : {}) }] });
    }
  }
  const withUsage = events.map((e, i) => ({ ...e, usageMetadata: i === events.length - 1 ? answer.usage : promptOnly }));
  if (failMidway) return [...withUsage.slice(0, 1), googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')];
  return withUsage;
}

function splitText(part: Part): Part[] {
  const text = part.text ?? '';
  const pieces: Part[] = [];
  for (let at = 0; at < text.length || pieces.length === 0; at += 16) pieces.push({ text: text.slice(at, at + 16) });
  const last = pieces[pieces.length - 1];
  if (last !== undefined && part.thoughtSignature !== undefined) last.thoughtSignature = part.thoughtSignature;
  return pieces;
}
