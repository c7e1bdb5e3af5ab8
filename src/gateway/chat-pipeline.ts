/**
 * The chat request pipeline: model → hold → upstream call (with failover) → translate → respond → settle →
 * record. HTTP parsing and authentication happen before (api/openai/chat-completions.ts); this module owns
 * the order of the money steps: every hold ends in exactly one settle or release.
 */
import type { FastifyReply } from 'fastify';
import type { Logger } from '../shared/logger.js';
import type { AuthContext } from '../accounts/auth-context.js';
import { isModelAllowed } from '../accounts/api-keys.js';
import type { CatalogModel } from '../catalog/schema.js';
import { GatewayError } from '../shared/errors.js';
import type { ChatRequest, OpenAIUsage } from '../providers/openai/chat-types.js';
import type { ChatAdapter, NormalizedUsage, ResponseContext, TranslationWarning } from '../providers/types.js';
import { emptyUsage, toOpenAIUsage } from '../providers/usage.js';
import { SseWriter } from '../api/sse-writer.js';
import type { Clock } from '../shared/clock.js';
import type { GatewayMetrics } from '../shared/metrics.js';
import { callUpstreamWithFailover, type UpstreamCallResult } from './call-upstream.js';
import { readLimitedText } from '../upstream/read-limited-text.js';
import type { ChannelRouter } from '../channels/channel-pick.js';
import type { ChatBillingPort as ChatBilling, ChatHoldHandle as ChatHold } from '../billing/chat-billing-port.js';
import type { RequestLogWriter } from '../store/request-log.js';
import type { RequestImageFetcher } from './request-images.js';
import { relayStream, sendFrames } from './relay-stream.js';
import type { ChatDialect } from './chat-dialect.js';
import { finishRecord, startRecord, type PendingRecord } from './chat-record.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import type { LiveRequest, LiveRequests } from './live-requests.js';
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
  /** The shape the answer goes back in (OpenAI for /chat/completions, Anthropic for /messages). */
  dialect: ChatDialect;
  /** What the front door's own translation left out (e.g. hosted tools), reported with the adapter's warnings. */
  warnings?: TranslationWarning[];
  reply: FastifyReply;
  signal: AbortSignal;
  logger: Logger;
  startedAt: number;
  /** Called once the pipeline has written this call's record, so the generic access record is skipped. */
  markRecorded(): void;
  recorded(): boolean;
}

export function resolveChatModel(deps: ChatPipelineDeps, auth: AuthContext, modelId: string): CatalogModel {
  const model = deps.catalog.get(modelId);
  if (!model || !model.enabled || model.modality !== 'chat' || !deps.router.isServed(model.id)) {
    throw new GatewayError('model_not_found', { param: 'model', message: `The model '${modelId}' does not exist or is not available.` });
  }
  if (!isModelAllowed(auth, model.id)) throw new GatewayError('model_not_allowed', { param: 'model' });
  return model;
}

export async function runChat(deps: ChatPipelineDeps, call: ChatCall): Promise<void> {
  const model = resolveChatModel(deps, call.auth, call.request.model);
  const adapter = deps.adapterFor(model);
  if (!adapter) throw new GatewayError('model_not_found', { param: 'model', message: `The model '${model.id}' is not available.` });
  const live = deps.live.admit({ generationId: call.generationId, userId: call.auth.userId, keyId: call.auth.key?.id ?? null, stream: call.request.stream === true });
  if (live instanceof GatewayError) throw live;
  try {
    await runAdmitted(deps, call, model, adapter, live);
  } finally {
    live.finish();
  }
}

async function runAdmitted(deps: ChatPipelineDeps, call: ChatCall, model: CatalogModel, adapter: ChatAdapter, live: LiveRequest): Promise<void> {
  const hold = trackHold(await deps.billing.reserve({ auth: call.auth, generationId: call.generationId, model, request: call.request }));
  const log = startRecord(call, model);
  try {
    await answerChat(deps, call, model, adapter, hold, log, live);
  } catch (error) {
    // Whatever failed, the hold must not outlive the call, and a hijacked stream has no one else to close it.
    if (!hold.closed) await hold.release();
    if (!call.recorded()) finishRecord(deps, log, call, { error: error instanceof GatewayError ? error : new GatewayError('internal_error', { cause: error }) });
    if (!call.reply.raw.headersSent) throw error;
    call.logger.error({ err: error }, 'chat stream failed after its headers were sent');
    call.reply.raw.destroy();
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
): Promise<void> {
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
  log.channel_id = upstream.channel.channelId;
  const warnings = [...(call.warnings ?? []), ...upstream.warnings];
  log.warnings = warnings.length > 0 ? JSON.stringify(warnings) : null;
  setWarningHeader(call.reply, warnings);

  const ctx: ResponseContext = { id: call.generationId, created: Math.floor(call.startedAt / 1000), model: model.id, request: call.request };
  const exchange: Exchange = { deps, call, adapter, upstream, ctx, hold, log, live, signal };
  if (call.request.stream) await streamChat(exchange);
  else await completeChat(exchange);
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

async function completeChat({ deps, call, adapter, upstream, ctx, hold, log, live }: Exchange): Promise<void> {
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
  call.reply.header('x-tokenhub-cost-usd', nanosToUsd(costNanos).toString());
  finishRecord(deps, log, call, { usage: charged, estimated, costNanos, finishReason: completion.choices[0]?.finish_reason ?? null, firstByteAt: deps.clock.now() });
  await call.reply.status(200).send(call.dialect.completion(completion));
}

async function streamChat({ deps, call, adapter, upstream, ctx, hold, log, live, signal }: Exchange): Promise<void> {
  const { reply } = call;
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...(reply.getHeaders() as Record<string, string>),
  });
  const writer = new SseWriter(reply.raw, { stallTimeoutMs: deps.streams.stallTimeoutMs });
  const translator = adapter.createStreamTranslator(upstream.target, ctx);
  const encoder = call.dialect.streamEncoder(ctx);
  const deadline = setTimeout(() => live.stop(streamDeadlineError(deps.streams.deadlineMs)), deps.streams.deadlineMs);
  let outcome;
  try {
    outcome = await relayStream({ body: upstream.response.body, translator, encoder, writer, signal, stopReason: () => live.stopReason, now: () => deps.clock.now() });
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
    if (outcome.error && !outcome.clientAborted) await sendFrames(writer, encoder.error(outcome.error));
    writer.end();
    return;
  }
  const reported = outcome.usage;
  const usage = reported !== undefined && !cut ? reported : atLeastDelivered(reported, estimateUsage(deps, call.request, outcome.delivered.text()));
  const estimated = usage !== reported;
  const costNanos = await hold.settle(usage, estimated);
  if (!outcome.clientAborted) {
    const end = outcome.error
      ? encoder.error(outcome.error)
      : encoder.finish({ usage: toBilledUsage(usage, costNanos, estimated), finishReason: outcome.finishReason });
    await sendFrames(writer, end);
  }
  writer.end();
  finishRecord(deps, log, call, {
    usage,
    estimated,
    costNanos,
    finishReason: outcome.finishReason,
    error: outcome.error,
    clientAborted: outcome.clientAborted,
    firstByteAt: outcome.firstChunkAt,
  });
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

function setWarningHeader(reply: FastifyReply, warnings: TranslationWarning[]): void {
  if (warnings.length === 0) return;
  // Header values must be visible ASCII: parameter names are the client's own JSON keys, so they are
  // percent-encoded; the messages go to the request record.
  reply.header('x-tokenhub-warnings', warnings.map((w) => encodeURIComponent(w.param)).join(', '));
}
