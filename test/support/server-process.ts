/** Helpers for tests that run the real server as its own process, or wait on something with a bound. */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves with everything the process printed once it listens; rejects if it exits first. */
export function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (bytes: Buffer) => {
      out += bytes.toString();
      if (out.includes('TokenHub listening')) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`the server exited early (${code}): ${out}`)));
  });
}

/** `promise`, or a rejection naming `what` after `ms`: a bound on waiting, never a timing assertion. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms).unref())]);
}
