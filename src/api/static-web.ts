/**
 * Serves the built dashboard (web/dist) at `/`, on the same origin as the API. Files that exist are sent as
 * they are (hashed assets cached for a year); any other path outside /api is a client-side route and gets
 * index.html. Paths under /api never fall back: a mistyped API URL must stay a JSON 404.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GatewayError } from '../errors.js';

export interface StaticWebOptions {
  /** The Vite output folder holding index.html. */
  root: string;
}

const ASSET_CACHE = 'public, max-age=31536000, immutable';
const PAGE_CACHE = 'no-cache';

function isApiPath(urlPath: string): boolean {
  return urlPath === '/api' || urlPath.startsWith('/api/');
}

/** The file under `root` that `urlPath` names, or undefined when there is none (or it would escape root). */
export function resolveStaticFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    // A malformed escape names no file; the caller serves the app shell instead.
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = path.posix.normalize(decoded).replace(/^\/+/, '');
  if (relative === '' || relative.startsWith('..')) return undefined;
  const absolute = path.join(root, relative);
  if (!absolute.startsWith(root + path.sep)) return undefined;
  return existsSync(absolute) && statSync(absolute).isFile() ? relative : undefined;
}

function sendShell(reply: FastifyReply, built: boolean): FastifyReply | Promise<FastifyReply> {
  if (!built) {
    return reply
      .status(503)
      .type('text/plain; charset=utf-8')
      .send('The dashboard has not been built. Run `npm run build:web` (part of `npm run build`) and restart.');
  }
  reply.header('cache-control', PAGE_CACHE);
  return reply.sendFile('index.html');
}

export async function registerStaticWeb(app: FastifyInstance, options: StaticWebOptions): Promise<void> {
  const root = path.resolve(options.root);
  // Cache headers are set per file below, so the plugin's own default is turned off.
  await app.register(fastifyStatic, { root, serve: false, index: false, cacheControl: false });
  const built = () => existsSync(path.join(root, 'index.html'));

  app.get('/*', async (request, reply) => {
    const urlPath = request.url.split('?')[0] ?? '/';
    if (isApiPath(urlPath)) throw new GatewayError('not_found', { message: `No route for ${request.method} ${urlPath}` });
    const file = resolveStaticFile(root, urlPath);
    if (!file) return sendShell(reply, built());
    reply.header('cache-control', file.startsWith('assets/') ? ASSET_CACHE : PAGE_CACHE);
    return reply.sendFile(file);
  });
}
