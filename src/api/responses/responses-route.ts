/**
 * The OpenAI Responses front door: `POST /api/v1/responses`, for Codex CLI (which speaks only this API) and the
 * `openai` SDKs' `responses.create` / `responses.stream`. Stateless: the request carries the whole conversation
 * (`store` is ignored, `previous_response_id` is a 400). It runs through the same pipeline as
 * `/chat/completions`; hosted tools the gateway cannot run are left out and named in `x-tokenhub-warnings`.
 * Errors keep OpenAI's shape, which the Responses API shares.
 */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { GatewayError } from '../../shared/errors.js';
import type { ChatPipelineDeps } from '../../gateway/chat-pipeline.js';
import { answerChat } from '../chat-call.js';
import { createResponsesDialect } from './responses-dialect.js';
import { parseResponsesBody } from './responses-schema.js';
import { toChatRequest } from './to-chat-request.js';

export function registerResponsesRoutes(app: FastifyInstance, deps: { pipeline: ChatPipelineDeps; authenticate: preHandlerHookHandler }): void {
  app.post('/api/v1/responses', { preHandler: deps.authenticate }, async (request, reply) => {
    const auth = request.auth;
    if (!auth) throw new GatewayError('missing_api_key');
    const body = parseResponsesBody(request.body);
    const { request: chatRequest, dropped } = toChatRequest(body);
    return answerChat(request, reply, { pipeline: deps.pipeline, auth, chatRequest, dialect: createResponsesDialect(body), warnings: dropped });
  });
}
