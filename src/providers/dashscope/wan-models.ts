/**
 * Wan video models on DashScope as data. The task kind follows from the model (t2v, i2v, kf2v = first and
 * last frame), and text-to-video takes an exact `size` ("W*H") where image-to-video takes a tier ("720P").
 */

export type WanTaskKind = 't2v' | 'i2v' | 'kf2v';

export const wanEndpoints: Readonly<Record<WanTaskKind, string>> = {
  t2v: '/api/v1/services/aigc/video-generation/video-synthesis',
  i2v: '/api/v1/services/aigc/video-generation/video-synthesis',
  kf2v: '/api/v1/services/aigc/image2video/video-synthesis',
};

const kindRows: ReadonlyArray<readonly [RegExp, WanTaskKind]> = [
  [/-kf2v/, 'kf2v'],
  [/-i2v/, 'i2v'],
  [/-t2v/, 't2v'],
];

/** Unknown names are treated as text-to-video, the one kind that needs no input image. */
export function getWanTaskKind(upstreamModel: string): WanTaskKind {
  return kindRows.find(([pattern]) => pattern.test(upstreamModel))?.[1] ?? 't2v';
}

/** Text-to-video output sizes by resolution tier and aspect ratio (Wan 2.x documentation). */
export const wanSizes: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '480p': { '16:9': '832*480', '9:16': '480*832', '1:1': '624*624' },
  '720p': { '16:9': '1280*720', '9:16': '720*1280', '1:1': '960*960', '4:3': '1088*832', '3:4': '832*1088' },
  '1080p': { '16:9': '1920*1080', '9:16': '1080*1920', '1:1': '1440*1440', '4:3': '1632*1248', '3:4': '1248*1632' },
};

export const wanDefaultAspectRatio = '16:9';

/** The tier a "W*H" size belongs to, by table lookup: a square 624*624 is a 480p size. */
export function getWanResolutionForSize(size: string): string | undefined {
  const normalized = size.replace(/[xX]/, '*');
  return Object.entries(wanSizes).find(([, ratios]) => Object.values(ratios).includes(normalized))?.[0];
}

export const wanMaxSeed = 2_147_483_647;
