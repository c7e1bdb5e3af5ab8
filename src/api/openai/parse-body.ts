import type { z } from 'zod';
import { GatewayError } from '../../shared/errors.js';

/** Validates a request body with a zod schema; the first issue becomes a 400 naming its field in `param`. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GatewayError('invalid_request', { message: 'The request body must be a JSON object.' });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue ? formatPath(issue.path) : null;
  const message = issue ? `Invalid value for '${param || 'body'}': ${issue.message}` : 'The request is invalid.';
  throw new GatewayError('invalid_request', { param, message });
}

/** `['messages', 0, 'content']` → `messages[0].content` (OpenAI's notation). */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
