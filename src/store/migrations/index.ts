/** The one migration list, applied in key order on both dialects. Never edit a migration that has shipped. */
import type { Migration } from 'kysely';
import * as core from './0001-core.js';

export const migrations: Record<string, Migration> = {
  '0001-core': core,
};
