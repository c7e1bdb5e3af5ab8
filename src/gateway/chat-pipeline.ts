/**
 * The chat request pipeline: model → hold → upstream call (with failover) → translate → settle → record → answer.
 * HTTP parsing and authentication happen before (api/chat-call.ts), and writing the answer after: the pipeline
 * returns it (a JSON body, or a stream of SSE frames) and never touches the socket. This module owns the order of
 * the money steps: every hold ends in exactly one settle or release, and a stream's final frames are yielded
 * only once its money is final.
 */
import type { Logger } from '../shared/logger.js';
import type { AuthContext } from '../accounts/auth-context.js';
import { resolveModel } from '../kernel/resolve-model.js';
import type { CatalogModel } from '../catalog/schema.js';
import { GatewayError } from '../shared/errors.js';
import type { ChatRequest, OpenAIUsage } from '../providers/openai/chat-types.js';
import type { ChatAdapter, NormalizedUsage, ResponseContext, TranslationWarning } from '../providers/types.js';
import { emptyUsage, toOpenAIUsage } from '../providers/usage.js';
import type { Clock } from '../shared/clock.js';
import type { GatewayMetrics } from '../shared/metrics.js';
import { callUpstreamWithFailover, type UpstreamCallResult } from './call-upstream.js';
import { readLimitedText } from '../upstream/read-limited-text.js';
import type { ChannelRouter } from '../channels/channel-pick.js';
import type { ChatBillingPort as ChatBilling, ChatHoldHandle as ChatHold } from '../billing/chat-billing-port.js';
import type { RequestLogWriter } from '../store/request-log.js';
import type { RequestImageFetcher } from './request-images.js';
import { relayStream } from './relay-stream.js';
import type { ChatDialect, SseFrame } from './chat-dialect.js';
import { finishRecord, startRecord, type PendingRecord } from './chat-record.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import type { LiveRequest, LiveRequests } from '../kernel/live-requests.js';
import { nanosToUsdNumber as nanosToUsd } from '../billing/money.js';

/** Largest non-stream upstream body the gateway will buffer. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export interface ChatPipelineDeps {
  catalog: { get(id: string): CatalogModel | undefined };
  router: ChannelRouter;
  adapterFor(model: CatalogModel): ChatAdapter | undefined;
  client: UpstreamClient;
  billing: ChatBilling;
  requestLog: RequestLogWriter;
  /** A fresh image fetcher for one request (its own allowance and cache; stops when `signal` aborts). */
  imagesForRequest(signal: AbortSignal): RequestImageFetcher;
  clock: Clock;
  maxAttempts: number;
  metrics?: Pick<GatewayMetrics, 'upstreamCalls' | 'timeToFirstChunk'>;
  /** The chat requests alive in this process: stream cap per user, hold renewal, ending calls from outside. */
  live: LiveRequests;
  streams: StreamLimits;
}

export interface StreamLimits {
  /** Longest a stream may run once the upstream answered; then it ends with an error event. */
  deadlineMs: number;
  /** Longest a write may wait for a client that stopped reading; then the call is cut as if it had left. */
  stallTimeoutMs: number;
}

export interface ChatCall {
  auth: AuthContext;
  request: ChatRequest;
  generationId: string;
  requestId: string;
  clientHeaders: Record<string, string>;
  /** The shape the answer goes back in (OpenAI for /chat/completions, Anthropic for /messages), and its endpoint. */
  dialect: ChatDialect;
  /** What the front door's own translation left out (e.g. hosted tools), reported with the adapter's warnings. */
  warnings?: TranslationWarning[];
  /** Aborts when the client leaves. */
  signal: AbortSignal;
  logger: Logger;
  startedAt: number;
}

/**
 * The pipeline's answer to a call it admitted, whose request record is written (for a stream: once the stream
 * ends). `headers` go on the HTTP answer. A stream must be read to its end: reading it settles the money.
 * Refusals before the record starts (the model, the stream cap, the money) are thrown instead.
 */
export type ChatAnswer =
  | { kind: 'json'; headers: Record<string, string>; body: unknown }
  | { kind: 'stream'; headers: Record<string, string>; frames: AsyncIterable<SseFrame> }
  | { kind: 'refused'; headers: Record<string, string>; error: GatewayError };

export function resolveChatModel(deps: ChatPipelineDeps, auth: AuthContext, modelId: string): { model: CatalogModel; adapter: ChatAdapter } {
  return resolveModel(deps, auth, modelId, 'chat', (model) => deps.adapterFor(model));
}

export async function runChat(deps: ChatPipelineDeps, call: ChatCall): Promise<ChatAnswer> {
  const { model, adapter } = resolveChatModel(deps, call.auth, call.request.model);
  const live = deps.live.admit({ generationId: call.generationId, userId: call.auth.userId, keyId: call.auth.key?.id ?? null, stream: call.request.stream === true });
  if (live instanceof GatewayError) throw live;
  let streaming = false;
  try {
    const answer = await runAdmitted(deps, call, model, adapter, live);
    // A stream stays live until its last frame; it finishes the registration itself.
    streaming = answer.kind === 'stream';
    return answer;
  } finally {
    if (!streaming) live.finish();
  }
}

