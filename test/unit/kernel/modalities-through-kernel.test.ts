/**
 * Chat, image and video calls driven through the request kernel with fake adapters, a fake upstream client,
 * fake billing and an in-memory record writer: no HTTP, no database. It pins what the kernel makes common
 * (model resolution, channel failover with each modality's own idea of retryable, one record per call) and the
 * pipeline's contract with the api layer (an answer is returned; a stream's final frames come only after the
 * money is final, and the request stays live until its stream has been read to the end).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../../src/accounts/auth-context.js';
import type { ChannelPick, ChannelRouter } from '../../../src/channels/channel-pick.js';
import { runChat, type ChatAnswer, type ChatPipelineDeps } from '../../../src/gateway/chat-pipeline.js';
import { openAIChatDialect, type SseFrame } from '../../../src/gateway/chat-dialect.js';
import { runImageGeneration, type ImageGenerationDeps } from '../../../src/jobs/image-generation.js';
import { submitVideoJob } from '../../../src/jobs/video-submit.js';
import type { VideoJob, VideoJobRepository } from '../../../src/jobs/video-jobs.js';
import type { VideoJobDeps, MediaBillingPort } from '../../../src/jobs/video-job-deps.js';
import { defaultMediaJobsOptions } from '../../../src/jobs/media-jobs-options.js';
import { LiveRequests } from '../../../src/kernel/live-requests.js';
import { MULTIPLIER_ONE } from '../../../src/billing/multiplier.js';
import type { ChatAdapter, StreamTranslator } from '../../../src/providers/types.js';
import type { ImageAdapter, VideoTaskAdapter } from '../../../src/providers/task-types.js';
import type { OpenAIChatChunk } from '../../../src/providers/openai/chat-types.js';
import { GatewayError } from '../../../src/shared/errors.js';
import type { RequestRecord, RequestLogWriter } from '../../../src/store/request-log.js';
import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from '../../../src/upstream/upstream-client.js';
import { testChatModel } from '../../support/test-models.js';

const auth: AuthContext = { userId: 'usr_1', role: 'user', groupId: 'default', via: 'api_key', key: { id: 'key_1', allowedModels: null, allowedIps: null, adminScope: false } };
const silentLogger = { warn() {}, error() {}, info() {}, debug() {} } as never;
const clock = { now: () => 1_000_000 };

const chatModel = testChatModel({ id: 'test/chat', provider: 'test' });
const imageModel = testChatModel({ id: 'test/image', modality: 'image', family: 'ark-image', pricing: { kind: 'image', perImage: '0.04' } });
const videoModel = testChatModel({ id: 'test/video', modality: 'video', family: 'ark-video', pricing: { kind: 'video', perSecond: [{ usd: '0.1' }] } });
const catalog = { get: (id: string) => [chatModel, imageModel, videoModel].find((model) => model.id === id) };

/** Two channels per model, picked in order; every pick is noted. */
function createRouter(): ChannelRouter & { picks: string[] } {
  const picks: string[] = [];
  const channels: ChannelPick[] = ['chn_a', 'chn_b'].map((channelId) => ({ channelId, provider: 'test', baseUrl: `http://${channelId}.test`, apiKey: 'k' }));
  return {
    picks,
    isServed: () => true,
    pick(_modelId, exclude) {
      const channel = channels.find((c) => !exclude?.has(c.channelId));
      if (channel) picks.push(channel.channelId);
      return channel;
    },
  };
}

type Script = (request: UpstreamRequest) => { status: number; body: string } | Error;

/** An upstream client that answers each request by the script, noting the URLs it was sent to. */
function createClient(script: Script): UpstreamClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async send(request) {
      sent.push(request.url);
      const answer = script(request);
      if (answer instanceof Error) throw answer;
      return { status: answer.status, headers: {}, body: Readable.from([Buffer.from(answer.body)]) as unknown as UpstreamResponse['body'] };
    },
    async close() {},
  };
}

const statusError = (status: number) =>
  status === 504 ? new GatewayError('upstream_timeout', { upstreamStatus: status }) : new GatewayError('upstream_error', { status, upstreamStatus: status });

function createRecords(): RequestLogWriter & { rows: RequestRecord[] } {
  const rows: RequestRecord[] = [];
  return { rows, record: (row) => rows.push(row), flush: async () => {}, close: async () => {}, settled: async () => {} };
}

// ---------------------------------------------------------------- chat

const chunk = (content: string): OpenAIChatChunk => ({ id: 'gen-1', object: 'chat.completion.chunk', created: 0, model: chatModel.id, choices: [{ index: 0, delta: { content }, finish_reason: null }] });

