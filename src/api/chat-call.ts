/**
 * One authenticated chat request handed to the pipeline, whichever front door it came through: the generation
 * id, the client headers an adapter may pass on, the abort signal and the access-record bookkeeping.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../accounts/auth-context.js';
import type { ChatDialect } from '../gateway/chat-dialect.js';
import { runChat, type ChatPipelineDeps } from '../gateway/chat-pipeline.js';
import type { ChatRequest } from '../providers/openai/chat-types.js';
import type { TranslationWarning } from '../providers/types.js';
import { newId } from '../shared/ids.js';
import { abortOnClientClose } from './openai/abort-on-close.js';

/** Incoming headers an adapter may pass on upstream. */
const FORWARDED_HEADERS = ['anthropic-beta', 'anthropic-version'];

export interface ChatAnswer {
  pipeline: ChatPipelineDeps;
  auth: AuthContext;
  chatRequest: ChatRequest;
  dialect: ChatDialect;
  warnings?: TranslationWarning[];
}

export async function answerChat(request: FastifyRequest, reply: FastifyReply, { pipeline, auth, chatRequest, dialect, warnings }: ChatAnswer): Promise<FastifyReply> {
  const clientHeaders: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') clientHeaders[name] = value;
  }
  const generationId = `gen-${newId('gen').slice(4)}`;
  reply.header('x-tokenhub-generation-id', generationId);
  await runChat(pipeline, {
    auth,
    request: chatRequest,
    generationId,
    requestId: String(request.id),
    clientHeaders,
    dialect,
    ...(warnings !== undefined ? { warnings } : {}),
    reply,
    signal: abortOnClientClose(request, reply),
    logger: request.log,
    startedAt: pipeline.clock.now(),
    markRecorded: () => {
      request.recorded = true;
    },
    recorded: () => request.recorded === true,
  });
  return reply;
}
