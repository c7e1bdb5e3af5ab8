/**
 * Demo mode: start the provider simulators on a local port and hand the gateway one upstream per provider
 * pointed at them, so the whole API can be tried with no provider account. Kling gets the simulator's own
 * access and secret keys, since its simulator verifies the JWT it receives.
 */
import { providers } from './catalog/providers.js';
import type { Config } from './config.js';
import { klingMockCredentials, startDemoUpstreams, type DemoUpstreams } from './mock-upstreams/index.js';

export async function startDemo(config: Config): Promise<{ config: Config; upstreams: DemoUpstreams }> {
  const upstreams = await startDemoUpstreams();
  const seeds = providers.map((p) =>
    p.credentials === 'access-secret'
      ? { provider: p.id, apiKey: klingMockCredentials.accessKey, secretKey: klingMockCredentials.secretKey, baseUrl: upstreams.baseUrlFor(p.id) }
      : { provider: p.id, apiKey: `demo-${p.id}-key`, baseUrl: upstreams.baseUrlFor(p.id) },
  );
  return { config: { ...config, upstreams: seeds }, upstreams };
}
