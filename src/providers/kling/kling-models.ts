/**
 * Kling facts as data. `mode` is Kling's only resolution control (std renders 720p, pro 1080p), so the two
 * public fields are read as one choice. cfg_scale exists only on the v1 generation.
 */

export const klingModeResolutions: Readonly<Record<string, string>> = { std: '720p', pro: '1080p' };

export function getKlingModeForResolution(resolution: string): string | undefined {
  return Object.entries(klingModeResolutions).find(([, value]) => value === resolution.toLowerCase())?.[0];
}

export interface KlingTraits {
  cfgScale: boolean;
}

const rows: ReadonlyArray<readonly [RegExp, KlingTraits]> = [[/^kling-v1(-|$)/, { cfgScale: true }]];

const klingDefault: KlingTraits = { cfgScale: false };

export function getKlingTraits(upstreamModel: string): KlingTraits {
  return rows.find(([pattern]) => pattern.test(upstreamModel))?.[1] ?? klingDefault;
}
