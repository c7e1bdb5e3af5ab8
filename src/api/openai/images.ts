/** `POST /api/v1/images/generations`: OpenAI's images API in front of the image families. */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { GatewayError } from '../../shared/errors.js';
import { runImageGeneration, type ImageGenerationDeps } from '../../jobs/image-generation.js';
import { imageRequestSchema } from '../../providers/task-types.js';
import { mintGenerationId } from '../../kernel/ids.js';
import { markRecorded } from '../access-record.js';
import { parseBody } from './parse-body.js';

export interface ImageRouteDeps {
  images: ImageGenerationDeps;
  authenticate: preHandlerHookHandler;
}

export function registerImageRoutes(app: FastifyInstance, deps: ImageRouteDeps): void {
  app.post('/api/v1/images/generations', { preHandler: deps.authenticate }, async (request, reply) => {
    const auth = request.auth;
    if (!auth) throw new GatewayError('missing_api_key');
    const imageRequest = parseBody(imageRequestSchema, request.body);
    const generationId = mintGenerationId();
    reply.header('x-tokenhub-generation-id', generationId);
    const result = await runImageGeneration(deps.images, {
      auth,
      request: imageRequest,
      generationId,
      requestId: String(request.id),
      startedAt: deps.images.clock.now(),
      logger: request.log,
    });
    // The call wrote its own record, whether it answered with images or a refusal.
    markRecorded(request);
    if (!result.ok) throw result.error;
    reply.header('x-tokenhub-cost-usd', String(result.response.usage.cost));
    // Header values must be one line of visible ASCII; parameter names are, messages go to the log.
    if (result.warnings.length > 0) reply.header('x-tokenhub-warnings', result.warnings.map((w) => w.param).join(', '));
    return reply.status(200).send(result.response);
  });
}
