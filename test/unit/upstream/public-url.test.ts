import { describe, expect, it } from 'vitest';
import { checkPublicUrl } from '../../../src/upstream/public-url.js';

const lookup = (table: Record<string, string[]>) => async (host: string) =>
  (table[host] ?? []).map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));

async function refusal(url: string, allowPrivateAddresses: boolean, table: Record<string, string[]> = {}): Promise<{ message: string }> {
  const checked = await checkPublicUrl(url, 'callback_url', { allowPrivateAddresses, lookup: lookup(table) });
  if (checked.ok) throw new Error(`${url} was let through`);
  expect(checked.reason).toContain('callback_url');
  return { message: checked.reason };
}

describe('the outbound URL guard', () => {
  it('accepts a public host and returns the address to pin the connection to', async () => {
    const checked = await checkPublicUrl('https://hooks.example.com/video', 'callback_url', { allowPrivateAddresses: false, lookup: lookup({ 'hooks.example.com': ['93.184.216.34'] }) });
    expect(checked).toMatchObject({ ok: true, address: { address: '93.184.216.34', family: 4 } });
    expect(checked.ok && checked.url.pathname).toBe('/video');
  });

  it.each([
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['http://[::1]/hook', 'loopback'],
    ['http://10.1.2.3/hook', 'private'],
    ['http://192.168.0.10/hook', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'metadata'],
    ['http://[fd00:ec2::254]/latest', 'metadata'],
    ['http://100.64.0.1/hook', 'cgnat'],
    ['http://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['http://[::ffff:0:a9fe:a9fe]/hook', 'metadata'],
    ['http://[::ffff:0:7f00:1]/hook', 'loopback'],
  ])('refuses %s (%s)', async (url, kind) => {
    expect((await refusal(url, false)).message).toContain(kind);
  });

  it('refuses a host if any of its addresses is internal', async () => {
    const error = await refusal('https://rebind.example.com/', false, { 'rebind.example.com': ['93.184.216.34', '10.0.0.5'] });
    expect(error.message).toContain('private');
  });

  it('lets loopback and private addresses through only when allowed, never metadata', async () => {
    await expect(checkPublicUrl('http://127.0.0.1:9/hook', 'callback_url', { allowPrivateAddresses: true })).resolves.toMatchObject({ ok: true, address: { address: '127.0.0.1' } });
    await expect(checkPublicUrl('http://10.0.0.1/hook', 'callback_url', { allowPrivateAddresses: true })).resolves.toMatchObject({ ok: true });
    await refusal('http://169.254.169.254/', true);
    await refusal('http://metadata.google.internal/', true);
  });

  it('refuses other schemes, unparsable URLs and hosts that do not resolve', async () => {
    expect((await refusal('ftp://example.com/hook', false)).message).toContain('http or https');
    await refusal('not a url', false);
    expect((await refusal('https://nowhere.example/', false)).message).toContain('did not resolve');
  });
});
