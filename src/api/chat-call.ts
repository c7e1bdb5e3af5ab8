/**
 * One authenticated chat request handed to the pipeline, whichever front door it came through: the generation
 * id, the client headers an adapter may pass on and the abort signal go in; the pipeline's answer (JSON, a
 * stream of frames, or a refusal) comes back and is written here.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../accounts/auth-context.js';
import type { ChatDialect } from '../gateway/chat-dialect.js';
import { runChat, type ChatPipelineDeps } from '../gateway/chat-pipeline.js';
import type { ChatRequest } from '../providers/openai/chat-types.js';
import type { TranslationWarning } from '../providers/types.js';
import { mintGenerationId } from '../kernel/ids.js';
import { markRecorded } from './access-record.js';
import { abortOnClientClose } from './openai/abort-on-close.js';
import { writeSseStream } from './sse-stream.js';

/** Incoming headers an adapter may pass on upstream. */
const FORWARDED_HEADERS = ['anthropic-beta', 'anthropic-version'];

export interface ChatAnswerInput {
  pipeline: ChatPipelineDeps;
  auth: AuthContext;
  chatRequest: ChatRequest;
  dialect: ChatDialect;
  warnings?: TranslationWarning[];
}

export async function answerChat(request: FastifyRequest, reply: FastifyReply, { pipeline, auth, chatRequest, dialect, warnings }: ChatAnswerInput): Promise<FastifyReply> {
  const clientHeaders: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') clientHeaders[name] = value;
  }
  const generationId = mintGenerationId();
  reply.header('x-tokenhub-generation-id', generationId);
  const answer = await runChat(pipeline, {
    auth,
    request: chatRequest,
    generationId,
    requestId: String(request.id),
    clientHeaders,
    dialect,
    ...(warnings !== undefined ? { warnings } : {}),
    signal: abortOnClientClose(request, reply),
    logger: request.log,
    startedAt: pipeline.clock.now(),
  });
  // Every answer the pipeline returns stands for a call that wrote its own record.
  markRecorded(request);
  reply.headers(answer.headers);
  if (answer.kind === 'refused') throw answer.error;
  if (answer.kind === 'json') return reply.status(200).send(answer.body);
  await writeSseStream(reply, answer.frames, { stallTimeoutMs: pipeline.streams.stallTimeoutMs });
  return reply;
}
