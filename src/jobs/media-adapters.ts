/** Wire family → media adapter, the image and video counterpart of providers/registry.ts. */
import type { CatalogModel } from '../catalog/schema.js';
import { arkImageAdapter } from '../providers/ark/seedream-adapter.js';
import { arkVideoAdapter } from '../providers/ark/seedance-adapter.js';
import { dashscopeVideoAdapter } from '../providers/dashscope/wan-adapter.js';
import { createKlingVideoAdapter } from '../providers/kling/kling-adapter.js';
import type { ImageAdapter, VideoTaskAdapter } from '../providers/task-types.js';

export interface MediaAdapters {
  imageAdapterFor(model: CatalogModel): ImageAdapter | undefined;
  videoAdapterFor(model: CatalogModel): VideoTaskAdapter | undefined;
}

/** One set per gateway: the Kling adapter keeps a JWT cache that is reused across jobs. */
export function createMediaAdapters(): MediaAdapters {
  const images: Partial<Record<CatalogModel['family'], ImageAdapter>> = { 'ark-image': arkImageAdapter };
  const videos: Partial<Record<CatalogModel['family'], VideoTaskAdapter>> = {
    'ark-video': arkVideoAdapter,
    'kling-video': createKlingVideoAdapter(),
    'dashscope-video': dashscopeVideoAdapter,
  };
  return {
    imageAdapterFor: (model) => images[model.family],
    videoAdapterFor: (model) => videos[model.family],
  };
}
