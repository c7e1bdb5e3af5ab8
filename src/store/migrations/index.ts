/** The one migration list, applied in key order on both dialects. Never edit a migration that has shipped. */
import type { Migration } from 'kysely';
import * as core from './0001-core.js';
import * as billing from './0002-billing.js';
import * as dashboard from './0004-dashboard.js';
import * as jobs from './0005-jobs.js';
import * as keyPrivileges from './0006-key-privileges.js';
import * as callbackSecrets from './0007-callback-secrets.js';
import * as paymentReversals from './0008-payment-reversals.js';
import * as holdOwner from './0012-hold-owner.js';

export const migrations: Record<string, Migration> = {
  '0001-core': core,
  '0002-billing': billing,
  '0004-dashboard': dashboard,
  '0005-jobs': jobs,
  '0006-key-privileges': keyPrivileges,
  '0007-callback-secrets': callbackSecrets,
  '0008-payment-reversals': paymentReversals,
  '0012-hold-owner': holdOwner,
};
