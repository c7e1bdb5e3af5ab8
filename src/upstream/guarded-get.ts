/**
 * The one way the gateway GETs a URL someone else chose (a client's image URL, an upstream's video URL):
 * every hop is checked by the SSRF guard and its connection pinned to the address that was checked, and
 * redirects are followed up to a bound. A refusal (bad URL, internal address, too many redirects) is a
 * value; transport failures and aborts throw. The caller reads the body, then calls release().
 */
import { Agent, request, type Dispatcher } from 'undici';
import { checkPublicUrl, pinnedLookup, type AddressGuardOptions } from './public-url.js';

export interface GuardedGetOptions {
  guard: AddressGuardOptions;
  /** Names the URL in refusals, e.g. "The image URL". */
  subject: string;
  maxRedirects: number;
  signal: AbortSignal;
  connectTimeoutMs?: number;
  headers?: Record<string, string>;
}

export type GuardedGet =
  | { ok: true; response: Dispatcher.ResponseData; url: URL; release(): Promise<void> }
  | { ok: false; reason: string; cause?: unknown };

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export async function guardedGet(url: string, options: GuardedGetOptions): Promise<GuardedGet> {
  let current = url;
  for (let hop = 0; ; hop++) {
    // The resolver cannot be cancelled; the fetch stops waiting for it instead.
    const checked = await untilAborted(checkPublicUrl(current, options.subject, options.guard), options.signal);
    if (!checked.ok) return checked;
    const connect = { lookup: pinnedLookup(checked.address), ...(options.connectTimeoutMs === undefined ? {} : { timeout: options.connectTimeoutMs }) };
    const agent = new Agent({ connect });
    let handedOver = false;
    try {
      const response = await request(checked.url, { method: 'GET', dispatcher: agent, signal: options.signal, ...(options.headers ? { headers: options.headers } : {}) });
      if (!redirectStatuses.has(response.statusCode)) {
        handedOver = true;
        return { ok: true, response, url: checked.url, release: () => agent.destroy() };
      }
      await response.body.dump({ limit: 1 });
      if (hop >= options.maxRedirects) return { ok: false, reason: `${options.subject} redirected more than ${options.maxRedirects} times.` };
      const location = Array.isArray(response.headers.location) ? response.headers.location[0] : response.headers.location;
      if (location === undefined) return { ok: false, reason: `${options.subject} redirected without a Location header.` };
      current = new URL(location, checked.url).toString();
    } finally {
      if (!handedOver) await agent.destroy();
    }
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
