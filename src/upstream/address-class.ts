/**
 * The one classification of IP addresses for every outbound fetch made on someone else's behalf (image URLs,
 * callback URLs, upstream video URLs). Built on ipaddr.js's range tables; an IPv6 address that carries an
 * IPv4 address (mapped ::ffff:0:0/96, translated ::ffff:0:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96,
 * 6to4 2002::/16) is judged by the IPv4 address it reaches, so no spelling of an internal address passes.
 * Only ordinary unicast passes: every special range ipaddr.js knows is refused, whether named here or not.
 */
import ipaddr from 'ipaddr.js';

export type AddressClass = 'loopback' | 'private' | 'link-local' | 'metadata' | 'cgnat' | 'unspecified' | 'multicast' | 'reserved';

/** Cloud metadata endpoints reachable at an address that is otherwise merely link-local or private. */
const metadataAddresses = new Set(['169.254.169.254', 'fd00:ec2::254']);

const ipv4Classes: Readonly<Record<string, AddressClass>> = {
  unspecified: 'unspecified',
  broadcast: 'reserved',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'cgnat',
  private: 'private',
};

const ipv6Classes: Readonly<Record<string, AddressClass>> = {
  unspecified: 'unspecified',
  linkLocal: 'link-local',
  multicast: 'multicast',
  loopback: 'loopback',
  uniqueLocal: 'private',
};

/** The internal range an IP address falls in, or undefined for a public unicast address. */
export function classifyAddress(text: string): AddressClass | undefined {
  const address = parseAddress(text);
  if (address === undefined) return 'reserved';
  if (address.kind() === 'ipv4') return classifyIPv4(address as ipaddr.IPv4);
  return classifyIPv6(address as ipaddr.IPv6);
}

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const plain = text.replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  if (ipaddr.IPv4.isValidFourPartDecimal(plain)) return ipaddr.IPv4.parse(plain);
  const hexOnly = dottedTailToHex(plain);
  return hexOnly !== undefined && ipaddr.IPv6.isValid(hexOnly) ? ipaddr.IPv6.parse(hexOnly) : undefined;
}

/**
 * Rewrites an IPv6 address's dotted IPv4 tail as two hex groups. ipaddr.js reads "::a.b.c.d" as the mapped
 * "::ffff:a.b.c.d", which is a different address; the hex spelling has one meaning.
 */
function dottedTailToHex(text: string): string | undefined {
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted === null) return text;
  const [prefix = '', tail = ''] = dotted.slice(1);
  if (!ipaddr.IPv4.isValidFourPartDecimal(tail)) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(tail).octets;
  return `${prefix}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function classifyIPv4(address: ipaddr.IPv4): AddressClass | undefined {
  if (metadataAddresses.has(address.toString())) return 'metadata';
  const range = address.range();
  return range === 'unicast' ? undefined : (ipv4Classes[range] ?? 'reserved');
}

function classifyIPv6(address: ipaddr.IPv6): AddressClass | undefined {
  if (metadataAddresses.has(address.toString())) return 'metadata';
  const embedded = embeddedIPv4(address);
  if (embedded !== undefined) return classifyIPv4(embedded.ipv4) ?? (embedded.publicWhenIPv4Is ? undefined : 'reserved');
  const range = address.range();
  return range === 'unicast' ? undefined : (ipv6Classes[range] ?? 'reserved');
}

interface EmbeddedIPv4 {
  ipv4: ipaddr.IPv4;
  /** Whether the IPv6 form of a public IPv4 address is itself a usable public destination. */
  publicWhenIPv4Is: boolean;
}

/** The IPv4 address an IPv6 address leads to, for the forms that carry one. */
function embeddedIPv4(address: ipaddr.IPv6): EmbeddedIPv4 | undefined {
  const p = address.parts;
  const fromGroups = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const last32 = fromGroups(p[6] ?? 0, p[7] ?? 0);
  const upperZero = p.slice(0, 4).every((g) => g === 0);
  // ::ffff:a.b.c.d (mapped): the kernel connects to a.b.c.d itself.
  if (upperZero && p[4] === 0 && p[5] === 0xffff) return { ipv4: last32, publicWhenIPv4Is: true };
  // ::ffff:0:a.b.c.d (SIIT translated): routed to a.b.c.d by a translator; never a destination of its own.
  if (upperZero && p[4] === 0xffff && p[5] === 0) return { ipv4: last32, publicWhenIPv4Is: false };
  // ::a.b.c.d (deprecated IPv4-compatible); :: and ::1 are classified as themselves.
  if (upperZero && p[4] === 0 && p[5] === 0 && !(p[6] === 0 && (p[7] === 0 || p[7] === 1))) return { ipv4: last32, publicWhenIPv4Is: false };
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix) reaches a.b.c.d; the local-use 64:ff9b:1::/48 is never public.
  if (address.match(ipaddr.IPv6.parse('64:ff9b::'), 96)) return { ipv4: last32, publicWhenIPv4Is: true };
  if (address.match(ipaddr.IPv6.parse('64:ff9b:1::'), 48)) return { ipv4: last32, publicWhenIPv4Is: false };
  // 2002:aabb:ccdd::/48 (6to4) is relayed to aa.bb.cc.dd.
  if (p[0] === 0x2002) return { ipv4: fromGroups(p[1] ?? 0, p[2] ?? 0), publicWhenIPv4Is: true };
  return undefined;
}
