/**
 * The process: read the config, start the gateway, print the first-start credentials once, listen, and close
 * cleanly on SIGINT/SIGTERM. The only module that touches process-wide state.
 */
import { loadConfig } from './config.js';
import { createGateway } from './services.js';
import { startDemo } from './demo.js';

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
    const { email, password, apiKey } = gateway.firstStart;
    // Printed once, on the first start of an empty store; never logged.
    process.stdout.write(
      [
        '',
        '  TokenHub first start — save these now, they are not shown again:',
        `    admin login : ${email}`,
        `    password    : ${password}`,
        `    API key     : ${apiKey}`,
        `    credit      : $${config.billing.adminInitialCreditUsd} on the admin account (TOKENHUB_ADMIN_INITIAL_CREDIT_USD)`,
        '',
      ].join('\n') + '\n',
    );
  }
  await app.listen({ port: config.port, host: config.host });
  const served = gateway.catalog.list().filter((m) => gateway.channels.isServed(m.id)).length;
  app.log.info({ port: config.port, demo: config.demo, modelsServed: served }, `TokenHub listening on http://localhost:${config.port}/api/v1`);
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
