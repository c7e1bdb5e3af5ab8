/** A bare Fastify app for route tests: the catalog on an in-memory store and an error handler like the app's. */
import Fastify, { type FastifyInstance } from 'fastify';
import { createCatalog, type Catalog } from '../../src/catalog/catalog.js';
import { GatewayError, isGatewayError } from '../../src/shared/errors.js';
import { openStore, type Store } from '../../src/store/db.js';

export interface RouteTestApp {
  app: FastifyInstance;
  catalog: Catalog;
  store: Store;
  close(): Promise<void>;
}

export async function buildRouteTestApp(register: (app: FastifyInstance, catalog: Catalog) => void): Promise<RouteTestApp> {
  const store = await openStore({ sqliteFile: ':memory:' });
  const catalog = createCatalog(store.db);
  await catalog.load();
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    const gatewayError = isGatewayError(error) ? error : new GatewayError('internal_error', { cause: error });
    return reply.status(gatewayError.status).send(gatewayError.toBody());
  });
  register(app, catalog);
  await app.ready();
  return {
    app,
    catalog,
    store,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
