import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstStartNotice, saveFirstStartCredentials } from '../../../src/accounts/first-start-notice.js';

const credentials = { email: 'admin@tokenhub.local', password: 'Abcdefghij0123456789', apiKey: `th-${'k'.repeat(40)}` };

describe('first-start notice', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokenhub-notice-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saves the secrets in a 0600 file, replacing a readable one left from before', () => {
    const first = saveFirstStartCredentials(dir, credentials, '100');
    expect(statSync(first).mode & 0o777).toBe(0o600);
    expect(readFileSync(first, 'utf8')).toContain(credentials.apiKey);
    expect(readFileSync(first, 'utf8')).toContain(credentials.password);
  });

  it('names the file on piped stdout and shows the secrets only at a terminal', () => {
    const file = path.join(dir, 'first-start-credentials.txt');
    const piped = firstStartNotice(credentials, file, { creditUsd: '100', showSecrets: false });
    expect(piped).toContain(file);
    expect(piped).not.toContain(credentials.password);
    expect(piped).not.toContain(credentials.apiKey);
    const terminal = firstStartNotice(credentials, file, { creditUsd: '100', showSecrets: true });
    expect(terminal).toContain(credentials.password);
    expect(terminal).toContain(credentials.apiKey);
  });
});
