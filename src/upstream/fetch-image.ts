/**
 * Fetches client-supplied image URLs for upstreams that cannot (Gemini), without becoming an SSRF proxy.
 *
 * Each hop passes the shared SSRF guard through guarded-get.ts (the host resolved once, every address checked,
 * the connection pinned to the checked address, every redirect checked again). The body is counted while it streams and abandoned past `maxBytes`; one deadline covers all. A caller
 * may narrow the byte limit and stop the fetch (request-images.ts does, for one request's allowance).
 */
import type { Dispatcher } from 'undici';
import { GatewayError, isGatewayError } from '../shared/errors.js';
import { guardedGet } from './guarded-get.js';
import type { ResolvedAddress } from './public-url.js';

export interface FetchedImage {
  mimeType: string;
  /** Base64, no `data:` prefix. */
  data: string;
}

export interface ImageFetcherOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Exact MIME types to accept (e.g. Gemini's png/jpeg/webp/heic/heif); default: any `image/*`. */
  allowedContentTypes?: string[];
  /** DNS resolution (all addresses of a host); default node's resolver. Tests inject a fake. */
  lookup?: (hostname: string) => Promise<ResolvedAddress[]>;
  /**
   * For tests and demo mode only: lets loopback and private (RFC 1918, fc00::/7) addresses through so a local
   * server can stand in for the internet. Metadata, link-local and the other internal ranges stay refused.
   */
  allowPrivateAddresses?: boolean;
  /** Redirect hops to follow; default 3. */
  maxRedirects?: number;
}

export interface ImageFetchCall {
  /** Stops the fetch at once, e.g. when the client left. */
  signal?: AbortSignal;
  /** A byte limit tighter than the fetcher's own, with the refusal to give when an image exceeds it. */
  budget?: { maxBytes: number; refusal: string };
}

export type ImageFetcher = (url: string, call?: ImageFetchCall) => Promise<FetchedImage>;

interface SizeLimit {
  maxBytes: number;
  refusal: string;
}

export function createImageFetcher(options: ImageFetcherOptions): ImageFetcher {
  return async (url, call = {}) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    const stop = () => controller.abort();
    call.signal?.addEventListener('abort', stop, { once: true });
    if (call.signal?.aborted === true) stop();
    const ownLimit: SizeLimit = { maxBytes: options.maxBytes, refusal: `The image is larger than ${options.maxBytes} bytes.` };
    const limit = call.budget !== undefined && call.budget.maxBytes < options.maxBytes ? call.budget : ownLimit;
    try {
      return await fetchFollowingRedirects(url, options, limit, controller.signal);
    } catch (err) {
      if (call.signal?.aborted === true) throw refuse('The image fetch was stopped before it finished.', err);
      throw toImageFetchError(err, controller.signal.aborted, options.timeoutMs);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', stop);
    }
  };
}

async function fetchFollowingRedirects(url: string, options: ImageFetcherOptions, limit: SizeLimit, signal: AbortSignal): Promise<FetchedImage> {
  const fetched = await guardedGet(url, {
    guard: { allowPrivateAddresses: options.allowPrivateAddresses === true, lookup: options.lookup },
    subject: 'The image URL',
    maxRedirects: options.maxRedirects ?? 3,
    signal,
    connectTimeoutMs: options.timeoutMs,
    headers: { accept: 'image/*', 'user-agent': 'TokenHub-ImageFetcher' },
  });
  if (!fetched.ok) throw refuse(fetched.reason, fetched.cause);
  try {
    return await readImage(fetched.response, options, limit);
  } finally {
    await fetched.release();
  }
}

async function readImage(response: Dispatcher.ResponseData, options: ImageFetcherOptions, limit: SizeLimit): Promise<FetchedImage> {
  const body = response.body;
  if (response.statusCode < 200 || response.statusCode > 299) {
    await discardBody(body);
    throw refuse(`The image URL answered HTTP ${response.statusCode}.`);
  }
  const mimeType = (headerValue(response.headers['content-type']) ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const allowed = options.allowedContentTypes === undefined ? mimeType.startsWith('image/') : options.allowedContentTypes.includes(mimeType);
  if (!allowed) {
    await discardBody(body);
    throw refuse(`The image URL returned content type "${mimeType || 'none'}", which is not an accepted image type.`);
  }
  if (Number(headerValue(response.headers['content-length']) ?? 0) > limit.maxBytes) {
    await discardBody(body);
    throw refuse(limit.refusal);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > limit.maxBytes) break;
    chunks.push(chunk as Buffer);
  }
  if (total > limit.maxBytes) {
    await discardBody(body);
    throw refuse(limit.refusal);
  }
  return { mimeType, data: Buffer.concat(chunks).toString('base64') };
}

/** Abandons a body without reading it; undici's dump() handles the abort it causes. */
async function discardBody(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: 1 });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function refuse(message: string, cause?: unknown): GatewayError {
  return new GatewayError('image_fetch_failed', { message, cause });
}

function toImageFetchError(err: unknown, timedOut: boolean, timeoutMs: number): GatewayError {
  if (isGatewayError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (timedOut || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return refuse(`The image URL did not answer within ${timeoutMs} ms.`, err);
  }
  return refuse('The image URL could not be fetched.', err);
}
