import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, loadOrCreateMasterKey, parseMasterKey, SecretBox, verifyPassword } from '../../../src/shared/crypto.js';

describe('the master key', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is generated once into the data directory with mode 0600, then reused', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tokenhub-key-'));
    dirs.push(dir);
    const first = loadOrCreateMasterKey(undefined, dir);
    const file = path.join(dir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toHaveLength(32);
    expect(loadOrCreateMasterKey(undefined, dir).equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('hex'));
  });

  it('comes from TOKENHUB_SECRET_KEY as hex or base64, and a wrong length is refused', () => {
    const hex = 'ab'.repeat(32);
    expect(parseMasterKey(hex).toString('hex')).toBe(hex);
    expect(parseMasterKey(Buffer.from(hex, 'hex').toString('base64')).toString('hex')).toBe(hex);
    expect(() => parseMasterKey('abcd')).toThrow(/32 bytes/);
  });
});

describe('sealed secrets', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('round-trip, never contain the plaintext, and differ each time', () => {
    const a = box.encrypt('sk-upstream-secret');
    const b = box.encrypt('sk-upstream-secret');
    expect(a).not.toContain('sk-upstream-secret');
    expect(a).not.toBe(b);
    expect(box.decrypt(a)).toBe('sk-upstream-secret');
  });

  it('refuses a tampered ciphertext or another key', () => {
    const sealed = box.encrypt('secret');
    const parts = sealed.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('x' + Buffer.from(parts[3]!, 'base64url').toString('latin1')).toString('base64url')].join('.');
    expect(() => box.decrypt(tampered)).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 8)).decrypt(sealed)).toThrow();
  });
});

describe('passwords', () => {
  it('are stored as scrypt hashes that verify only the right password', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored.startsWith('scrypt$')).toBe(true);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('wrong horse', stored)).toBe(false);
  });
});
