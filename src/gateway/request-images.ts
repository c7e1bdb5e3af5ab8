/**
 * The image URLs of one chat request, fetched for upstreams that cannot fetch them (Gemini). A request has an
 * allowance: how many distinct URLs, how many bytes in all, and how long all its fetches may take together,
 * counted from the first. Each URL is fetched once per request, so a failover to another channel reuses what
 * the first attempt fetched, and fetches run one at a time so the byte allowance is exact. The request's
 * signal (the client leaving) stops a fetch in flight.
 */
import { GatewayError, isGatewayError } from '../shared/errors.js';
import type { FetchedImage } from '../providers/types.js';
import type { ImageFetcher } from '../upstream/fetch-image.js';

export interface ImageAllowance {
  maxPerRequest: number;
  maxBytesPerRequest: number;
  timeoutMs: number;
}

export type RequestImageFetcher = (url: string) => Promise<FetchedImage>;

export function createRequestImages(fetchImage: ImageFetcher, allowance: ImageAllowance, requestSignal: AbortSignal): RequestImageFetcher {
  const fetched = new Map<string, Promise<FetchedImage>>();
  let bytesUsed = 0;
  let deadline: AbortSignal | undefined;
  let previous: Promise<unknown> = Promise.resolve();

  async function fetchWithinAllowance(url: string): Promise<FetchedImage> {
    await previous.catch(() => undefined);
    deadline ??= AbortSignal.timeout(allowance.timeoutMs);
    const left = allowance.maxBytesPerRequest - bytesUsed;
    const budget = { maxBytes: left, refusal: `The images of one request may total at most ${allowance.maxBytesPerRequest} bytes; ${left} bytes were left for this one.` };
    try {
      const image = await fetchImage(url, { signal: AbortSignal.any([requestSignal, deadline]), budget });
      bytesUsed += Buffer.byteLength(image.data, 'base64');
      return image;
    } catch (error) {
      if (deadline.aborted && !requestSignal.aborted) {
        throw new GatewayError('image_fetch_failed', { message: `The image URLs of one request must be fetched within ${allowance.timeoutMs} ms in all.`, cause: error });
      }
      throw isGatewayError(error) ? error : new GatewayError('image_fetch_failed', { cause: error });
    }
  }

  return (url) => {
    const known = fetched.get(url);
    if (known !== undefined) return known;
    if (fetched.size >= allowance.maxPerRequest) {
      return Promise.reject(new GatewayError('image_fetch_failed', { message: `A request may carry at most ${allowance.maxPerRequest} image URLs.` }));
    }
    const pending = fetchWithinAllowance(url);
    fetched.set(url, pending);
    previous = pending;
    return pending;
  };
}
