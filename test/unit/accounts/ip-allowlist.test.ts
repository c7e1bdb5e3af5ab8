import { describe, expect, it } from 'vitest';
import { checkIpAllowlist, compileIpAllowlist, normalizeClientIp } from '../../../src/accounts/ip-allowlist.js';

describe('IP allowlists', () => {
  const list = compileIpAllowlist(['10.0.0.0/8', '192.168.1.5', '2001:db8::/32', '::1']);

  it.each([
    ['10.1.2.3', true],
    ['::ffff:10.1.2.3', true],
    ['11.0.0.1', false],
    ['192.168.1.5', true],
    ['192.168.1.6', false],
    ['2001:db8:abcd::1', true],
    ['2001:0db8:0000::0001', true],
    ['2001:db9::1', false],
    ['::1', true],
    ['fe80::1%eth0', false],
    ['not an ip', false],
    ['', false],
  ])('%s allowed: %s', (ip, allowed) => {
    expect(list.allows(ip)).toBe(allowed);
  });

  it('refuses a missing client address when a list is set', () => {
    expect(list.allows(undefined)).toBe(false);
  });

  it('unwraps IPv4-mapped IPv6 and drops zone ids', () => {
    expect(normalizeClientIp('::FFFF:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeClientIp('fe80::1%lo0')).toBe('fe80::1');
    expect(normalizeClientIp('2001:db8::1')).toBe('2001:db8::1');
  });

  it('names the first bad entry and rejects an empty list', () => {
    expect(() => checkIpAllowlist(['10.0.0.1', '10.0.0.0/33'])).toThrow(expect.objectContaining({ param: 'allowed_ips[1]' }));
    expect(() => checkIpAllowlist(['::/129'])).toThrow(expect.objectContaining({ param: 'allowed_ips[0]' }));
    expect(() => checkIpAllowlist(['example.com'])).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => checkIpAllowlist(['1.2.3.4/8/1'])).toThrow(expect.objectContaining({ param: 'allowed_ips[0]' }));
    expect(() => checkIpAllowlist([])).toThrow(expect.objectContaining({ param: 'allowed_ips' }));
    expect(checkIpAllowlist([' 10.0.0.0/8 ', '::1'])).toEqual(['10.0.0.0/8', '::1']);
  });
});