async function runAdmitted(deps: ChatPipelineDeps, call: ChatCall, model: CatalogModel, adapter: ChatAdapter, live: LiveRequest): Promise<ChatAnswer> {
  const hold = trackHold(await deps.billing.reserve({ auth: call.auth, generationId: call.generationId, model, request: call.request }));
  const log = startRecord(model);
  const headers: Record<string, string> = {};
  try {
    return await answerChat(deps, call, model, adapter, hold, log, live, headers);
  } catch (caught) {
    // Whatever failed, the hold must not outlive the call, and the call leaves one record.
    const error = caught instanceof GatewayError ? caught : new GatewayError('internal_error', { cause: caught });
    if (!hold.closed) await hold.release();
    if (!log.finished) finishRecord(deps, log, call, { error });
    return { kind: 'refused', headers, error };
  }
}

async function answerChat(
  deps: ChatPipelineDeps,
  call: ChatCall,
  model: CatalogModel,
  adapter: ChatAdapter,
  hold: TrackedHold,
  log: PendingRecord,
  live: LiveRequest,
  headers: Record<string, string>,
): Promise<ChatAnswer> {
  // The upstream call ends when the client leaves or when the gateway ends the request.
  const signal = AbortSignal.any([call.signal, live.stopSignal]);
  let upstream: UpstreamCallResult;
  try {
    upstream = await callUpstreamWithFailover({
      model,
      request: call.request,
      adapter,
      router: deps.router,
      client: deps.client,
      requestContext: { fetchImage: deps.imagesForRequest(call.signal), clientHeaders: call.clientHeaders },
      signal,
      maxAttempts: deps.maxAttempts,
      logger: call.logger,
    });
  } catch (caught) {
    const error = live.stopReason ?? caught;
    await hold.release();
    finishRecord(deps, log, call, { error: error as GatewayError });
    throw error;
  }
  log.provider = upstream.channel.provider;
  log.channelId = upstream.channel.channelId;
  const warnings = [...(call.warnings ?? []), ...upstream.warnings];
  log.warnings = warnings;
  Object.assign(headers, warningHeader(warnings));

  const ctx: ResponseContext = { id: call.generationId, created: Math.floor(call.startedAt / 1000), model: model.id, request: call.request };
  const exchange: Exchange = { deps, call, adapter, upstream, ctx, hold, log, live, signal };
  if (call.request.stream) return { kind: 'stream', headers, frames: streamChat(exchange) };
  return { kind: 'json', ...(await completeChat(exchange, headers)) };
}

type TrackedHold = Pick<ChatHold, 'settle' | 'release'> & { readonly closed: boolean };

/** Remembers whether the hold was settled or released, so the failure path knows whether it still owes a release. */
function trackHold(hold: ChatHold): TrackedHold {
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    async settle(usage, estimated) {
      const charged = await hold.settle(usage, estimated);
      closed = true;
      return charged;
    },
    async release() {
      await hold.release();
      closed = true;
    },
  };
}

/** One answered upstream call on its way back to the client, with the hold that pays for it. */
interface Exchange {
  deps: ChatPipelineDeps;
  call: ChatCall;
  adapter: ChatAdapter;
  upstream: UpstreamCallResult;
  ctx: ResponseContext;
  hold: TrackedHold;
  log: PendingRecord;
  live: LiveRequest;
  /** The client's signal joined with the gateway's stop signal. */
  signal: AbortSignal;
}

async function completeChat({ deps, call, adapter, upstream, ctx, hold, log, live }: Exchange, headers: Record<string, string>): Promise<{ headers: Record<string, string>; body: unknown }> {
  let completion;
  let usage: NormalizedUsage | undefined;
  try {
    const text = await readLimitedText(upstream.response.body, MAX_RESPONSE_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new GatewayError('upstream_bad_response', { cause });
    }
    ({ completion, usage } = adapter.fromUpstream(body, upstream.target, ctx));
  } catch (error) {
    const gatewayError = live.stopReason ?? (error instanceof GatewayError ? error : new GatewayError('upstream_bad_response', { cause: error }));
    if (live.stopReason) {
      // Ended by the gateway after the upstream accepted the call, which the upstream bills: the prompt is charged.
      const usage = estimateUsage(deps, call.request, '');
      const costNanos = await hold.settle(usage, true);
      finishRecord(deps, log, call, { usage, estimated: true, costNanos, finishReason: null, error: gatewayError });
    } else {
      await hold.release();
      finishRecord(deps, log, call, { error: gatewayError });
    }
    throw gatewayError;
  }
  const estimated = usage === undefined;
  const charged = usage ?? estimateUsage(deps, call.request, completionText(completion));
  const costNanos = await hold.settle(charged, estimated);
  completion.usage = toBilledUsage(charged, costNanos, estimated);
  finishRecord(deps, log, call, { usage: charged, estimated, costNanos, finishReason: completion.choices[0]?.finish_reason ?? null, firstByteAt: deps.clock.now() });
  return { headers: { ...headers, 'x-tokenhub-cost-usd': nanosToUsd(costNanos).toString() }, body: call.dialect.completion(completion) };
}

