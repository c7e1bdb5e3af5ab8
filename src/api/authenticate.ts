/**
 * API-key authentication for `/api/v1`: `Authorization: Bearer th-…`, or `x-api-key: th-…` as some clients
 * (Anthropic SDKs, Claude Code) send it. The key service caches lookups, so this adds no DB read per call.
 */
import type { FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { AuthContext } from '../accounts/auth-context.js';
import { GatewayError } from '../shared/errors.js';
import { headerGuard } from './guards-before-body.js';

export interface KeyAuthenticator {
  authenticate(plaintext: string, clientIp?: string): Promise<AuthContext>;
}

export function readApiKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization.length > 0) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    return match?.[1]?.trim() ?? authorization.trim();
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey.trim() : undefined;
}

export function createAuthenticate(keys: KeyAuthenticator): preHandlerHookHandler {
  return headerGuard<preHandlerHookHandler>(async (request) => {
    const plaintext = readApiKey(request);
    if (!plaintext) throw new GatewayError('missing_api_key');
    if (!plaintext.startsWith('th-')) throw new GatewayError('invalid_api_key');
    request.auth = await keys.authenticate(plaintext, request.ip);
  });
}
