/** Reading a non-stream upstream body: bounded in size, and a body that stalls is a timeout, not a bad answer. */
import { errors as undiciErrors } from 'undici';
import { GatewayError } from '../shared/errors.js';
import type { UpstreamResponse } from './upstream-client.js';

/**
 * Reads a whole (non-stream) body up to `maxBytes`. A body that goes silent past the idle timeout is a
 * timeout (504 `upstream_timeout`), whatever part of it had arrived; other read failures are left to the caller.
 */
export async function readLimitedText(body: UpstreamResponse['body'], maxBytes: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      if (size + buf.length > maxBytes) {
        parts.push(buf.subarray(0, maxBytes - size));
        body.destroy();
        break;
      }
      parts.push(buf);
      size += buf.length;
    }
  } catch (error) {
    if (error instanceof undiciErrors.BodyTimeoutError) throw new GatewayError('upstream_timeout', { message: 'The upstream stopped sending its answer.', cause: error });
    throw error;
  }
  return Buffer.concat(parts).toString('utf8');
}
