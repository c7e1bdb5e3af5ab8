/**
 * One generic runner over test/fixtures/openai-compatible: every request, response, stream and error case is
 * translated by the real adapter and compared with the expected file committed beside it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';
import { openAICompatibleAdapter } from '../../../../src/providers/openai-compatible/adapter.js';
import { openAICompatibleProviderIds } from '../../../../src/providers/openai-compatible/param-support.js';
import {
  describeGatewayError,
  fixtureDir,
  fixturePath,
  listCases,
  makeResponseContext,
  makeTarget,
  providerOf,
  readFixtureJson,
  readFixtureText,
  runStreamFixture,
  TEST_API_KEY,
  toFixtureJson,
  type TargetOverrides,
} from './fixture-harness.js';

const requestCases = listCases('.openai-request.json');
const responseCases = listCases('.upstream-response.json');
const streamCases = listCases('.upstream.sse');
const errorCases = listCases('.upstream-error.json');

function readTargetOverrides(caseName: string): TargetOverrides {
  try {
    return readFixtureJson(caseName, '.target.json') as TargetOverrides;
  } catch (error) {
    // Most cases have no .target.json and use the default fixture target.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

describe('openai-compatible fixtures: client request → upstream request', () => {
  it.each(requestCases)('%s', async (caseName) => {
    const provider = providerOf(caseName);
    const request = chatRequestSchema.parse(readFixtureJson(caseName, '.openai-request.json'));
    const target = makeTarget(provider, readTargetOverrides(caseName));
    let actual: unknown;
    try {
      const { request: upstream, warnings } = await openAICompatibleAdapter.toUpstream(request, target, {
        fetchImage: () => Promise.reject(new Error('adapter must not fetch images')),
        clientHeaders: {},
      });
      const { authorization, ...headers } = upstream.headers;
      expect(authorization).toBe(`Bearer ${TEST_API_KEY}`);
      actual = { method: upstream.method, url: upstream.url, headers, body: JSON.parse(upstream.body ?? 'null'), warnings };
    } catch (error) {
      actual = { error: describeGatewayError(error) };
    }
    await expect(toFixtureJson(actual)).toMatchFileSnapshot(fixturePath(caseName, '.upstream-request.json'));
  });
});

describe('openai-compatible fixtures: upstream response → client completion', () => {
  it.each(responseCases)('%s', async (caseName) => {
    const provider = providerOf(caseName);
    const body = readFixtureJson(caseName, '.upstream-response.json');
    let actual: unknown;
    try {
      actual = openAICompatibleAdapter.fromUpstream(body, makeTarget(provider), makeResponseContext(provider));
    } catch (error) {
      actual = { error: describeGatewayError(error) };
    }
    await expect(toFixtureJson(actual)).toMatchFileSnapshot(fixturePath(caseName, '.openai-response.json'));
  });
});

describe('openai-compatible fixtures: upstream SSE bytes → client chunks', () => {
  it.each(streamCases)('%s', async (caseName) => {
    const provider = providerOf(caseName);
    const bytes = new Uint8Array(readFileSync(fixturePath(caseName, '.upstream.sse')));
    const whole = runStreamFixture(bytes, 0, provider);
    // Byte boundaries (mid-line, mid-CRLF, mid-UTF-8 character) must not change the result.
    for (const slice of [1, 3, 7]) expect(runStreamFixture(bytes, slice, provider), `slices of ${slice} bytes`).toEqual(whole);
    await expect(toFixtureJson(whole)).toMatchFileSnapshot(fixturePath(caseName, '.chunks.json'));
  });

  it.each(streamCases.filter((c) => c.endsWith('-crlf')))('%s really uses CRLF line ends', (caseName) => {
    expect(readFixtureText(caseName, '.upstream.sse')).toContain('\r\n\r\n');
  });
});

describe('openai-compatible fixtures: upstream error → catalog error', () => {
  it.each(errorCases)('%s', async (caseName) => {
    const provider = providerOf(caseName);
    const input = readFixtureJson(caseName, '.upstream-error.json') as { status: number; headers?: Record<string, string>; body: unknown };
    const bodyText = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
    const error = openAICompatibleAdapter.parseError(input.status, input.headers ?? {}, bodyText, makeTarget(provider));
    const described = describeGatewayError(error);
    expect(JSON.stringify(described)).not.toContain(TEST_API_KEY);
    await expect(toFixtureJson(described)).toMatchFileSnapshot(fixturePath(caseName, '.gateway-error.json'));
  });
});

describe('openai-compatible fixture coverage', () => {
  it.each(openAICompatibleProviderIds)('%s has request, response, stream and error cases', (provider) => {
    const ofProvider = (cases: string[]) => cases.filter((c) => providerOf(c) === provider);
    expect(ofProvider(requestCases).length).toBeGreaterThan(0);
    expect(ofProvider(responseCases).length).toBeGreaterThan(0);
    expect(ofProvider(streamCases).length).toBeGreaterThan(0);
    expect(ofProvider(errorCases).length).toBeGreaterThan(0);
  });

  it('no fixture file holds a credential or an Authorization header', () => {
    const files = readdirSync(fixtureDir).filter((file) => file !== 'README.md');
    expect(files.length).toBeGreaterThan(150);
    for (const file of files) {
      const text = readFileSync(path.join(fixtureDir, file), 'utf8');
      expect(text, file).not.toMatch(/\bsk-|Bearer/);
    }
  });
});
