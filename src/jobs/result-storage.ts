/**
 * The gateway's own copies of finished videos (off by default). Upstream video URLs expire after about a day;
 * with result storage on, each video is copied once when its job succeeds and clients get a URL to the
 * gateway instead, signed with an HMAC key derived from the master key and valid for a limited time:
 *   GET /api/v1/videos/files/<name>?exp=<unix seconds>&sig=<base64url HMAC-SHA256(key, "<name>.<exp>")>
 * `ResultStorage` is the seam for other backends (an S3-compatible bucket would implement save/open).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../shared/clock.js';
import { guardedGet } from '../upstream/guarded-get.js';
import type { AddressGuardOptions } from '../upstream/public-url.js';

export interface StoredFile {
  stream: Readable;
  size: number;
}

export interface ResultStorage {
  save(name: string, body: Readable): Promise<void>;
  /** Undefined when no such file is stored. */
  open(name: string): Promise<StoredFile | undefined>;
}

export const storedFilePattern = /^[A-Za-z0-9_-]{1,120}\.mp4$/;

export function createLocalResultStorage(dir: string): ResultStorage {
  return {
    async save(name, body) {
      if (!storedFilePattern.test(name)) throw new Error(`Not a stored file name: ${name}`);
      // Inside the data directory, which only the gateway's user may read (shared/private-files.ts).
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const final = path.join(dir, name);
      const partial = `${final}.part`;
      const out = createWriteStream(partial, { mode: 0o600 });
      try {
        await pipeline(body, out);
      } catch (error) {
        // The file is opened asynchronously: wait until the stream is closed, or the open could land after rm.
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
        await rm(partial, { force: true });
        throw error;
      }
      await rename(partial, final);
    },
    async open(name) {
      if (!storedFilePattern.test(name)) return undefined;
      const file = path.join(dir, name);
      const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      return info === undefined ? undefined : { stream: createReadStream(file), size: info.size };
    },
  };
}

export interface SignedFileUrls {
  /** An absolute URL under `baseUrl` (the gateway's origin, no trailing slash). */
  sign(name: string, baseUrl: string): string;
  verify(name: string, exp: string | undefined, sig: string | undefined): boolean;
}

export function deriveFileUrlKey(masterKey: Buffer): Buffer {
  return createHmac('sha256', masterKey).update('tokenhub video file urls v1').digest();
}

export function createSignedFileUrls(options: { key: Buffer; ttlMs: number; clock: Clock }): SignedFileUrls {
  const mac = (name: string, exp: number) => createHmac('sha256', options.key).update(`${name}.${exp}`).digest();
  return {
    sign(name, baseUrl) {
      const exp = Math.floor((options.clock.now() + options.ttlMs) / 1000);
      return `${baseUrl}/api/v1/videos/files/${name}?exp=${exp}&sig=${mac(name, exp).toString('base64url')}`;
    },
    verify(name, exp, sig) {
      if (exp === undefined || sig === undefined || !/^\d{1,12}$/.test(exp)) return false;
      const expSeconds = Number(exp);
      if (expSeconds * 1000 <= options.clock.now()) return false;
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(name, expSeconds);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export interface CopyVideoOptions {
  guard: AddressGuardOptions;
  maxBytes: number;
  timeoutMs: number;
}

/** Downloads `sourceUrl` (every hop checked against the SSRF guard) into `storage` as `name`. */
export async function copyVideoResult(sourceUrl: string, name: string, storage: ResultStorage, options: CopyVideoOptions): Promise<void> {
  const fetched = await guardedGet(sourceUrl, { guard: options.guard, subject: 'video_url', maxRedirects: 3, signal: AbortSignal.timeout(options.timeoutMs) });
  if (!fetched.ok) throw new Error(fetched.reason, { cause: fetched.cause });
  try {
    const response = fetched.response;
    if (response.statusCode < 200 || response.statusCode > 299) {
      await response.body.dump();
      throw new Error(`The video URL answered HTTP ${response.statusCode}`);
    }
    const limited = limitBytes(options.maxBytes);
    // Both sides must finish (the saver removes its partial file on failure) before the outcome is known.
    const outcomes = await Promise.allSettled([pipeline(response.body, limited), storage.save(name, limited)]);
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    await fetched.release();
  }
}

function limitBytes(maxBytes: number): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > maxBytes) callback(new Error(`The video is larger than ${maxBytes} bytes`));
      else callback(null, chunk);
    },
  });
}
