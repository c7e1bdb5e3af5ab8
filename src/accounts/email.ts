import { GatewayError } from '../shared/errors.js';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;

/** Lower-cased and trimmed, so lookups and the unique index agree on one spelling. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function checkEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(normalized)) {
    throw new GatewayError('invalid_request', { param: 'email', message: 'email must be a valid email address.' });
  }
  return normalized;
}