const chatAdapter: ChatAdapter = {
  toUpstream: async (request, target) => ({ request: { method: 'POST', url: `${target.baseUrl}/chat`, headers: {}, body: JSON.stringify(request) }, warnings: [] }),
  fromUpstream: (body, _target, ctx) => ({
    completion: {
      id: ctx.id,
      object: 'chat.completion',
      created: ctx.created,
      model: ctx.model,
      choices: [{ index: 0, message: { role: 'assistant', content: (body as { text: string }).text }, finish_reason: 'stop', logprobs: null }],
    },
    usage: { inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 },
  }),
  createStreamTranslator(): StreamTranslator {
    let finishReason: StreamTranslator['finishReason'] = null;
    return {
      push: (event) => (event.data === '[DONE]' ? ((finishReason = 'stop'), { chunks: [], done: true }) : { chunks: [chunk(event.data)] }),
      end: () => ({ chunks: [], truncated: false }),
      get usage() {
        return finishReason ? { inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 } : undefined;
      },
      get finishReason() {
        return finishReason;
      },
    };
  },
  parseError: (status) => statusError(status),
};

function createChat(script: Script) {
  const events: string[] = [];
  const records = createRecords();
  const router = createRouter();
  const client = createClient(script);
  const live = new LiveRequests(0);
  const deps: ChatPipelineDeps = {
    catalog,
    router,
    adapterFor: () => chatAdapter,
    client,
    billing: {
      async reserve() {
        events.push('hold');
        return {
          holdId: 'hold_1',
          amountNanos: 1_000_000n,
          settle: async () => (events.push('settle'), 42_000n),
          release: async () => void events.push('release'),
        };
      },
      countPromptTokens: () => 10,
      countTokens: (text: string) => text.length,
    },
    requestLog: records,
    imagesForRequest: () => ({}) as never,
    clock,
    maxAttempts: 3,
    live,
    streams: { deadlineMs: 60_000, stallTimeoutMs: 60_000 },
  };
  const call = (stream: boolean, endpoint: 'chat.completions' | 'messages' = 'chat.completions') =>
    runChat(deps, {
      auth,
      request: { model: chatModel.id, messages: [{ role: 'user', content: 'hi' }], stream },
      generationId: 'gen-1',
      requestId: 'req-1',
      clientHeaders: {},
      dialect: { ...openAIChatDialect, endpoint },
      signal: new AbortController().signal,
      logger: silentLogger,
      startedAt: clock.now(),
    });
  return { call, events, records, router, client, live };
}

async function readFrames(answer: ChatAnswer, events: string[]): Promise<SseFrame[]> {
  if (answer.kind !== 'stream') throw new Error(`expected a stream, got ${answer.kind}`);
  const frames: SseFrame[] = [];
  for await (const frame of answer.frames) {
    events.push(`frame ${frame.data}`);
    frames.push(frame);
  }
  return frames;
}

