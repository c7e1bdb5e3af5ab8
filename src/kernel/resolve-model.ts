/**
 * The model a call names, checked the same way for every modality: it exists, is enabled, is of the call's
 * modality, has an adapter and a channel serving it, and the caller's key may use it.
 */
import type { AuthContext } from '../accounts/auth-context.js';
import { isModelAllowed } from '../accounts/api-keys.js';
import type { CatalogModel } from '../catalog/schema.js';
import type { ChannelRouter } from '../channels/channel-pick.js';
import { GatewayError } from '../shared/errors.js';

export type Modality = CatalogModel['modality'];

export interface ModelSource {
  catalog: { get(id: string): CatalogModel | undefined };
  router: Pick<ChannelRouter, 'isServed'>;
}

/** What a client is told about a model it cannot use as this modality. */
const notFoundMessage: Record<Modality, (modelId: string) => string> = {
  chat: (id) => `The model '${id}' does not exist or is not available.`,
  image: (id) => `The model '${id}' does not exist or is not an image model.`,
  video: (id) => `The model '${id}' does not exist or is not a video model.`,
};

export function resolveModel<A>(
  source: ModelSource,
  auth: AuthContext,
  modelId: string,
  modality: Modality,
  adapterFor: (model: CatalogModel) => A | undefined,
): { model: CatalogModel; adapter: A } {
  const model = source.catalog.get(modelId);
  const adapter = model === undefined ? undefined : adapterFor(model);
  if (!model || adapter === undefined || !model.enabled || model.modality !== modality || !source.router.isServed(model.id)) {
    throw new GatewayError('model_not_found', { param: 'model', message: (notFoundMessage[modality] ?? notFoundMessage.chat)(modelId) });
  }
  if (!isModelAllowed(auth, model.id)) throw new GatewayError('model_not_allowed', { param: 'model' });
  return { model, adapter };
}
