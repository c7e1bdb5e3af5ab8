/**
 * Sign-up invitations, for admins (used when sign-up is invite-only). A code is in the create response only.
 *   GET  /api/dashboard/admin/invites
 *   POST /api/dashboard/admin/invites   {note?, expires_at?}
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SignupInvite, SignupInviteService } from '../../accounts/signup-invites.js';
import { GatewayError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { parseAdminInput as parseInput } from '../admin/parse-admin-input.js';
import { currentSession, type SessionAuth } from './session-auth.js';

export interface InviteRouteDeps {
  invites: SignupInviteService;
  sessionAuth: SessionAuth;
  clock: Clock;
}

const createInviteSchema = z.strictObject({
  note: z.string().max(200).nullable().optional(),
  expires_at: z.number().int().positive().nullable().optional(),
});

function toInviteJson(invite: SignupInvite) {
  return {
    id: invite.id,
    code_hint: invite.codeHint,
    note: invite.note,
    created_at: invite.createdAt,
    expires_at: invite.expiresAt,
    used_by: invite.usedBy,
    used_at: invite.usedAt,
  };
}

export function registerInviteRoutes(app: FastifyInstance, deps: InviteRouteDeps): void {
  const { invites, sessionAuth } = deps;

  app.get('/api/dashboard/admin/invites', { preHandler: sessionAuth.admin }, async () => ({
    object: 'list' as const,
    data: (await invites.list()).map(toInviteJson),
  }));

  app.post('/api/dashboard/admin/invites', { preHandler: sessionAuth.admin }, async (request, reply) => {
    const body = parseInput(createInviteSchema, request.body);
    if (body.expires_at !== undefined && body.expires_at !== null && body.expires_at <= deps.clock.now()) {
      throw new GatewayError('invalid_request', { param: 'expires_at', message: 'expires_at must be in the future.' });
    }
    const created = await invites.create({
      note: body.note ?? null,
      expiresAt: body.expires_at ?? null,
      createdBy: currentSession(request).user.id,
    });
    reply.status(201);
    return { ...toInviteJson(created.invite), code: created.code };
  });
}
