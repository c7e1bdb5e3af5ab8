/**
 * What each Seedream generation accepts, keyed by upstream model name. Names come with or without the
 * `doubao-` prefix (Volcengine vs BytePlus) and a date suffix, so rows match on the version stem. Inference
 * endpoint ids (`ep-…`) hide the model and get the conservative default.
 */

export interface SeedreamTraits {
  /** `n > 1` maps to `sequential_image_generation: "auto"`; without it n > 1 is rejected. */
  sequential: boolean;
  /** Reference images the model takes in `image`; 0 means text-to-image only. */
  maxReferenceImages: number;
  /** Sizes given as a resolution token rather than WxH. */
  sizeTokens: readonly string[];
  /** Pixel-count range for a WxH size. */
  minPixels: number;
  maxPixels: number;
}

/** Inputs plus generated images may not exceed this in one sequential request. */
export const seedreamMaxImagesPerRequest = 15;

const rows: ReadonlyArray<readonly [RegExp, SeedreamTraits]> = [
  [/seedream-5-0/, { sequential: true, maxReferenceImages: 10, sizeTokens: ['2K', '4K'], minPixels: 3_686_400, maxPixels: 16_777_216 }],
  [/seedream-4-5/, { sequential: true, maxReferenceImages: 14, sizeTokens: ['2K', '4K'], minPixels: 3_686_400, maxPixels: 16_777_216 }],
  [/seedream-4-0/, { sequential: true, maxReferenceImages: 14, sizeTokens: ['1K', '2K', '4K'], minPixels: 921_600, maxPixels: 16_777_216 }],
  [/seedream-3-0-t2i/, { sequential: false, maxReferenceImages: 0, sizeTokens: [], minPixels: 262_144, maxPixels: 4_194_304 }],
  [/seededit-3-0-i2i/, { sequential: false, maxReferenceImages: 1, sizeTokens: [], minPixels: 262_144, maxPixels: 4_194_304 }],
];

const unknownModel: SeedreamTraits = {
  sequential: false,
  maxReferenceImages: 14,
  sizeTokens: ['1K', '2K', '4K'],
  minPixels: 0,
  maxPixels: Number.MAX_SAFE_INTEGER,
};

export function getSeedreamTraits(upstreamModel: string): SeedreamTraits {
  return rows.find(([pattern]) => pattern.test(upstreamModel))?.[1] ?? unknownModel;
}
