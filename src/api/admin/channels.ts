/**
 * Admin management of upstream channels. Keys are write-only: responses carry `api_key_hint` (`sk-…abcd`).
 *   GET    /api/admin/channels
 *   POST   /api/admin/channels       {provider, name, api_key, secret_key?, base_url?, models?, weight?, priority?, enabled?}
 *   PATCH  /api/admin/channels/:id   any of the above except provider; secret_key null removes it
 *   DELETE /api/admin/channels/:id
 */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../shared/errors.js';
import type { Channel, ChannelService, ChannelUpdateInput } from '../../channels/channels.js';
import { parseAdminInput } from './parse-admin-input.js';

export interface AdminChannelRouteDeps {
  channels: ChannelService;
  requireAdmin: preHandlerHookHandler;
}

export interface AdminChannelJson {
  object: 'channel';
  id: string;
  provider: string;
  name: string;
  base_url: string;
  api_key_hint: string;
  secret_key_hint: string | null;
  models: string[];
  weight: number;
  priority: number;
  enabled: boolean;
  created_at: number;
  updated_at: number;
}

// `env:` names belong to channels seeded from the environment, which are matched by name on every start.
const nameSchema = z.string().refine((name) => !name.startsWith('env:'), { message: 'Names starting with "env:" are reserved.' });

const fields = {
  name: nameSchema,
  base_url: z.string(),
  api_key: z.string().min(1),
  models: z.array(z.string()),
  weight: z.number().int().positive(),
  priority: z.number().int(),
  enabled: z.boolean(),
};

const createChannelSchema = z.strictObject({
  provider: z.string(),
  name: fields.name,
  api_key: fields.api_key,
  secret_key: z.string().min(1).optional(),
  base_url: fields.base_url.optional(),
  models: fields.models.optional(),
  weight: fields.weight.optional(),
  priority: fields.priority.optional(),
  enabled: fields.enabled.optional(),
});

const patchChannelSchema = z
  .strictObject({
    name: fields.name.optional(),
    api_key: fields.api_key.optional(),
    secret_key: z.string().min(1).nullable().optional(),
    base_url: fields.base_url.optional(),
    models: fields.models.optional(),
    weight: fields.weight.optional(),
    priority: fields.priority.optional(),
    enabled: fields.enabled.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Send at least one field to change.' });

type IdParams = { Params: { id: string } };

export function toAdminChannelJson(channel: Channel): AdminChannelJson {
  return {
    object: 'channel',
    id: channel.id,
    provider: channel.provider,
    name: channel.name,
    base_url: channel.baseUrl,
    api_key_hint: channel.apiKeyHint,
    secret_key_hint: channel.secretKeyHint,
    models: channel.models,
    weight: channel.weight,
    priority: channel.priority,
    enabled: channel.enabled,
    created_at: channel.createdAt,
    updated_at: channel.updatedAt,
  };
}

function toChannelUpdate(patch: z.infer<typeof patchChannelSchema>): ChannelUpdateInput {
  const update: ChannelUpdateInput = {};
  if (patch.name !== undefined) update.name = patch.name;
  if (patch.api_key !== undefined) update.apiKey = patch.api_key;
  if (patch.secret_key !== undefined) update.secretKey = patch.secret_key;
  if (patch.base_url !== undefined) update.baseUrl = patch.base_url;
  if (patch.models !== undefined) update.models = patch.models;
  if (patch.weight !== undefined) update.weight = patch.weight;
  if (patch.priority !== undefined) update.priority = patch.priority;
  if (patch.enabled !== undefined) update.enabled = patch.enabled;
  return update;
}

export function registerAdminChannelRoutes(app: FastifyInstance, deps: AdminChannelRouteDeps): void {
  const { channels, requireAdmin } = deps;

  app.get('/api/admin/channels', { preHandler: requireAdmin }, async () => ({
    object: 'list' as const,
    data: (await channels.list()).map(toAdminChannelJson),
  }));

  app.post('/api/admin/channels', { preHandler: requireAdmin }, async (request, reply) => {
    const body = parseAdminInput(createChannelSchema, request.body);
    const channel = await channels.create({
      provider: body.provider,
      name: body.name,
      apiKey: body.api_key,
      ...(body.secret_key !== undefined ? { secretKey: body.secret_key } : {}),
      ...(body.base_url !== undefined ? { baseUrl: body.base_url } : {}),
      ...(body.models !== undefined ? { models: body.models } : {}),
      ...(body.weight !== undefined ? { weight: body.weight } : {}),
      ...(body.priority !== undefined ? { priority: body.priority } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    });
    reply.status(201);
    return toAdminChannelJson(channel);
  });

  app.patch<IdParams>('/api/admin/channels/:id', { preHandler: requireAdmin }, async (request) => {
    const patch = parseAdminInput(patchChannelSchema, request.body);
    const channel = await channels.update(request.params.id, toChannelUpdate(patch));
    if (!channel) throw new GatewayError('not_found', { message: 'No such channel.' });
    return toAdminChannelJson(channel);
  });

  app.delete<IdParams>('/api/admin/channels/:id', { preHandler: requireAdmin }, async (request) => {
    if (!(await channels.delete(request.params.id))) throw new GatewayError('not_found', { message: 'No such channel.' });
    return { object: 'channel' as const, id: request.params.id, deleted: true };
  });
}
