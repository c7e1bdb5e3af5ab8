/**
 * Serves the built dashboard (web/dist) at `/`, on the same origin as the API. Files that exist are sent as
 * they are (hashed assets cached for a year); any other path outside /api is a client-side route and gets
 * index.html. Paths under /api never fall back: a mistyped API URL must stay a JSON 404.
 * Everything served here carries the dashboard's security headers (see DASHBOARD_CSP).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GatewayError } from '../shared/errors.js';

export interface StaticWebOptions {
  /** The Vite output folder holding index.html. */
  root: string;
}

const ASSET_CACHE = 'public, max-age=31536000, immutable';

/**
 * What the built dashboard (Vite, React) needs and nothing more: its own scripts, styles and API; images and
 * videos also from providers' result URLs (https, and http for the local simulators in demo mode) and data:
 * or blob: URLs. No inline script, no plugins, and no page may frame it (clickjacking).
 */
export const DASHBOARD_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:', 'https:', 'http:'],
  mediaSrc: ["'self'", 'blob:', 'https:', 'http:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const HSTS = 'max-age=31536000; includeSubDomains';
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
  // In its own scope, so the headers go with the dashboard's pages and files and not with the JSON API.
  await app.register(async (scope) => {
    await scope.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: DASHBOARD_CSP },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      frameguard: { action: 'deny' },
      // A max-age sent over plain HTTP would be ignored at best; it is added below for HTTPS requests only.
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
    });
    scope.addHook('onSend', async (request, reply) => {
      if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    });
    registerDashboardFiles(scope, root, built);
  });
}

function registerDashboardFiles(app: FastifyInstance, root: string, built: () => boolean): void {
  app.get('/*', async (request, reply) => {
    const urlPath = request.url.split('?')[0] ?? '/';
    if (isApiPath(urlPath)) throw new GatewayError('not_found', { message: `No route for ${request.method} ${urlPath}` });
    const file = resolveStaticFile(root, urlPath);
    if (!file) return sendShell(reply, built());
    reply.header('cache-control', file.startsWith('assets/') ? ASSET_CACHE : PAGE_CACHE);
    return reply.sendFile(file);
  });
}
