/**
 * The process: read the config, start the gateway, print the first-start credentials once, listen, and close
 * cleanly on SIGINT/SIGTERM. The only module that touches process-wide state.
 */
import { loadConfig } from './config.js';
import { createGateway } from './services.js';
import { startDemo } from './demo.js';
import { firstStartNotice, saveFirstStartCredentials } from './accounts/first-start-notice.js';

async function main(): Promise<void> {
  let config = loadConfig(process.env);
  let closeDemo: (() => Promise<void>) | undefined;
  if (config.demo) {
    const demo = await startDemo(config);
    config = demo.config;
    closeDemo = () => demo.upstreams.close();
  }
  const gateway = await createGateway(config, { allowPrivateImageUrls: config.demo });
  const { app } = gateway;

  if (gateway.firstStart) {
    // Once, on the first start of an empty store; never logged. The secrets reach stdout only at a terminal.
    const creditUsd = config.billing.adminInitialCreditUsd;
    const file = saveFirstStartCredentials(config.dataDir, gateway.firstStart, creditUsd);
    process.stdout.write(firstStartNotice(gateway.firstStart, file, { creditUsd, showSecrets: process.stdout.isTTY === true }));
  }
  await app.listen({ port: config.port, host: config.host });
  const served = gateway.catalog.list().filter((m) => gateway.channels.isServed(m.id)).length;
  app.log.info({ host: config.host, port: config.port, demo: config.demo, modelsServed: served }, `TokenHub listening on http://localhost:${config.port}/api/v1`);
  if (config.demo && !isLoopback(config.host)) {
    app.log.warn({ host: config.host }, 'Demo mode lets requests reach private addresses, and HOST makes it listen beyond this machine');
  }
  if (served === 0) app.log.warn('No upstream provider is configured: set e.g. DEEPSEEK_API_KEY, or start with TOKENHUB_DEMO=1');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, drainTimeoutMs: config.drainTimeoutMs }, 'shutting down');
    await gateway.drain(config.drainTimeoutMs);
    await closeDemo?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
