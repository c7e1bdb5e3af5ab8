/** The wire form of an API key (never its secret), shared by the admin and dashboard key routes. */
import { z } from 'zod';
import type { ApiKeyInfo } from '../accounts/api-keys.js';

/** Epoch milliseconds, or an ISO 8601 date-time with offset. */
const timeSchema = z.union([z.number().int().positive(), z.iso.datetime({ offset: true }).transform((value) => Date.parse(value))]);

/** Fields of a key-creation body, as the admin and dashboard routes both accept them. */
export const apiKeyCreateFields = {
  name: z.string(),
  expires_at: timeSchema.nullable().optional(),
  allowed_models: z.array(z.string()).nullable().optional(),
  allowed_ips: z.array(z.string()).nullable().optional(),
};

export interface ApiKeyJson {
  id: string;
  name: string;
  prefix: string;
  status: ApiKeyInfo['status'];
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  expires_at: number | null;
  allowed_models: string[] | null;
  allowed_ips: string[] | null;
  /** The key may call the admin API. */
  admin_scope: boolean;
}

export function toApiKeyJson(key: ApiKeyInfo): ApiKeyJson {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    status: key.status,
    created_at: key.createdAt,
    last_used_at: key.lastUsedAt,
    revoked_at: key.revokedAt,
    expires_at: key.expiresAt,
    allowed_models: key.allowedModels,
    allowed_ips: key.allowedIps,
    admin_scope: key.adminScope,
  };
}
