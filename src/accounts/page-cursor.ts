/**
 * Keyset paging over (created_at, id), newest first. The cursor is opaque to clients so the ordering can change
 * without breaking links they saved.
 */
import { GatewayError } from '../shared/errors.js';

export interface PagePosition {
  createdAt: number;
  id: string;
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

export function encodePageCursor(position: PagePosition): string {
  return Buffer.from(`${position.createdAt}.${position.id}`, 'utf8').toString('base64url');
}

export function decodePageCursor(cursor: string): PagePosition {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const dot = text.indexOf('.');
  const createdAt = Number(text.slice(0, dot));
  const id = text.slice(dot + 1);
  if (dot <= 0 || !Number.isSafeInteger(createdAt) || id.length === 0) {
    throw new GatewayError('invalid_request', { param: 'cursor', message: 'The cursor is not one this server issued.' });
  }
  return { createdAt, id };
}

/** Rejects instead of clamping: a client asking for 500 rows should learn the limit, not get 100 silently. */
export function checkPageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new GatewayError('invalid_request', { param: 'limit', message: `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}.` });
  }
  return limit;
}
