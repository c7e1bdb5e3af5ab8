/**
 * Mock OpenAI-compatible providers (OpenAI, xAI, DeepSeek, DashScope compatible-mode, Zhipu, MiniMax, MiMo,
 * Moonshot): POST `/chat/completions` and GET `/models` under the provider's base URL (DashScope:
 * `/compatible-mode/v1/...`, since its channel base URL is the bare host; DeepSeek also answers under `/v1`).
 *
 * Auth: `Authorization: Bearer <key>`; any non-empty key works except `bad-key`, which gets the provider's 401.
 * Answers are deterministic (see mock-chat-answer.ts): `You said: <last user text>`, tool calls when tools are
 * named or forced, schema-valid JSON for response_format, reasoning for reasoning requests (model name with
 * `reasoner`, `thinking`, `r1`, `-think`, an o-series name, a thinking switch, or `reasoning_effort`).
 *
 * Special prompts (anywhere in the last user message):
 *   [[error:429]]       provider-shaped 429 with `retry-after: 1` (any status 400–599 works; 503 also has retry-after)
 *   [[error:500]]       provider-shaped 500 JSON (HTML error pages: enqueueFault({kind:'error', ...}))
 *   [[stream-error]]    streaming: a few chunks, then `data: {provider error body}` and no `[DONE]`; non-streaming: 500
 *   [[long]]            a long answer (hundreds of chunks when streaming)
 *   [[tool]]            call the first tool even if the text does not name one
 *   [[cache-hit]]       half the prompt tokens are reported as cached (DeepSeek: prompt_cache_hit_tokens)
 *   [[finish:<reason>]] raw finish_reason, e.g. Zhipu `sensitive`, DeepSeek `insufficient_system_resource`
 *   [[base-resp:<code>]] MiniMax: HTTP 200 whose base_resp.status_code is <code> (e.g. 1008 insufficient balance)
 * Transport misbehaviour (slow first byte, stalls, broken or truncated streams) comes from enqueueFault.
 */
import type { ServerResponse } from 'node:http';
import { buildMockChatAnswer, hashMockId, parseMockDirectives } from './mock-chat-answer.js';
import { mapMockErrorKind, mockErrorMessages, toMiniMaxBaseRespBody, toOpenAICompatibleErrorBody } from './openai-compatible-errors.js';
import { openAICompatibleProfiles, type OpenAICompatibleMockProviderId, type OpenAICompatibleProfile } from './openai-compatible-profiles.js';
import { readOpenAICompatibleMockRequest } from './openai-compatible-request.js';
import { buildOpenAICompatibleCompletion } from './openai-compatible-response.js';
import { buildOpenAICompatibleFrames, type OpenAICompatibleMockMeta } from './openai-compatible-stream.js';
import type { MockContext, MockProvider, MockRequest } from './types.js';

export type { OpenAICompatibleMockProviderId } from './openai-compatible-profiles.js';

export const openAICompatibleMockProviderIds = Object.keys(openAICompatibleProfiles) as OpenAICompatibleMockProviderId[];

/** The key that every OpenAI-compatible mock rejects with its provider's 401. */
export const MOCK_BAD_API_KEY = 'bad-key';

export function createOpenAICompatibleMock(provider: OpenAICompatibleMockProviderId): MockProvider {
  const profile = openAICompatibleProfiles[provider];
  let responses = 0;
  return async (req, res, ctx) => {
    const route = matchOpenAICompatibleRoute(profile, req);
    if (!route) return false;
    const authFailure = checkOpenAICompatibleAuth(req.headers.authorization);
    if (authFailure) {
      await sendOpenAICompatibleError(provider, ctx, res, 401, authFailure);
    } else if (route === 'models') {
      const created = 1_700_000_000;
      await ctx.sendJson(res, { object: 'list', data: profile.models.map((id) => ({ id, object: 'model', created, owned_by: profile.ownedBy })) });
    } else {
      responses++;
      await answerOpenAICompatibleChat(provider, req, res, ctx, responses);
    }
    return true;
  };
}

async function answerOpenAICompatibleChat(
  provider: OpenAICompatibleMockProviderId,
  req: MockRequest,
  res: ServerResponse,
  ctx: MockContext,
  sequence: number,
): Promise<void> {
  const profile = openAICompatibleProfiles[provider];
  const parsed = readOpenAICompatibleMockRequest(provider, req.body);
  if (!parsed.ok) return sendOpenAICompatibleError(provider, ctx, res, 400, parsed.message);
  const { request } = parsed;
  const directives = parseMockDirectives(request.prompt.lastUserText);
  const meta: OpenAICompatibleMockMeta = {
    // Unique per response, as upstream ids are; the sequence keeps them reproducible run to run.
    id: `${profile.idPrefix}${hashMockId(`${provider}|${sequence}|${JSON.stringify(req.body)}`)}`,
    created: Math.floor(Date.now() / 1000),
    systemFingerprint: `fp_${hashMockId(provider, 10)}`,
  };
  if (directives.error !== undefined) {
    if (directives.error < 400 || directives.error > 599) {
      return sendOpenAICompatibleError(provider, ctx, res, 400, `[[error:${directives.error}]] needs a status from 400 to 599.`);
    }
    return sendOpenAICompatibleError(provider, ctx, res, directives.error);
  }
  if (provider === 'minimax' && directives.baseResp !== undefined) {
    return ctx.sendJson(res, toMiniMaxBaseRespBody(directives.baseResp, meta.id, request.model, meta.created));
  }
  if (directives.streamError && !request.stream) return sendOpenAICompatibleError(provider, ctx, res, 500);
  const answer = buildMockChatAnswer(request.prompt, directives, meta.id);
  if (request.stream) return ctx.sendSse(res, buildOpenAICompatibleFrames(provider, request, answer, directives, meta));
  const body = buildOpenAICompatibleCompletion(provider, request, answer, meta);
  // DeepSeek writes blank lines while a request waits for capacity; strict parsers must skip them.
  if (profile.keepAlive) return ctx.sendText(res, 200, `\n\n${JSON.stringify(body)}`);
  return ctx.sendJson(res, body);
}

function matchOpenAICompatibleRoute(profile: OpenAICompatibleProfile, req: MockRequest): 'chat' | 'models' | undefined {
  for (const prefix of profile.pathPrefixes) {
    if (req.pathname === `${prefix}/chat/completions` && req.method === 'POST') return 'chat';
    if (req.pathname === `${prefix}/models` && req.method === 'GET') return 'models';
  }
  return undefined;
}

/** Returns the failure message, or undefined when the key is accepted. */
function checkOpenAICompatibleAuth(authorization: string | undefined): string | undefined {
  const key = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
  if (!key) return "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.";
  if (key === MOCK_BAD_API_KEY) return 'Incorrect API key provided: ba***ey.';
  return undefined;
}

function sendOpenAICompatibleError(
  provider: OpenAICompatibleMockProviderId,
  ctx: MockContext,
  res: ServerResponse,
  status: number,
  message?: string,
): Promise<void> {
  const kind = mapMockErrorKind(status);
  const headers: Record<string, string> = status === 429 || status === 503 ? { 'retry-after': '1' } : {};
  if (status === 429 && provider === 'openai') Object.assign(headers, { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' });
  return ctx.sendError(res, status, toOpenAICompatibleErrorBody(provider, kind, message ?? mockErrorMessages[kind]), headers);
}
