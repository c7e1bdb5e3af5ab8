/**
 * test/fixtures/openai-compatible through the one fixture runner: every request, response, stream and error case is
 * translated by the real adapter and compared with the expected file committed beside it.
 */
import { describe, expect, it } from 'vitest';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';
import { openAICompatibleAdapter } from '../../../../src/providers/openai-compatible/adapter.js';
import { openAICompatibleProviderIds } from '../../../../src/providers/openai-compatible/param-support.js';
import { bySuffix, openFixtureFolder, runFixtureKinds, toFixtureJson, upstreamErrorText } from '../../../support/fixture-runner.js';
import { describeGatewayError, makeResponseContext, makeTarget, providerOf, runStreamFixture, TEST_API_KEY, type TargetOverrides } from './fixture-harness.js';

const fixtures = openFixtureFolder('openai-compatible');
const requestCases = fixtures.cases('.openai-request.json');
const responseCases = fixtures.cases('.upstream-response.json');
const streamCases = fixtures.cases('.upstream.sse');
const errorCases = fixtures.cases('.upstream-error.json');

/** Most cases have no .target.json and use the default fixture target. */
function readTargetOverrides(caseName: string): TargetOverrides {
  const file = `${caseName}.target.json`;
  return fixtures.exists(file) ? (fixtures.json(file) as TargetOverrides) : {};
}

runFixtureKinds([
  bySuffix(fixtures, 'openai-compatible fixtures: client request → upstream request', '.openai-request.json', async (caseName) => {
    const provider = providerOf(caseName);
    const request = chatRequestSchema.parse(fixtures.json(`${caseName}.openai-request.json`));
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
    await expect(toFixtureJson(actual)).toMatchFileSnapshot(fixtures.path(`${caseName}.upstream-request.json`));
  }),
  bySuffix(fixtures, 'openai-compatible fixtures: upstream response → client completion', '.upstream-response.json', async (caseName) => {
    const provider = providerOf(caseName);
    const body = fixtures.json(`${caseName}.upstream-response.json`);
    let actual: unknown;
    try {
      actual = openAICompatibleAdapter.fromUpstream(body, makeTarget(provider), makeResponseContext(provider));
    } catch (error) {
      actual = { error: describeGatewayError(error) };
    }
    await expect(toFixtureJson(actual)).toMatchFileSnapshot(fixtures.path(`${caseName}.openai-response.json`));
  }),
  bySuffix(fixtures, 'openai-compatible fixtures: upstream SSE bytes → client chunks', '.upstream.sse', async (caseName) => {
    const provider = providerOf(caseName);
    const bytes = fixtures.bytes(`${caseName}.upstream.sse`);
    const whole = runStreamFixture(bytes, 0, provider);
    // Byte boundaries (mid-line, mid-CRLF, mid-UTF-8 character) must not change the result.
    for (const slice of [1, 3, 7]) expect(runStreamFixture(bytes, slice, provider), `slices of ${slice} bytes`).toEqual(whole);
    await expect(toFixtureJson(whole)).toMatchFileSnapshot(fixtures.path(`${caseName}.chunks.json`));
  }),
  {
    title: 'openai-compatible fixtures: upstream SSE bytes → client chunks',
    cases: streamCases.filter((c) => c.endsWith('-crlf')),
    name: (caseName) => `${caseName} really uses CRLF line ends`,
    run: (caseName) => {
      expect(fixtures.text(`${caseName}.upstream.sse`)).toContain('\r\n\r\n');
    },
  },
  bySuffix(fixtures, 'openai-compatible fixtures: upstream error → catalog error', '.upstream-error.json', async (caseName) => {
    const provider = providerOf(caseName);
    const input = fixtures.json(`${caseName}.upstream-error.json`) as { status: number; headers?: Record<string, string>; body: unknown };
    const error = openAICompatibleAdapter.parseError(input.status, input.headers ?? {}, upstreamErrorText(input.body), makeTarget(provider));
    const described = describeGatewayError(error);
    expect(JSON.stringify(described)).not.toContain(TEST_API_KEY);
    await expect(toFixtureJson(described)).toMatchFileSnapshot(fixtures.path(`${caseName}.gateway-error.json`));
  }),
]);

describe('openai-compatible fixture coverage', () => {
  it.each(openAICompatibleProviderIds)('%s has request, response, stream and error cases', (provider) => {
    const ofProvider = (cases: string[]) => cases.filter((c) => providerOf(c) === provider);
    expect(ofProvider(requestCases).length).toBeGreaterThan(0);
    expect(ofProvider(responseCases).length).toBeGreaterThan(0);
    expect(ofProvider(streamCases).length).toBeGreaterThan(0);
    expect(ofProvider(errorCases).length).toBeGreaterThan(0);
  });

  it('no fixture file holds a credential or an Authorization header', () => {
    const files = fixtures.files().filter((file) => file !== 'README.md');
    expect(files.length).toBeGreaterThan(150);
    for (const file of files) expect(fixtures.text(file), file).not.toMatch(/\bsk-|Bearer/);
  });
});
