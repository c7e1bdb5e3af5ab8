/**
 * The Anthropic Messages front door: `POST /api/v1/messages` and `POST /api/v1/messages/count_tokens`, for
 * Claude Code (`ANTHROPIC_BASE_URL=https://host/api`) and the Anthropic SDKs. A request is translated into the
 * pipeline's OpenAI form, runs through the same hold, routing, failover and settlement as `/chat/completions`
 * (so any catalog chat model answers), and the answer is written back as Anthropic's message or event stream.
 * Errors, including authentication, come back in Anthropic's error shape.
 */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { GatewayError } from '../../shared/errors.js';
import { resolveChatModel, type ChatPipelineDeps } from '../../gateway/chat-pipeline.js';
import type { CatalogModel } from '../../catalog/schema.js';
import { answerChat } from '../chat-call.js';
import { createErrorHandler } from '../error-handler.js';
import { parseBody } from '../openai/parse-body.js';
import { anthropicMessagesDialect } from './anthropic-dialect.js';
import { toAnthropicError } from './anthropic-errors.js';
import { createCountTokensLimit, type CountTokensLimit } from './count-tokens-limit.js';
import { fitOutputLimit } from './fit-output-limit.js';
import { anthropicMessagesRequestSchema } from './messages-schema.js';
import { resolveAnthropicModelId } from './resolve-model.js';
import { toChatRequest } from './to-chat-request.js';

export interface MessagesRouteDeps {
  pipeline: ChatPipelineDeps;
  catalog: { get(id: string): CatalogModel | undefined; list(): CatalogModel[] };
  authenticate: preHandlerHookHandler;
  /** Calls of count_tokens per key (default: createCountTokensLimit over the pipeline's clock). */
  countTokensLimit?: CountTokensLimit;
}

// count_tokens takes a Messages body without max_tokens.
const countTokensSchema = anthropicMessagesRequestSchema.partial({ max_tokens: true });

export async function registerAnthropicMessagesRoutes(app: FastifyInstance, deps: MessagesRouteDeps): Promise<void> {
  const countTokensLimit = deps.countTokensLimit ?? createCountTokensLimit(deps.pipeline.clock);
  // Its own scope, so this front door's errors take Anthropic's shape and every other route keeps OpenAI's.
  await app.register(async (scope) => {
    scope.setErrorHandler(createErrorHandler(toAnthropicError));

    scope.post('/api/v1/messages', { preHandler: deps.authenticate }, async (request, reply) => {
      const auth = request.auth;
      if (!auth) throw new GatewayError('missing_api_key');
      const body = parseBody(anthropicMessagesRequestSchema, request.body);
      const modelId = resolveAnthropicModelId(deps.catalog, body.model);
      const { request: chatRequest, warnings } = fitOutputLimit({ ...toChatRequest(body), model: modelId }, deps.catalog.get(modelId));
      return answerChat(request, reply, { pipeline: deps.pipeline, auth, chatRequest, dialect: anthropicMessagesDialect, warnings });
    });

    scope.post('/api/v1/messages/count_tokens', { preHandler: deps.authenticate }, async (request) => {
      const auth = request.auth;
      if (!auth) throw new GatewayError('missing_api_key');
      // Limited like a call (it is free, but counting takes the event loop); the admin token counts as its own key.
      countTokensLimit.take(auth.key?.id ?? `${auth.via}:${auth.userId}`);
      const body = parseBody(countTokensSchema, request.body);
      const chatRequest = toChatRequest({ ...body, max_tokens: body.max_tokens ?? 1, stream: false });
      resolveChatModel(deps.pipeline, auth, resolveAnthropicModelId(deps.catalog, body.model));
      // Counted with the gateway's tokenizer: an estimate for non-OpenAI models, the same one holds are sized with,
      // bounded the same way (long runs and long texts count by their UTF-8 bytes).
      return { input_tokens: deps.pipeline.billing.countPromptTokens(chatRequest) };
    });
  });
}
