/**
 * Fixture-driven translation tests for the Gemini family, run by the one fixture runner;
 * test/fixtures/gemini/README.md names each source.
 *   requests/<case>.openai-request.json  → <case>.upstream-request.json, or <case>.gateway-error.json when present
 *   responses/<case>.upstream-response.json → <case>.openai-response.json, or <case>.gateway-error.json
 *   streams/<case>.upstream.sse (raw bytes) → <case>.openai.chunks.jsonl, identical for every byte split
 *   errors/<case>.upstream-error.json → <case>.gateway-error.json
 */
import { expect } from 'vitest';
import { isGatewayError } from '../../../../src/shared/errors.js';
import { geminiAdapter } from '../../../../src/providers/gemini/adapter.js';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';
import { bySuffix, decodeSseInSlices, openFixtureFolder, runFixtureKinds, toFixtureJson, upstreamErrorText } from '../../../support/fixture-runner.js';
import { TEST_API_KEY, describeGatewayError, makeGeminiTarget, makeRequestContext, makeResponseContext } from './gemini-test-support.js';

const requests = openFixtureFolder('gemini', 'requests');
const responses = openFixtureFolder('gemini', 'responses');
const streams = openFixtureFolder('gemini', 'streams');
const errors = openFixtureFolder('gemini', 'errors');

/** Translates the stream's events, the bytes handed over `size` at a time (0 = whole), through a fresh translator. */
function translateStream(bytes: Uint8Array, size: number): unknown[] {
  const translator = geminiAdapter.createStreamTranslator(makeGeminiTarget('gemini-2.5-flash'), makeResponseContext());
  const lines: unknown[] = [];
  for (const event of decodeSseInSlices(bytes, size)) {
    const step = translator.push(event);
    lines.push(...step.chunks);
    if (step.error !== undefined) {
      lines.push({ error: describeGatewayError(step.error) });
      return [...lines, { stopped: true, finishReason: translator.finishReason, usage: translator.usage ?? null }];
    }
  }
  const end = translator.end();
  lines.push(...end.chunks);
  lines.push({ end: { truncated: end.truncated, finishReason: translator.finishReason, usage: translator.usage ?? null } });
  return lines;
}

runFixtureKinds([
  bySuffix(requests, 'gemini request translation fixtures', '.openai-request.json', async (name) => {
    const request = chatRequestSchema.parse(requests.json(`${name}.openai-request.json`));
    const target = makeGeminiTarget(request.model.replace(/^google\//, ''));
    const translation = geminiAdapter.toUpstream(request, target, makeRequestContext());
    const errorFile = requests.path(`${name}.gateway-error.json`);
    if (requests.exists(`${name}.gateway-error.json`)) {
      const err = await translation.then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!isGatewayError(err)) throw new Error(`expected a GatewayError, got ${String(err)}`);
      await expect(toFixtureJson(describeGatewayError(err))).toMatchFileSnapshot(errorFile);
      return;
    }
    const { request: upstream, warnings } = await translation;
    const actual = { method: upstream.method, url: upstream.url, headers: upstream.headers, body: JSON.parse(upstream.body ?? 'null'), warnings };
    await expect(toFixtureJson(actual)).toMatchFileSnapshot(requests.path(`${name}.upstream-request.json`));
  }),
  bySuffix(responses, 'gemini response translation fixtures', '.upstream-response.json', async (name) => {
    const body = responses.json(`${name}.upstream-response.json`);
    const target = makeGeminiTarget('gemini-2.5-flash');
    if (responses.exists(`${name}.gateway-error.json`)) {
      let caught: unknown;
      try {
        geminiAdapter.fromUpstream(body, target, makeResponseContext());
      } catch (err) {
        caught = err;
      }
      if (!isGatewayError(caught)) throw new Error(`expected a GatewayError, got ${String(caught)}`);
      await expect(toFixtureJson(describeGatewayError(caught))).toMatchFileSnapshot(responses.path(`${name}.gateway-error.json`));
      return;
    }
    const translation = geminiAdapter.fromUpstream(body, target, makeResponseContext());
    await expect(toFixtureJson(translation)).toMatchFileSnapshot(responses.path(`${name}.openai-response.json`));
  }),
  bySuffix(streams, 'gemini stream translation fixtures', '.upstream.sse', async (name) => {
    const bytes = streams.bytes(`${name}.upstream.sse`);
    const whole = translateStream(bytes, 0);
    for (const size of [1, 4, 11]) expect(translateStream(bytes, size), `split every ${size} bytes`).toEqual(whole);
    const jsonl = `${whole.map((line) => JSON.stringify(line)).join('\n')}\n`;
    await expect(jsonl).toMatchFileSnapshot(streams.path(`${name}.openai.chunks.jsonl`));
  }),
  bySuffix(errors, 'gemini error translation fixtures', '.upstream-error.json', async (name) => {
    const input = errors.json(`${name}.upstream-error.json`) as { status: number; headers: Record<string, string>; body: unknown };
    const err = geminiAdapter.parseError(input.status, input.headers, upstreamErrorText(input.body), makeGeminiTarget('gemini-2.5-flash'));
    const described = describeGatewayError(err);
    expect(JSON.stringify(described)).not.toContain(TEST_API_KEY);
    expect(JSON.stringify(described)).not.toMatch(/AIza|https?:\/\//);
    await expect(toFixtureJson(described)).toMatchFileSnapshot(errors.path(`${name}.gateway-error.json`));
  }),
]);