describe('chat through the kernel', () => {
  it('fails over a 503 to the next channel and returns the JSON answer, recorded under its front door', async () => {
    const chat = createChat((request) => (request.url.startsWith('http://chn_a') ? { status: 503, body: '{}' } : { status: 200, body: '{"text":"hello"}' }));
    const answer = await chat.call(false, 'messages');
    expect(answer.kind).toBe('json');
    if (answer.kind !== 'json') return;
    expect(answer.headers['x-tokenhub-cost-usd']).toBe('0.000042');
    expect(chat.router.picks).toEqual(['chn_a', 'chn_b']);
    expect(chat.events).toEqual(['hold', 'settle']);
    expect(chat.records.rows).toHaveLength(1);
    expect(chat.records.rows[0]).toMatchObject({ id: 'gen-1', endpoint: 'messages', channel_id: 'chn_b', status: 200, cost_nanos: 42_000n, prompt_tokens: 10 });
    expect(chat.live.size).toBe(0);
  });

  it('retries an upstream timeout on another channel (images do not)', async () => {
    const chat = createChat((request) => (request.url.startsWith('http://chn_a') ? { status: 504, body: '{}' } : { status: 200, body: '{"text":"late"}' }));
    expect((await chat.call(false)).kind).toBe('json');
    expect(chat.router.picks).toEqual(['chn_a', 'chn_b']);
  });

  it('returns a refusal as a value once recorded, with the hold released', async () => {
    const chat = createChat(() => ({ status: 400, body: '{}' }));
    const answer = await chat.call(false);
    expect(answer).toMatchObject({ kind: 'refused', error: { code: 'upstream_error' } });
    expect(chat.router.picks).toEqual(['chn_a']);
    expect(chat.events).toEqual(['hold', 'release']);
    expect(chat.records.rows).toMatchObject([{ status: 400, error_code: 'upstream_error' }]);
  });

  it('yields a stream whose final frames come after the money is settled and the record written, live until read', async () => {
    const chat = createChat(() => ({ status: 200, body: 'data: one\n\ndata: two\n\ndata: [DONE]\n\n' }));
    const answer = await chat.call(true);
    // Nothing is settled, recorded or finished before the stream is read.
    expect(chat.events).toEqual(['hold']);
    expect(chat.live.size).toBe(1);
    const frames = await readFrames(answer, chat.events);
    expect(frames.map((frame) => frame.data)).toEqual([JSON.stringify(chunk('one')), JSON.stringify(chunk('two')), '[DONE]']);
    expect(chat.events.indexOf('settle')).toBeGreaterThan(chat.events.indexOf(`frame ${JSON.stringify(chunk('two'))}`));
    expect(chat.events.indexOf('settle')).toBeLessThan(chat.events.indexOf('frame [DONE]'));
    expect(chat.records.rows).toMatchObject([{ stream: 1, status: 200, endpoint: 'chat.completions', completion_tokens: 2 }]);
    expect(chat.live.size).toBe(0);
  });

  it('throws refusals that come before the record: an unknown model writes nothing', async () => {
    const chat = createChat(() => ({ status: 200, body: '{}' }));
    const deps = { catalog, router: chat.router, adapterFor: () => chatAdapter, live: chat.live } as unknown as ChatPipelineDeps;
    await expect(runChat(deps, { auth, request: { model: 'test/none', messages: [{ role: 'user', content: 'hi' }] } } as never)).rejects.toMatchObject({
      code: 'model_not_found',
    });
    expect(chat.records.rows).toHaveLength(0);
    expect(chat.live.size).toBe(0);
  });
});

// ---------------------------------------------------------------- media

function createMediaBilling(events: string[]): MediaBillingPort {
  return {
    multiplierFor: async () => ({ multiplier: MULTIPLIER_ONE, text: '1', source: 'default' }) as never,
    reserve: async () => (events.push('hold'), { ok: true, holdId: 'hold_m', replayed: false }),
    settle: async (_holdId, input) => (events.push('settle'), { ok: true, holdId: 'hold_m', chargedNanos: input.costNanos, shortfallNanos: 0n, replayed: false }),
    release: async () => (events.push('release'), { ok: true, replayed: false }),
  };
}

const imageAdapter: ImageAdapter = {
  validate: (request) => ({ ...request, n: 1, size: '1024x1024', response_format: 'url', images: [] }),
  toUpstream: (_request, target) => ({ request: { method: 'POST', url: `${target.baseUrl}/images`, headers: {} }, warnings: [] }),
  fromUpstream: () => ({ data: [{ url: 'https://img.test/1.png' }], usage: { images: 1 }, failedImages: 0 }),
  parseError: (status) => statusError(status),
};

function createImages(script: Script) {
  const events: string[] = [];
  const records = createRecords();
  const router = createRouter();
  const client = createClient(script);
  const deps: ImageGenerationDeps = {
    catalog,
    router,
    client,
    billing: createMediaBilling(events),
    adapters: { imageAdapterFor: () => imageAdapter, videoAdapterFor: () => undefined },
    requestLog: records,
    clock,
    timeoutMs: 60_000,
    maxAttempts: 3,
  };
  const call = () =>
    runImageGeneration(deps, { auth, request: { model: imageModel.id, prompt: 'a cat' }, generationId: 'gen-img', requestId: 'req-img', startedAt: clock.now(), logger: silentLogger });
  return { call, events, records, router };
}

describe('images through the kernel', () => {
  it('fails over a 503 and settles the delivered image, one record', async () => {
    const images = createImages((request) => (request.url.startsWith('http://chn_a') ? { status: 503, body: '{}' } : { status: 200, body: '{}' }));
    const result = await images.call();
    expect(result).toMatchObject({ ok: true, response: { usage: { images: 1, cost: 0.04 } } });
    expect(images.router.picks).toEqual(['chn_a', 'chn_b']);
    expect(images.events).toEqual(['hold', 'settle']);
    expect(images.records.rows).toMatchObject([{ id: 'gen-img', endpoint: 'images.generations', channel_id: 'chn_b', status: 200, cost_nanos: 40_000_000n }]);
  });

  it('treats an upstream timeout as final: no other channel, the hold released, the refusal recorded and returned', async () => {
    const images = createImages(() => ({ status: 504, body: '{}' }));
    const result = await images.call();
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream_timeout' } });
    expect(images.router.picks).toEqual(['chn_a']);
    expect(images.events).toEqual(['hold', 'release']);
    expect(images.records.rows).toMatchObject([{ endpoint: 'images.generations', status: 504, error_code: 'upstream_timeout' }]);
  });
});

