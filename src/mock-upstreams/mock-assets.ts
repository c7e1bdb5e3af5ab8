/**
 * Placeholder media for the image and video mocks: result URLs point back at the mock itself
 * (`<origin>/<provider>/mock-assets/<file>`) so a demo dashboard can load them without the internet.
 */
import type { ServerResponse } from 'node:http';
import type { MockRequest } from './types.js';

/** A 1×1 transparent PNG. */
export const mockPngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** An MP4 `ftyp` box: enough for content sniffing, not a playable video. */
const mockMp4 = Buffer.from('000000186674797069736f6d0000020069736f6d6d703431', 'hex');

/** Absolute URL of a mock asset, built from the request's Host and the prefix the provider is mounted under. */
export function mockAssetUrl(req: MockRequest, file: string): string {
  const fullPath = (req.raw.url ?? req.pathname).split('?')[0] ?? '';
  const prefix = fullPath.endsWith(req.pathname) ? fullPath.slice(0, fullPath.length - req.pathname.length) : '';
  return `http://${req.headers.host ?? '127.0.0.1'}${prefix}/mock-assets/${encodeURIComponent(file)}`;
}

/** Serves `GET /mock-assets/<name>.png|.mp4`; false for any other path. */
export function serveMockAsset(req: MockRequest, res: ServerResponse): boolean {
  const match = /^\/mock-assets\/[^/]+\.(png|mp4)$/.exec(req.pathname);
  if (req.method !== 'GET' || match === null) return false;
  const png = match[1] === 'png';
  const body = png ? Buffer.from(mockPngBase64, 'base64') : mockMp4;
  res.writeHead(200, { 'content-type': png ? 'image/png' : 'video/mp4', 'content-length': String(body.length) });
  res.end(body);
  return true;
}
