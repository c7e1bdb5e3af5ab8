/** `POST /api/v1/chat/completions`: parse, then hand over to the chat pipeline. */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { newId } from '../../shared/ids.js';
import { chatRequestSchema } from '../../providers/openai/chat-types.js';
import { runChat, type ChatPipelineDeps } from '../../gateway/chat-pipeline.js';
import { openAIChatDialect } from '../../gateway/chat-dialect.js';
import { GatewayError } from '../../errors.js';
import { parseBody } from './parse-body.js';
import { abortOnClientClose } from './abort-on-close.js';

/** Incoming headers an adapter may pass on upstream. */
const FORWARDED_HEADERS = ['anthropic-beta', 'anthropic-version'];

export function registerChatRoutes(app: FastifyInstance, deps: { pipeline: ChatPipelineDeps; authenticate: preHandlerHookHandler }): void {
  app.post('/api/v1/chat/completions', { preHandler: deps.authenticate }, async (request, reply) => {
    const auth = request.auth;
    if (!auth) throw new GatewayError('missing_api_key');
    const chatRequest = parseBody(chatRequestSchema, request.body);
    const clientHeaders: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') clientHeaders[name] = value;
    }
    const generationId = `gen-${newId('gen').slice(4)}`;
    reply.header('x-tokenhub-generation-id', generationId);
    await runChat(deps.pipeline, {
      auth,
      request: chatRequest,
      generationId,
      requestId: String(request.id),
      clientHeaders,
      dialect: openAIChatDialect,
      reply,
      signal: abortOnClientClose(request, reply),
      logger: request.log,
      startedAt: deps.pipeline.clock.now(),
      markRecorded: () => {
        request.recorded = true;
      },
      recorded: () => request.recorded === true,
    });
    return reply;
  });
}