const videoAdapter: VideoTaskAdapter = {
  validate: (request) => ({ ...request, duration: 5, resolution: '720p', media: { referenceImages: [], referenceVideos: [], referenceAudios: [] } }),
  submit: async (_request, target) => ({ request: { method: 'POST', url: `${target.baseUrl}/tasks`, headers: {} }, warnings: [] }),
  parseSubmit: (_status, body) => ({ upstreamTaskId: (body as { id: string }).id }),
  poll: () => Promise.reject(new Error('a submit never polls')),
  parsePoll: () => {
    throw new Error('a submit never polls');
  },
  parseError: (status) => statusError(status),
};

function createVideoRepo(): VideoJobRepository & { jobs: Map<string, VideoJob> } {
  const jobs = new Map<string, VideoJob>();
  return {
    jobs,
    insert: async (job) => void jobs.set(job.id, { ...job }),
    async updateLeased(id, owner, changes, statuses) {
      const job = jobs.get(id);
      if (!job || job.lease_owner !== owner || (statuses && !statuses.includes(job.status))) return false;
      jobs.set(id, { ...job, ...changes } as VideoJob);
      return true;
    },
    async updateInStatus(id, statuses, changes) {
      const job = jobs.get(id);
      if (!job || !statuses.includes(job.status)) return false;
      jobs.set(id, { ...job, ...changes } as VideoJob);
      return true;
    },
  } as VideoJobRepository & { jobs: Map<string, VideoJob> };
}

function createVideos(script: Script) {
  const events: string[] = [];
  const records = createRecords();
  const router = createRouter();
  const client = createClient(script);
  const repo = createVideoRepo();
  const deps = {
    repo,
    catalog,
    router,
    channelCredentials: async () => undefined,
    client,
    billing: createMediaBilling(events),
    adapters: { imageAdapterFor: () => undefined, videoAdapterFor: () => videoAdapter },
    requestLog: records,
    clock,
    logger: silentLogger,
    options: { ...defaultMediaJobsOptions, maxSubmitAttempts: 3 },
    storage: undefined,
    random: () => 0.5,
  } satisfies VideoJobDeps;
  const submit = () => submitVideoJob(deps, { auth, request: { model: videoModel.id, prompt: 'waves' } as never, requestId: 'req-vid', owner: 'test/submit' });
  return { submit, events, records, router, client, repo };
}

describe('video submit through the kernel', () => {
  it('fails over a refused create and queues the job on the channel that took it, with a minted task id', async () => {
    const videos = createVideos((request) => (request.url.startsWith('http://chn_a') ? { status: 429, body: '{}' } : { status: 200, body: '{"id":"up-1"}' }));
    const result = await videos.submit();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.job.id).toMatch(/^tsk-/);
    expect(videos.router.picks).toEqual(['chn_a', 'chn_b']);
    expect(videos.repo.jobs.get(result.job.id)).toMatchObject({ status: 'queued', channel_id: 'chn_b', upstream_task_id: 'up-1' });
    // The job keeps its hold for the poller; its record is written when it ends.
    expect(videos.events).toEqual(['hold']);
    expect(videos.records.rows).toHaveLength(0);
  });

  it('never resubmits a create whose outcome is unknown (a 502)', async () => {
    const videos = createVideos(() => ({ status: 502, body: '' }));
    const result = await videos.submit();
    expect(result.ok).toBe(true);
    expect(videos.client.sent).toHaveLength(1);
    if (result.ok) expect(videos.repo.jobs.get(result.job.id)?.status).toBe('unknown');
    expect(videos.events).toEqual(['hold']);
  });

  it('returns a final refusal as a value: the job failed, refunded and recorded', async () => {
    const videos = createVideos(() => ({ status: 400, body: '{}' }));
    const result = await videos.submit();
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream_error' } });
    expect(videos.router.picks).toEqual(['chn_a']);
    expect(videos.events).toEqual(['hold', 'release']);
    // A job's record carries its error code's status from the catalog (upstream_error: 502).
    expect(videos.records.rows).toMatchObject([{ endpoint: 'videos.generations', status: 502, error_code: 'upstream_error' }]);
  });
});
