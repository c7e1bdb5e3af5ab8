/**
 * Fetches client-supplied image URLs for upstreams that cannot (Gemini), without becoming an SSRF proxy.
 *
 * Each hop resolves the host once, refuses the URL if any resolved address is internal (loopback, private,
 * link-local, CGNAT, cloud metadata, unspecified, multicast/reserved, and the IPv4-mapped/NAT64/6to4 IPv6 forms
 * of those), then connects to exactly the address it checked: the socket's DNS lookup is pinned, so a second
 * resolution cannot be steered elsewhere (DNS rebinding). Redirects are followed by hand so every hop is
 * checked again. The body is counted while it streams and abandoned past `maxBytes`; one deadline covers all.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, request, type Dispatcher } from 'undici';
import { GatewayError, isGatewayError } from '../errors.js';
import type { FetchedImage } from '../providers/types.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
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

export type ImageFetcher = (url: string) => Promise<FetchedImage>;

type AddressClass = 'loopback' | 'private' | 'link-local' | 'metadata' | 'cgnat' | 'unspecified' | 'multicast' | 'reserved';

const metadataHostnames = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export function createImageFetcher(options: ImageFetcherOptions): ImageFetcher {
  return async (url) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    try {
      return await fetchFollowingRedirects(url, options, controller.signal);
    } catch (err) {
      throw toImageFetchError(err, controller.signal.aborted, options.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  };
}

async function fetchFollowingRedirects(url: string, options: ImageFetcherOptions, signal: AbortSignal): Promise<FetchedImage> {
  const maxRedirects = options.maxRedirects ?? 3;
  let current = parseImageUrl(url);
  for (let hop = 0; ; hop++) {
    const address = await resolveAllowedAddress(current, options);
    const agent = new Agent({ connect: { lookup: pinnedLookup(address), timeout: options.timeoutMs } });
    try {
      const response = await request(current, {
        method: 'GET',
        dispatcher: agent,
        signal,
        headers: { accept: 'image/*', 'user-agent': 'TokenHub-ImageFetcher' },
      });
      if (!redirectStatuses.has(response.statusCode)) return await readImage(response, options);
      await discardBody(response.body);
      if (hop >= maxRedirects) throw refuse(`The image URL redirected more than ${maxRedirects} times.`);
      const location = headerValue(response.headers.location);
      if (location === undefined) throw refuse('The image URL redirected without a Location header.');
      current = parseImageUrl(new URL(location, current).toString());
    } finally {
      await agent.destroy();
    }
  }
}

function parseImageUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw refuse('The image URL is not a valid URL.', err);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw refuse('Image URLs must use http or https.');
  return parsed;
}

async function resolveAllowedAddress(url: URL, options: ImageFetcherOptions): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (metadataHostnames.has(host)) throw refuse('The image URL points at a cloud metadata service.');
  const family = isIP(host);
  const addresses = family !== 0 ? [{ address: host, family: family as 4 | 6 }] : await resolveHost(host, options);
  if (addresses.length === 0) throw refuse('The image host did not resolve.');
  // Every address must pass: a host that also resolves inward could be reached on a retry.
  for (const { address } of addresses) {
    const blocked = classifyAddress(address);
    if (blocked !== undefined && !(options.allowPrivateAddresses === true && (blocked === 'loopback' || blocked === 'private'))) {
      throw refuse(`The image URL resolves to a ${blocked} address, which is not allowed.`);
    }
  }
  return addresses[0] as ResolvedAddress;
}

async function resolveHost(host: string, options: ImageFetcherOptions): Promise<ResolvedAddress[]> {
  if (options.lookup !== undefined) return options.lookup(host);
  try {
    const found = await dnsLookup(host, { all: true, verbatim: true });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } catch (err) {
    throw refuse('The image host did not resolve.', err);
  }
}

/** Answers the socket's DNS question with the address already checked, whatever the resolver says now. */
function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all === true) (callback as (err: null, addresses: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
}

async function readImage(response: Dispatcher.ResponseData, options: ImageFetcherOptions): Promise<FetchedImage> {
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
  const tooLarge = `The image is larger than ${options.maxBytes} bytes.`;
  if (Number(headerValue(response.headers['content-length']) ?? 0) > options.maxBytes) {
    await discardBody(body);
    throw refuse(tooLarge);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > options.maxBytes) break;
    chunks.push(chunk as Buffer);
  }
  if (total > options.maxBytes) {
    await discardBody(body);
    throw refuse(tooLarge);
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

/** The internal range an IP address falls in, or undefined for a public address. */
export function classifyAddress(address: string): AddressClass | undefined {
  const v4 = parseIPv4(address);
  if (v4 !== undefined) return classifyIPv4(v4);
  const v6 = parseIPv6(address);
  return v6 === undefined ? 'reserved' : classifyIPv6(v6);
}

const ipv4Ranges: ReadonlyArray<[string, number, AddressClass]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.169.254', 32, 'metadata'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function classifyIPv4(ip: number): AddressClass | undefined {
  for (const [base, bits, kind] of ipv4Ranges) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if (((ip & mask) >>> 0) === ((parseIPv4(base) as number) & mask) >>> 0) return kind;
  }
  return undefined;
}

function parseIPv4(address: string): number | undefined {
  if (isIP(address) !== 4) return undefined;
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** Eight 16-bit groups, or undefined when not IPv6. Zone ids (`%eth0`) are ignored. */
function parseIPv6(address: string): number[] | undefined {
  const plain = address.split('%')[0] ?? '';
  if (isIP(plain) !== 6) return undefined;
  let text = plain;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    const v4 = parseIPv4(dotted[1]) as number;
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...(tail === undefined ? [] : zeros), ...tailGroups].map((g) => parseInt(g, 16));
}

function classifyIPv6(g: number[]): AddressClass | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = (hi: number, lo: number): AddressClass | undefined => classifyIPv4(((hi << 16) >>> 0) + lo);
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (upperZero && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified';
  if (upperZero && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback';
  if (upperZero && (g5 === 0xffff || g5 === 0)) return embedded(g6, g7) ?? (g5 === 0 ? 'reserved' : undefined);
  if (g0 === 0x64 && g1 === 0xff9b) return embedded(g6, g7) ?? (g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 ? undefined : 'reserved');
  if (g0 === 0x2002) return embedded(g1, g2);
  if (g0 === 0xfd00 && g1 === 0x0ec2 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 0x254) return 'metadata';
  if ((g0 & 0xfe00) === 0xfc00) return 'private';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'reserved';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if (g0 === 0x2001 && (g1 === 0x0db8 || g1 === 0)) return 'reserved';
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved';
  return undefined;
}