/**
 * The stream's frames as the client should get them. It runs while it is read: the money is settled and the
 * record written before the last frames (the usage and end, or the error event) are yielded, and the live
 * registration ends with it. A failure inside still releases the hold and records the call, then throws.
 */
async function* streamChat({ deps, call, adapter, upstream, ctx, hold, log, live, signal }: Exchange): AsyncGenerator<SseFrame, void, undefined> {
  try {
    const translator = adapter.createStreamTranslator(upstream.target, ctx);
    const encoder = call.dialect.streamEncoder(ctx);
    const deadline = setTimeout(() => live.stop(streamDeadlineError(deps.streams.deadlineMs)), deps.streams.deadlineMs);
    let outcome;
    try {
      outcome = yield* relayStream({
        body: upstream.response.body,
        translator,
        encoder,
        signal,
        clientGone: () => call.signal.aborted,
        stopReason: () => live.stopReason,
        now: () => deps.clock.now(),
      });
    } finally {
      clearTimeout(deadline);
    }

    // A cut stream is charged for what reached the client: the upstream's usage may stem from an early event
    // (Anthropic reports it in message_start), so it never counts for less output than was delivered.
    const cut = outcome.error !== undefined || outcome.clientAborted;
    // The upstream accepted the request and bills for it, so a stream cut on the client's side pays at least its
    // prompt; only an upstream that failed before any output costs nothing.
    const upstreamFailedEmpty = outcome.error !== undefined && !outcome.clientAborted && !outcome.stopped && outcome.delivered.isEmpty;
    // The money is final before the client sees how the stream ended (the last chunks, or the error event).
    if (upstreamFailedEmpty) {
      await hold.release();
      finishRecord(deps, log, call, { error: outcome.error, clientAborted: outcome.clientAborted });
      if (outcome.error && !outcome.clientAborted) yield* encoder.error(outcome.error);
      return;
    }
    const reported = outcome.usage;
    const usage = reported !== undefined && !cut ? reported : atLeastDelivered(reported, estimateUsage(deps, call.request, outcome.delivered.text()));
    const estimated = usage !== reported;
    const costNanos = await hold.settle(usage, estimated);
    finishRecord(deps, log, call, {
      usage,
      estimated,
      costNanos,
      finishReason: outcome.finishReason,
      error: outcome.error,
      clientAborted: outcome.clientAborted,
      firstByteAt: outcome.firstChunkAt,
    });
    if (!outcome.clientAborted) {
      yield* outcome.error
        ? encoder.error(outcome.error)
        : encoder.finish({ usage: toBilledUsage(usage, costNanos, estimated), finishReason: outcome.finishReason });
    }
  } catch (error) {
    if (!hold.closed) await hold.release();
    if (!log.finished) finishRecord(deps, log, call, { error: error instanceof GatewayError ? error : new GatewayError('internal_error', { cause: error }) });
    throw error;
  } finally {
    live.finish();
  }
}

function streamDeadlineError(deadlineMs: number): GatewayError {
  return new GatewayError('upstream_timeout', { message: `The stream reached the gateway's time limit of ${Math.round(deadlineMs / 1000)} s.` });
}

/** The upstream's usage, with at least the output counted over the delivered text; the count alone without it. */
function atLeastDelivered(reported: NormalizedUsage | undefined, counted: NormalizedUsage): NormalizedUsage {
  if (reported === undefined) return counted;
  return counted.outputTokens > reported.outputTokens ? { ...reported, outputTokens: counted.outputTokens } : reported;
}

/** OpenAI's usage object plus what the call was charged (OpenRouter's `cost`) and whether usage was counted here. */
function toBilledUsage(usage: NormalizedUsage, costNanos: bigint, estimated: boolean): OpenAIUsage {
  return { ...toOpenAIUsage(usage), cost: nanosToUsd(costNanos), ...(estimated ? { estimated: true } : {}) };
}

function estimateUsage(deps: ChatPipelineDeps, request: ChatRequest, deliveredText: string): NormalizedUsage {
  return { ...emptyUsage(), inputTokens: deps.billing.countPromptTokens(request), outputTokens: deps.billing.countTokens(deliveredText) };
}

function completionText(completion: { choices: Array<{ message: { content: string | null; reasoning_content?: string; tool_calls?: Array<{ function: { name: string; arguments: string } }> } }> }): string {
  return completion.choices
    .map((c) => [c.message.content ?? '', c.message.reasoning_content ?? '', ...(c.message.tool_calls ?? []).map((t) => t.function.name + t.function.arguments)].join(''))
    .join('');
}

function warningHeader(warnings: TranslationWarning[]): Record<string, string> {
  if (warnings.length === 0) return {};
  // Header values must be visible ASCII: parameter names are the client's own JSON keys, so they are
  // percent-encoded; the messages go to the request record.
  return { 'x-tokenhub-warnings': warnings.map((w) => encodeURIComponent(w.param)).join(', ') };
}
