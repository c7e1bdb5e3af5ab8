/**
 * The logged-in user's video tasks for the dashboard's task list, read through the job service like
 * `GET /api/v1/videos/generations` but with the session cookie, so browsing the list is not itself an API call
 * in the user's usage log.
 *   GET /api/dashboard/videos   ?status=queued|running|succeeded|failed&limit&cursor
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { MediaJobs } from '../../jobs/media-jobs.js';
import { parseAdminInput as parseInput } from '../admin/parse-admin-input.js';
import { resolvePublicOrigin } from './public-origin.js';
import { currentSession, type SessionAuth } from './session-auth.js';

export interface VideoTaskRouteDeps {
  media: Pick<MediaJobs, 'videos' | 'taskOf'>;
  sessionAuth: SessionAuth;
  publicUrl?: string | undefined;
}

const listQuerySchema = z.strictObject({
  status: z.enum(['queued', 'running', 'succeeded', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).optional(),
});

export function registerVideoTaskRoutes(app: FastifyInstance, deps: VideoTaskRouteDeps): void {
  app.get('/api/dashboard/videos', { preHandler: deps.sessionAuth.required }, async (request) => {
    const query = parseInput(listQuerySchema, request.query);
    const page = await deps.media.videos.list({ userId: currentSession(request).user.id, status: query.status, limit: query.limit ?? 20, cursor: query.cursor });
    const origin = resolvePublicOrigin(request, deps.publicUrl);
    return { object: 'list' as const, data: page.jobs.map((job) => deps.media.taskOf(job, origin)), has_more: page.nextCursor !== null, next_cursor: page.nextCursor };
  });
}
