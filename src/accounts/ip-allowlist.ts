/**
 * API key IP allowlists: single addresses and CIDR ranges, IPv4 and IPv6. Built on node's BlockList, which
 * compares parsed addresses, so `2001:db8::1` and `2001:0db8:0:0::1` are the same entry.
 */
import { BlockList, isIP } from 'node:net';
import { GatewayError } from '../shared/errors.js';

export interface IpAllowlist {
  allows(ip: string | undefined): boolean;
}

const MAPPED_IPV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Dual-stack sockets report IPv4 peers as `::ffff:a.b.c.d`; an IPv4 rule must still match them. */
export function normalizeClientIp(ip: string): string {
  const withoutZone = ip.split('%')[0] ?? ip;
  const mapped = MAPPED_IPV4.exec(withoutZone);
  return mapped?.[1] ?? withoutZone;
}

interface ParsedEntry {
  address: string;
  family: 'ipv4' | 'ipv6';
  prefix: number | undefined;
}

function parseIpEntry(entry: string): ParsedEntry | undefined {
  const [rawAddress, rawPrefix, extra] = entry.trim().split('/');
  if (rawAddress === undefined || extra !== undefined) return undefined;
  const address = normalizeClientIp(rawAddress);
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (rawPrefix === undefined) return { address, family, prefix: undefined };
  const prefix = Number(rawPrefix);
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(rawPrefix) || prefix > max) return undefined;
  return { address, family, prefix };
}

/** Validates entries at key creation; the error names the first bad one. */
export function checkIpAllowlist(entries: readonly string[], param = 'allowed_ips'): string[] {
  if (entries.length === 0) {
    throw new GatewayError('invalid_request', { param, message: `${param} must list at least one address; omit it to allow any.` });
  }
  return entries.map((entry, index) => {
    if (!parseIpEntry(entry)) {
      throw new GatewayError('invalid_request', {
        param: `${param}[${index}]`,
        message: `"${entry}" is not an IP address or CIDR range.`,
      });
    }
    return entry.trim();
  });
}

export function compileIpAllowlist(entries: readonly string[]): IpAllowlist {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseIpEntry(entry);
    if (!parsed) throw new Error(`Stored IP allowlist entry is unreadable: ${entry}`);
    if (parsed.prefix === undefined) list.addAddress(parsed.address, parsed.family);
    else list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return {
    allows(ip) {
      if (!ip) return false;
      const address = normalizeClientIp(ip);
      const version = isIP(address);
      if (version === 0) return false;
      return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
