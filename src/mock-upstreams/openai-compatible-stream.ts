/**
 * Builds the SSE frames of a streamed OpenAI-compatible answer, with each provider's chunk quirks: DeepSeek
 * keep-alive comments and explicit nulls, MiniMax `<think>` tags split mid-tag across chunks, xAI whole tool
 * calls without `index`, Moonshot usage inside `choices[0]`, OpenAI `obfuscation` padding, and so on.
 */
import { hashMockId, type MockChatAnswer, type MockDirectives } from './mock-chat-answer.js';
import { toOpenAICompatibleErrorBody } from './openai-compatible-errors.js';
import { openAICompatibleProfiles, type OpenAICompatibleMockProviderId, type OpenAICompatibleProfile } from './openai-compatible-profiles.js';
import type { OpenAICompatibleMockRequest } from './openai-compatible-request.js';
import { formatSseComment, formatSseData, SSE_DONE_FRAME } from './sse-frames.js';

export interface OpenAICompatibleMockMeta {
  id: string;
  created: number;
  systemFingerprint: string;
}

type Delta = Record<string, unknown>;

/** Chunks sent before the in-stream error of a `[[stream-error]]` answer. */
const CHUNKS_BEFORE_STREAM_ERROR = 3;
const TOOL_ARGUMENT_FRAGMENT_CHARS = 12;

export function buildOpenAICompatibleFrames(
  provider: OpenAICompatibleMockProviderId,
  request: OpenAICompatibleMockRequest,
  answer: MockChatAnswer,
  directives: MockDirectives,
  meta: OpenAICompatibleMockMeta,
): string[] {
  const profile = openAICompatibleProfiles[provider];
  const toFrame = createMockChunkFormatter(profile, request, meta);
  const choice = (delta: Delta, finish: string | null, extra: Delta = {}) => ({
    index: 0,
    delta,
    ...(profile.chunk.logprobs ? { logprobs: null } : {}),
    ...(finish !== null || profile.chunk.nullFinishReason ? { finish_reason: finish } : {}),
    ...extra,
  });
  const deltas = buildMockDeltas(profile, request, answer);
  const frames: string[] = [];
  if (profile.roleChunk === 'separate') {
    frames.push(toFrame([choice({ role: 'assistant', content: '', ...(profile.openaiExtras ? { refusal: null } : {}) }, null)]));
  } else {
    deltas[0] = { role: 'assistant', ...(deltas[0] ?? { content: '' }) };
  }
  if (directives.streamError) {
    for (const delta of deltas.slice(0, CHUNKS_BEFORE_STREAM_ERROR)) frames.push(toFrame([choice(delta, null)]));
    const error = toOpenAICompatibleErrorBody(provider, 'server', 'The stream was interrupted by an upstream error.');
    return withKeepAlive(profile, [...frames, formatSseData(error)]);
  }
  const usage = profile.toUsage(answer.usage);
  const usageInChoice = profile.usagePlacement === 'in-choice' ? { usage } : {};
  const usageOnFinish = profile.usagePlacement === 'finish-chunk' ? usage : undefined;
  const last = profile.finishOnLastDelta ? deltas.pop() : undefined;
  for (const delta of deltas) frames.push(toFrame([choice(delta, null)]));
  frames.push(toFrame([choice(last ?? {}, answer.finishReason, usageInChoice)], usageOnFinish));
  if (profile.usagePlacement === 'separate-chunk' && request.includeUsage) frames.push(toFrame([], usage));
  return withKeepAlive(profile, [...frames, SSE_DONE_FRAME]);
}

/** Splits text the way token streams arrive: a word (or ≤ 8 characters) per piece, whitespace kept in front. */
export function splitMockText(text: string): string[] {
  return text.match(/\s*\S{1,8}|\s+$/g) ?? [];
}

/** MiniMax inline reasoning, cut inside both tags so clients must handle tags split across chunks. */
export function splitMiniMaxThinkContent(content: string): string[] {
  const open = content.indexOf('<think>');
  const close = content.indexOf('</think>');
  const cuts = [open === -1 ? -1 : open + 3, close === -1 ? -1 : close + 4].filter((cut) => cut > 0);
  const pieces: string[] = [];
  let start = 0;
  for (const cut of [...cuts, content.length]) {
    pieces.push(...splitMockText(content.slice(start, cut)));
    start = cut;
  }
  return pieces;
}

