/**
 * The SSRF guard for URLs the gateway calls on someone else's behalf (a client's callback_url, an upstream's
 * video URL): resolve the host once, refuse it when any address is internal (the image fetcher's
 * classification), and hand back the checked address so the connection can be pinned to it.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { GatewayError } from '../errors.js';
import { classifyAddress, type ResolvedAddress } from '../gateway/fetch-image.js';

export interface AddressGuardOptions {
  /** Tests and demo mode: loopback and private addresses pass; metadata and the other ranges never do. */
  allowPrivateAddresses: boolean;
  /** All addresses of a host; node's resolver by default. */
  lookup?: ((hostname: string) => Promise<ResolvedAddress[]>) | undefined;
}

export interface CheckedUrl {
  url: URL;
  address: ResolvedAddress;
}

const metadataHostnames = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

/** Throws GatewayError invalid_request naming `param` when the URL may not be called. */
export async function checkPublicUrl(text: string, param: string, options: AddressGuardOptions): Promise<CheckedUrl> {
  const refuse = (message: string, cause?: unknown) => new GatewayError('invalid_request', { param, message, cause });
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw refuse(`${param} is not a valid URL.`, error);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(`${param} must use http or https.`);
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (metadataHostnames.has(host)) throw refuse(`${param} points at a cloud metadata service.`);
  const family = isIP(host);
  const addresses = family !== 0 ? [{ address: host, family: family as 4 | 6 }] : await resolveHost(host, options, refuse);
  if (addresses.length === 0) throw refuse(`The host of ${param} did not resolve.`);
  for (const { address } of addresses) {
    const blocked = classifyAddress(address);
    if (blocked === undefined) continue;
    if (options.allowPrivateAddresses && (blocked === 'loopback' || blocked === 'private')) continue;
    throw refuse(`${param} resolves to a ${blocked} address, which is not allowed.`);
  }
  return { url, address: addresses[0] as ResolvedAddress };
}

async function resolveHost(
  host: string,
  options: AddressGuardOptions,
  refuse: (message: string, cause?: unknown) => GatewayError,
): Promise<ResolvedAddress[]> {
  if (options.lookup !== undefined) return options.lookup(host);
  try {
    const found = await dnsLookup(host, { all: true, verbatim: true });
    return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
  } catch (error) {
    throw refuse('The host did not resolve.', error);
  }
}

/** Answers the socket's DNS question with the address already checked (no second, steerable resolution). */
export function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all === true) (callback as (err: null, addresses: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
}
