/**
 * The async video API: `POST /api/v1/videos/generations` creates a task, `GET …/generations/{id}` reads one
 * (owner only: anyone else gets 404), `GET …/generations` lists the caller's tasks newest first
 * (`?status=queued|running|succeeded|failed&limit=&cursor=`), and `GET /api/v1/videos/files/{name}` serves a
 * stored copy under a signed, expiring URL (no API key: the signature is the permission).
 */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../shared/errors.js';
import type { MediaJobs } from '../../jobs/media-jobs.js';
import { videoRequestSchema } from '../../providers/task-types.js';
import { parseBody } from './parse-body.js';
import { markRecorded } from '../access-record.js';

export interface VideoRouteDeps {
  media: MediaJobs;
  authenticate: preHandlerHookHandler;
}

const listQuerySchema = z.object({
  status: z.enum(['queued', 'running', 'succeeded', 'failed']).optional(),
  limit: z.coerce.number().int().optional(),
  cursor: z.string().min(1).optional(),
});

const fileQuerySchema = z.object({ exp: z.string().optional(), sig: z.string().optional() });

function requireAuth(request: FastifyRequest) {
  if (!request.auth) throw new GatewayError('missing_api_key');
  return request.auth;
}

/** Where signed file URLs point: the configured public URL, else the origin this request came to. */
function baseUrlOf(media: MediaJobs, request: FastifyRequest): string {
  return (media.publicBaseUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}

export function registerVideoRoutes(app: FastifyInstance, deps: VideoRouteDeps): void {
  const { media } = deps;

  app.post('/api/v1/videos/generations', { preHandler: deps.authenticate }, async (request, reply) => {
    const auth = requireAuth(request);
    const videoRequest = parseBody(videoRequestSchema, request.body);
    const submitted = await media.videos.submit({ auth, request: videoRequest, requestId: String(request.id), owner: `${media.ownerId}/submit` });
    // The job exists and writes the call's record, whether its create was taken or refused.
    markRecorded(request);
    if (!submitted.ok) throw submitted.error;
    const { job, warnings } = submitted;
    reply.header('x-tokenhub-task-id', job.id);
    if (warnings.length > 0) reply.header('x-tokenhub-warnings', warnings.map((w) => w.param).join(', '));
    return reply.status(200).send(media.taskOf(job, baseUrlOf(media, request)));
  });

  app.get<{ Params: { id: string } }>('/api/v1/videos/generations/:id', { preHandler: deps.authenticate }, async (request) => {
    const auth = requireAuth(request);
    const job = await media.videos.get(request.params.id, auth.userId);
    if (job === undefined) throw new GatewayError('not_found', { message: 'No such video task.' });
    return media.taskOf(job, baseUrlOf(media, request));
  });

  app.get('/api/v1/videos/generations', { preHandler: deps.authenticate }, async (request) => {
    const auth = requireAuth(request);
    const query = parseBody(listQuerySchema, request.query ?? {});
    const page = await media.videos.list({ userId: auth.userId, status: query.status, limit: query.limit, cursor: query.cursor });
    const base = baseUrlOf(media, request);
    return { object: 'list', data: page.jobs.map((job) => media.taskOf(job, base)), has_more: page.nextCursor !== null, next_cursor: page.nextCursor };
  });

  app.get<{ Params: { name: string } }>('/api/v1/videos/files/:name', async (request, reply) => {
    const files = media.files;
    const { exp, sig } = parseBody(fileQuerySchema, request.query ?? {});
    const notFound = new GatewayError('not_found', { message: 'No such file, or the link has expired.' });
    if (files === undefined || !files.urls.verify(request.params.name, exp, sig)) throw notFound;
    const stored = await files.storage.open(request.params.name);
    if (stored === undefined) throw notFound;
    return reply
      .header('content-type', 'video/mp4')
      .header('content-length', String(stored.size))
      .header('cache-control', 'private, max-age=3600')
      .send(stored.stream);
  });
}