export function formatMiniMaxThinkContent(reasoning: string, content: string | undefined): string {
  return `<think>\n${reasoning}\n</think>\n\n${content ?? ''}`;
}

function createMockChunkFormatter(profile: OpenAICompatibleProfile, request: OpenAICompatibleMockRequest, meta: OpenAICompatibleMockMeta) {
  let count = 0;
  return (choices: unknown[], usage?: unknown): string => {
    const chunk: Record<string, unknown> = { id: meta.id };
    if (profile.chunk.object) chunk.object = 'chat.completion.chunk';
    chunk.created = meta.created;
    chunk.model = request.model;
    if (profile.openaiExtras) Object.assign(chunk, { service_tier: 'default', system_fingerprint: meta.systemFingerprint });
    chunk.choices = choices;
    if (usage !== undefined) chunk.usage = usage;
    else if (profile.chunk.usageNull && request.includeUsage) chunk.usage = null;
    // Real padding is random; a hash keeps the mock deterministic while lengths still vary per chunk.
    if (profile.openaiExtras && request.includeObfuscation) chunk.obfuscation = hashMockId(`${meta.id}|${count}`, 2 + ((count * 5) % 14));
    count++;
    return formatSseData(chunk);
  };
}

function buildMockDeltas(profile: OpenAICompatibleProfile, request: OpenAICompatibleMockRequest, answer: MockChatAnswer): Delta[] {
  const nulls = profile.chunk.explicitNulls;
  const deltas: Delta[] = [];
  const { reasoning, content } = answer;
  const inlineThink = profile.reasoning === 'think-tags' && !request.reasoningSplit && reasoning !== undefined;
  if (reasoning !== undefined && profile.reasoning === 'reasoning_content') {
    for (const piece of splitMockText(reasoning)) deltas.push(nulls ? { content: null, reasoning_content: piece } : { reasoning_content: piece });
  }
  if (reasoning !== undefined && profile.reasoning === 'think-tags' && request.reasoningSplit) {
    for (const piece of splitMockText(reasoning)) deltas.push({ reasoning_details: [toMiniMaxReasoningDetail(piece)] });
  }
  const pieces = inlineThink ? splitMiniMaxThinkContent(formatMiniMaxThinkContent(reasoning, content)) : splitMockText(content ?? '');
  for (const piece of pieces) deltas.push(nulls && reasoning !== undefined ? { content: piece, reasoning_content: null } : { content: piece });
  deltas.push(...buildMockToolCallDeltas(profile, request, answer));
  return deltas;
}

export function toMiniMaxReasoningDetail(text: string): Delta {
  return { type: 'reasoning.text', id: 'reasoning-text-1', format: 'MiniMax-response-v1', index: 0, text };
}

function buildMockToolCallDeltas(profile: OpenAICompatibleProfile, request: OpenAICompatibleMockRequest, answer: MockChatAnswer): Delta[] {
  const calls = answer.toolCalls;
  if (calls.length === 0) return [];
  const whole = (withIndex: boolean) => [
    {
      tool_calls: calls.map((call, index) => ({
        ...(withIndex ? { index } : {}),
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      })),
    },
  ];
  if (profile.toolStreaming === 'whole-without-index') return whole(false);
  if (profile.toolStreaming === 'whole-unless-tool-stream' && !request.toolStream) return whole(true);
  return calls.flatMap((call, index) => [
    { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] },
    ...chopMockText(call.arguments, TOOL_ARGUMENT_FRAGMENT_CHARS).map((fragment) => ({
      tool_calls: [{ index, function: { arguments: fragment } }],
    })),
  ]);
}

function chopMockText(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/** DeepSeek sends `: keep-alive` while a request waits for capacity, and can between chunks too. */
function withKeepAlive(profile: OpenAICompatibleProfile, frames: string[]): string[] {
  if (!profile.keepAlive) return frames;
  const comment = formatSseComment('keep-alive');
  const middle = Math.ceil(frames.length / 2);
  return [comment, ...frames.slice(0, middle), comment, ...frames.slice(middle)];
}
