/**
 * Admin management of a user's API keys. The plaintext key is in the create response only.
 *   POST   /api/admin/users/:id/keys          {name, expires_at?, allowed_models?, allowed_ips?, admin_scope?}
 * `admin_scope: true` makes a key that may call the admin API (for an admin user only); no other route sets it.
 *   GET    /api/admin/users/:id/keys
 *   DELETE /api/admin/users/:id/keys/:keyId   (revoke)
 */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { ApiKeyInfo, ApiKeyService } from '../../accounts/api-keys.js';
import type { UserService } from '../../accounts/users.js';
import { GatewayError } from '../../shared/errors.js';
import { parseAdminInput } from './parse-admin-input.js';
import { apiKeyCreateFields, toApiKeyJson, type ApiKeyJson } from '../api-key-json.js';

export interface AdminKeyRouteDeps {
  users: Pick<UserService, 'get'>;
  apiKeys: ApiKeyService;
  requireAdmin: preHandlerHookHandler;
}

export interface AdminKeyJson extends ApiKeyJson {
  object: 'api_key';
  user_id: string;
}

const createKeySchema = z.strictObject({ ...apiKeyCreateFields, admin_scope: z.boolean().optional() });

type UserParams = { Params: { id: string } };
type KeyParams = { Params: { id: string; keyId: string } };

export function toAdminKeyJson(key: ApiKeyInfo): AdminKeyJson {
  return { object: 'api_key', user_id: key.userId, ...toApiKeyJson(key) };
}

export function registerAdminKeyRoutes(app: FastifyInstance, deps: AdminKeyRouteDeps): void {
  const { apiKeys, requireAdmin } = deps;
  const requireUser = async (id: string) => {
    if (!(await deps.users.get(id))) throw new GatewayError('not_found', { message: 'No such user.' });
  };

  app.post<UserParams>('/api/admin/users/:id/keys', { preHandler: requireAdmin }, async (request, reply) => {
    const body = parseAdminInput(createKeySchema, request.body);
    await requireUser(request.params.id);
    const created = await apiKeys.create(request.params.id, {
      name: body.name,
      expiresAt: body.expires_at ?? null,
      allowedModels: body.allowed_models ?? null,
      allowedIps: body.allowed_ips ?? null,
      adminScope: body.admin_scope ?? false,
    });
    reply.status(201);
    return { ...toAdminKeyJson(created.key), key: created.plaintext };
  });

  app.get<UserParams>('/api/admin/users/:id/keys', { preHandler: requireAdmin }, async (request) => {
    await requireUser(request.params.id);
    const keys = await apiKeys.list(request.params.id);
    return { object: 'list' as const, data: keys.map(toAdminKeyJson) };
  });

  app.delete<KeyParams>('/api/admin/users/:id/keys/:keyId', { preHandler: requireAdmin }, async (request) => {
    const key = await apiKeys.revoke(request.params.id, request.params.keyId);
    if (!key) throw new GatewayError('not_found', { message: 'No such key for this user.' });
    return toAdminKeyJson(key);
  });
}
