/**
 * The real server process (src/main.ts) on its first start in demo mode, with stdout piped as a container runtime
 * does: the admin password and key go to a 0600 file in the data directory (stdout, which container logs keep,
 * names only the file), the data directory is 0700 and the database 0600, and demo mode, which lets requests reach
 * private addresses, listens on 127.0.0.1 when HOST is not set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { loadConfig } from '../../src/config.js';
import { freePort, waitForListening } from '../support/server-process.js';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('first start of the server process', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tokenhub-first-'));
  // Not there yet: the process creates it.
  const dataDir = path.join(root, 'data');
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps the first-start secrets out of piped stdout, in a 0600 file, with a private data directory, on loopback', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, PORT: String(port), TOKENHUB_DATA_DIR: dataDir, TOKENHUB_DEMO: '1', TOKENHUB_LOG_LEVEL: 'info' },
    });
    const out = await waitForListening(child);

    const file = path.join(dataDir, 'first-start-credentials.txt');
    expect(out).toContain(file);
    const saved = readFileSync(file, 'utf8');
    const apiKey = /API key\s*:\s*(th-\S+)/.exec(saved)?.[1];
    const password = /password\s*:\s*(\S+)/.exec(saved)?.[1];
    expect(apiKey).toMatch(/^th-/);
    expect(password).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(out).not.toContain(apiKey);
    expect(out).not.toContain(password);
    expect(modeOf(file)).toBe(0o600);

    expect(modeOf(dataDir)).toBe(0o700);
    for (const name of ['tokenhub.db', 'secret.key', 'tokenhub.db-wal']) {
      const stored = path.join(dataDir, name);
      if (name.endsWith('-wal') && !existsSync(stored)) continue;
      expect({ name, mode: modeOf(stored).toString(8) }).toEqual({ name, mode: '600' });
    }

    const listening = out.split('\n').find((line) => line.includes('TokenHub listening'))!;
    expect(JSON.parse(listening)).toMatchObject({ host: '127.0.0.1', port });
    const models = await request(`http://127.0.0.1:${port}/api/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(models.statusCode).toBe(200);
    await models.body.dump();
    // Where the machine has another address, nothing answers on it.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const socket = net.connect(port, external.address);
      const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
      expect(error.code).toBe('ECONNREFUSED');
    }
  });
});

describe('demo listen address', () => {
  it('is 127.0.0.1 in demo mode unless HOST is set, and 0.0.0.0 otherwise', () => {
    expect(loadConfig({ TOKENHUB_DEMO: '1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ TOKENHUB_DEMO: '1', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({}).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });
});
