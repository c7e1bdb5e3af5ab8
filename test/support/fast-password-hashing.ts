/**
 * Vitest setup: new password hashes in tests use a tiny scrypt cost. The suite creates hundreds of users and the
 * production cost (shared/crypto.ts, N=2^17) takes about a second of CPU each. Tests about the cost itself set
 * DEFAULT_PASSWORD_HASH_PARAMS back for their own file (each file runs in its own process).
 */
import { setPasswordHashParams } from '../../src/shared/crypto.js';

setPasswordHashParams({ N: 2 ** 10, r: 8, p: 1 });
