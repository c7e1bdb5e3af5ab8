import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/shared/errors.js';
import type { ImageFetchCall, ImageFetcher } from '../../../src/upstream/fetch-image.js';
import { createRequestImages } from '../../../src/gateway/request-images.js';

/** A fetcher answering each URL with `size` bytes, honouring the budget, and recording the calls it got. */
function fakeFetcher(size: (url: string) => number) {
  const calls: Array<{ url: string; call: ImageFetchCall | undefined }> = [];
  let running = 0;
  let overlapped = false;
  const fetchImage: ImageFetcher = async (url, call) => {
    calls.push({ url, call });
    running++;
    if (running > 1) overlapped = true;
    await Promise.resolve();
    running--;
    const bytes = size(url);
    if (call?.budget !== undefined && bytes > call.budget.maxBytes) throw new GatewayError('image_fetch_failed', { message: call.budget.refusal });
    return { mimeType: 'image/png', data: Buffer.alloc(bytes).toString('base64') };
  };
  return { fetchImage, calls, overlapped: () => overlapped };
}

const allowance = { maxPerRequest: 3, maxBytesPerRequest: 100, timeoutMs: 60_000 };

describe("one request's image allowance", () => {
  it('fetches a URL once however often it is asked for, and counts it once', async () => {
    const fake = fakeFetcher(() => 10);
    const images = createRequestImages(fake.fetchImage, allowance, new AbortController().signal);
    await Promise.all([images('a'), images('a'), images('b')]);
    await images('a');
    await images('c');
    expect(fake.calls.map((c) => c.url)).toEqual(['a', 'b', 'c']);
    await expect(images('d')).rejects.toMatchObject({ code: 'image_fetch_failed', message: 'A request may carry at most 3 image URLs.' });
  });

  it('runs fetches one at a time and gives each what is left of the byte allowance', async () => {
    const fake = fakeFetcher((url) => (url === 'big' ? 70 : 20));
    const images = createRequestImages(fake.fetchImage, allowance, new AbortController().signal);
    const results = await Promise.allSettled([images('big'), images('small'), images('small2')]);
    expect(fake.overlapped()).toBe(false);
    expect(fake.calls.map((c) => c.call?.budget?.maxBytes)).toEqual([100, 30, 10]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason.message).toContain('at most 100 bytes');
  });

  it("passes the request's signal on, so a client that leaves stops the fetch", async () => {
    const fake = fakeFetcher(() => 1);
    const request = new AbortController();
    const images = createRequestImages(fake.fetchImage, allowance, request.signal);
    await images('a');
    const signal = fake.calls[0]?.call?.signal;
    expect(signal?.aborted).toBe(false);
    request.abort();
    expect(signal?.aborted).toBe(true);
  });
});
