/** The caller's identity travels on the Fastify request: the authentication hooks set it, routes read it. */
import type {} from 'fastify';
import type { AuthContext } from '../accounts/auth-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}
