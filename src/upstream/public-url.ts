/**
 * The SSRF guard for every URL the gateway fetches or calls on someone else's behalf (a client's image URL
 * or callback_url, an upstream's video URL): resolve the host once, refuse it when any address is internal
 * (address-class.ts), and hand back the checked address so the connection can be pinned to it: the socket's
 * DNS lookup answers with that address, so a second resolution cannot be steered elsewhere (DNS rebinding).
 * A refusal is a value; each caller words it as its own error.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from './address-class.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface AddressGuardOptions {
  /**
   * Tests and demo mode only: loopback and private (RFC 1918, fc00::/7) addresses pass so a local server can
   * stand in for the internet. Metadata, link-local and the other internal ranges are refused regardless.
   */
  allowPrivateAddresses: boolean;
  /** All addresses of a host; node's resolver by default. Tests inject a fake. */
  lookup?: ((hostname: string) => Promise<ResolvedAddress[]>) | undefined;
}

export type PublicUrlCheck = { ok: true; url: URL; address: ResolvedAddress } | { ok: false; reason: string; cause?: unknown };

const metadataHostnames = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

/** `subject` names the URL in refusals, e.g. "The image URL" or "callback_url". */
export async function checkPublicUrl(text: string, subject: string, options: AddressGuardOptions): Promise<PublicUrlCheck> {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    return { ok: false, reason: `${subject} is not a valid URL.`, cause };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `${subject} must use http or https.` };
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (metadataHostnames.has(host)) return { ok: false, reason: `${subject} points at a cloud metadata service.` };
  const family = isIP(host);
  let addresses: ResolvedAddress[];
  try {
    addresses = family !== 0 ? [{ address: host, family: family as 4 | 6 }] : await resolveHost(host, options);
  } catch (cause) {
    return { ok: false, reason: `The host of ${subject} did not resolve.`, cause };
  }
  if (addresses.length === 0) return { ok: false, reason: `The host of ${subject} did not resolve.` };
  // Every address must pass: a host that also resolves inward could be reached on a retry.
  for (const { address } of addresses) {
    const blocked = classifyAddress(address);
    if (blocked === undefined) continue;
    if (options.allowPrivateAddresses && (blocked === 'loopback' || blocked === 'private')) continue;
    return { ok: false, reason: `${subject} resolves to a ${blocked} address, which is not allowed.` };
  }
  return { ok: true, url, address: addresses[0] as ResolvedAddress };
}

async function resolveHost(host: string, options: AddressGuardOptions): Promise<ResolvedAddress[]> {
  if (options.lookup !== undefined) return options.lookup(host);
  const found = await dnsLookup(host, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
}

/** Answers the socket's DNS question with the address already checked, whatever the resolver says now. */
export function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all === true) (callback as (err: null, addresses: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
}
