/**
 * Admin view of the catalog: every model with its override, and runtime changes (prices, enabled, text…)
 * that take effect on this instance at once and on others at their next catalog refresh.
 *   GET    /api/admin/models
 *   GET    /api/admin/models/{vendor}/{model}
 *   PATCH  /api/admin/models/{vendor}/{model}            body: a JSON merge patch (catalog/model-patch.ts)
 *   DELETE /api/admin/models/{vendor}/{model}/override   back to the data-file entry
 */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import type { Catalog } from '../../catalog/catalog.js';
import type { ModelPatch } from '../../catalog/model-patch.js';
import type { CatalogModel } from '../../catalog/schema.js';
import { GatewayError } from '../../shared/errors.js';

export interface AdminModelRouteDeps {
  catalog: Catalog;
  requireAdmin: preHandlerHookHandler;
}

export type AdminModelItem = CatalogModel & {
  /** The stored patch in effect, or null when the model is exactly as in the data file. */
  override: ModelPatch | null;
};

const overrideSuffix = '/override';

export function registerAdminModelRoutes(app: FastifyInstance, deps: AdminModelRouteDeps): void {
  const { catalog } = deps;
  const toItem = (model: CatalogModel): AdminModelItem => ({ ...model, override: catalog.overrideOf(model.id) ?? null });

  app.get('/api/admin/models', { preHandler: deps.requireAdmin }, async () => ({
    object: 'list' as const,
    data: catalog.list().map(toItem),
  }));

  app.get<{ Params: { '*': string } }>('/api/admin/models/*', { preHandler: deps.requireAdmin }, async (request) => {
    const id = request.params['*'];
    const model = catalog.get(id);
    if (!model) throw new GatewayError('model_not_found', { param: 'model', message: `The model "${id}" is not in the catalog.` });
    return toItem(model);
  });

  app.patch<{ Params: { '*': string }; Body: unknown }>(
    '/api/admin/models/*',
    { preHandler: deps.requireAdmin },
    async (request) => toItem(await catalog.patch(request.params['*'], request.body)),
  );

  // The router allows a wildcard only at the end, so `/override` is matched here rather than in the pattern.
  app.delete<{ Params: { '*': string } }>('/api/admin/models/*', { preHandler: deps.requireAdmin }, async (request) => {
    const path = request.params['*'];
    if (!path.endsWith(overrideSuffix)) {
      throw new GatewayError('not_found', { message: 'Use DELETE /api/admin/models/{vendor}/{model}/override to drop an override.' });
    }
    return toItem(await catalog.resetPatch(path.slice(0, -overrideSuffix.length)));
  });
}
