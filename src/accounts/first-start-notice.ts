/**
 * Where the first-start admin password and API key go. Container runtimes keep stdout in their logs, so the
 * secrets are written to a 0600 file in the data directory and stdout only names it; an operator at a terminal
 * (stdout is a TTY) also sees them printed, as before.
 */
import path from 'node:path';
import { writePrivateFile } from '../shared/private-files.js';
import type { BootstrapCredentials } from './bootstrap.js';

export const FIRST_START_FILE_NAME = 'first-start-credentials.txt';

export interface FirstStartNoticeOptions {
  /** Credit granted to the admin, decimal USD. */
  creditUsd: string;
  /** Print the secrets themselves, not only the file's path (stdout is a terminal). */
  showSecrets: boolean;
}

function secretLines(credentials: BootstrapCredentials, creditUsd: string): string[] {
  return [
    `    admin login : ${credentials.email}`,
    `    password    : ${credentials.password}`,
    `    API key     : ${credentials.apiKey}`,
    `    credit      : $${creditUsd} on the admin account (TOKENHUB_ADMIN_INITIAL_CREDIT_USD)`,
  ];
}

/** Writes the credentials to `<dataDir>/first-start-credentials.txt` (mode 0600) and returns its path. */
export function saveFirstStartCredentials(dataDir: string, credentials: BootstrapCredentials, creditUsd: string): string {
  const file = path.join(dataDir, FIRST_START_FILE_NAME);
  const body = [
    'TokenHub first start. The API key is an ordinary inference key; the admin API takes TOKENHUB_ADMIN_TOKEN,',
    'the dashboard session, or a key created there with the admin scope. Delete this file once these are saved.',
    '',
    ...secretLines(credentials, creditUsd),
    '',
  ].join('\n');
  writePrivateFile(file, body);
  return file;
}

/** What the process prints on its first start. */
export function firstStartNotice(credentials: BootstrapCredentials, file: string, options: FirstStartNoticeOptions): string {
  const lines = ['', '  TokenHub first start — the admin login, password and API key are in', `    ${file}`, '  (readable by this user only; delete it once they are saved).'];
  if (options.showSecrets) lines.push('  They are not shown again:', ...secretLines(credentials, options.creditUsd));
  return [...lines, ''].join('\n') + '\n';
}
