/**
 * zod validation for admin bodies and query strings. Admin schemas are strict, so a misspelt field is a 400
 * naming that field rather than a silently ignored change.
 */
import type { z } from 'zod';
import { GatewayError } from '../../shared/errors.js';
import { formatPath } from '../openai/parse-body.js';

export function parseAdminInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new GatewayError('invalid_request');
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const param = path === '' ? key : `${path}.${key}`;
    throw new GatewayError('invalid_request', { param, message: `Unknown field '${param}'.` });
  }
  const param = path === '' ? null : path;
  throw new GatewayError('invalid_request', { param, message: `Invalid value for '${param ?? 'body'}': ${issue.message}` });
}
