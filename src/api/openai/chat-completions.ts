/** `POST /api/v1/chat/completions`: parse, then hand over to the chat pipeline. */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { chatRequestSchema } from '../../providers/openai/chat-types.js';
import type { ChatPipelineDeps } from '../../gateway/chat-pipeline.js';
import { openAIChatDialect } from '../../gateway/chat-dialect.js';
import { GatewayError } from '../../shared/errors.js';
import { answerChat } from '../chat-call.js';
import { parseBody } from './parse-body.js';

export function registerChatRoutes(app: FastifyInstance, deps: { pipeline: ChatPipelineDeps; authenticate: preHandlerHookHandler }): void {
  app.post('/api/v1/chat/completions', { preHandler: deps.authenticate }, async (request, reply) => {
    const auth = request.auth;
    if (!auth) throw new GatewayError('missing_api_key');
    const chatRequest = parseBody(chatRequestSchema, request.body);
    return answerChat(request, reply, { pipeline: deps.pipeline, auth, chatRequest, dialect: openAIChatDialect });
  });
}
