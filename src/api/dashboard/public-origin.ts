import type { FastifyRequest } from 'fastify';

/** The gateway's public origin: the configured public URL, else the origin this request came to. */
export function resolvePublicOrigin(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}
