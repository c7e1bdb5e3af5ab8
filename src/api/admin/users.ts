/**
 * Admin user management.
 *   POST  /api/admin/users        {email, password?, role?, group?}  (a generated password is returned once)
 *   GET   /api/admin/users        ?limit&cursor | ?limit&offset, ?q=<email substring>
 *   GET   /api/admin/users/:id
 *   PATCH /api/admin/users/:id    {status?, role?, group?}
 */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { ApiKeyService } from '../../accounts/api-keys.js';
import type { User, UserService } from '../../accounts/users.js';
import { GatewayError } from '../../shared/errors.js';
import { randomBase62 } from '../../shared/ids.js';
import { parseAdminInput } from './parse-admin-input.js';

export interface AdminUserRouteDeps {
  users: UserService;
  /** User changes drop that user's cached keys at once. */
  apiKeys: Pick<ApiKeyService, 'invalidateUser'>;
  requireAdmin: preHandlerHookHandler;
}

export interface AdminUserJson {
  object: 'user';
  id: string;
  email: string;
  role: User['role'];
  status: User['status'];
  group: string;
  created_at: number;
  updated_at: number;
}

const createUserSchema = z.strictObject({
  email: z.string(),
  password: z.string().optional(),
  role: z.enum(['user', 'admin']).optional(),
  group: z.string().optional(),
});

const listUsersSchema = z.strictObject({
  limit: z.coerce.number().int().optional(),
  cursor: z.string().min(1).optional(),
  offset: z.coerce.number().int().optional(),
  q: z.string().optional(),
});

const patchUserSchema = z
  .strictObject({
    status: z.enum(['active', 'disabled']).optional(),
    role: z.enum(['user', 'admin']).optional(),
    group: z.string().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Send at least one of status, role, group.' });

const GENERATED_PASSWORD_LENGTH = 20;

export function toAdminUserJson(user: User): AdminUserJson {
  return {
    object: 'user',
    id: user.id,
    email: user.email,
    role: user.role,
    status: user.status,
    group: user.groupId,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

export function registerAdminUserRoutes(app: FastifyInstance, deps: AdminUserRouteDeps): void {
  const { users, requireAdmin } = deps;

  app.post('/api/admin/users', { preHandler: requireAdmin }, async (request, reply) => {
    const body = parseAdminInput(createUserSchema, request.body);
    const password = body.password ?? randomBase62(GENERATED_PASSWORD_LENGTH);
    const user = await users.create({
      email: body.email,
      password,
      ...(body.role ? { role: body.role } : {}),
      ...(body.group !== undefined ? { groupId: body.group } : {}),
    });
    reply.status(201);
    return { ...toAdminUserJson(user), ...(body.password === undefined ? { password } : {}) };
  });

  app.get('/api/admin/users', { preHandler: requireAdmin }, async (request) => {
    const query = parseAdminInput(listUsersSchema, request.query);
    const page = await users.list(query);
    return {
      object: 'list' as const,
      data: page.users.map(toAdminUserJson),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
      total: page.total,
    };
  });

  app.get<{ Params: { id: string } }>('/api/admin/users/:id', { preHandler: requireAdmin }, async (request) => {
    const user = await users.get(request.params.id);
    if (!user) throw new GatewayError('not_found', { message: 'No such user.' });
    return toAdminUserJson(user);
  });

  app.patch<{ Params: { id: string } }>('/api/admin/users/:id', { preHandler: requireAdmin }, async (request) => {
    const patch = parseAdminInput(patchUserSchema, request.body);
    const { id } = request.params;
    if (!(await users.get(id))) throw new GatewayError('not_found', { message: 'No such user.' });
    if (request.auth?.userId === id && (patch.status === 'disabled' || patch.role === 'user')) {
      // An admin locking themselves out by accident is hard to undo without the admin token.
      throw new GatewayError('conflict', { param: patch.status ? 'status' : 'role', message: 'You cannot disable or demote yourself.' });
    }
    let user: User | undefined;
    if (patch.group !== undefined) user = await users.setGroup(id, patch.group);
    if (patch.role) user = await users.setRole(id, patch.role);
    if (patch.status) user = await users.setStatus(id, patch.status);
    if (!user) throw new GatewayError('not_found', { message: 'No such user.' });
    deps.apiKeys.invalidateUser(id);
    return toAdminUserJson(user);
  });
}
