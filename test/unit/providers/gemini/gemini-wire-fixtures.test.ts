/**
 * Fixture-driven translation tests for the Gemini family; test/fixtures/gemini/README.md names each source.
 *   requests/<case>.openai-request.json  → <case>.upstream-request.json, or <case>.gateway-error.json when present
 *   responses/<case>.upstream-response.json → <case>.openai-response.json, or <case>.gateway-error.json
 *   streams/<case>.upstream.sse (raw bytes) → <case>.openai.chunks.jsonl, identical for every byte split
 *   errors/<case>.upstream-error.json → <case>.gateway-error.json
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../../src/shared/errors.js';
import { geminiAdapter } from '../../../../src/providers/gemini/adapter.js';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';
import { SseDecoder } from '../../../../src/providers/sse-decoder.js';
import {
  TEST_API_KEY,
  describeGatewayError,
  fixturesDir,
  makeGeminiTarget,
  makeRequestContext,
  makeResponseContext,
  readFixture,
  toPrettyJson,
} from './gemini-test-support.js';

function casesIn(folder: string, suffix: string): string[] {
  return readdirSync(`${fixturesDir}${folder}`)
    .filter((f) => f.endsWith(suffix))
    .map((f) => f.slice(0, -suffix.length))
    .sort();
}

const expectedPath = (folder: string, name: string, suffix: string): string => `${fixturesDir}${folder}/${name}${suffix}`;

describe('gemini request translation fixtures', () => {
  it.each(casesIn('requests', '.openai-request.json'))('%s', async (name) => {
    const request = chatRequestSchema.parse(JSON.parse(readFixture(`requests/${name}.openai-request.json`)));
    const target = makeGeminiTarget(request.model.replace(/^google\//, ''));
    const translation = geminiAdapter.toUpstream(request, target, makeRequestContext());
    const errorFile = expectedPath('requests', name, '.gateway-error.json');
    if (existsSync(errorFile)) {
      const err = await translation.then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!isGatewayError(err)) throw new Error(`expected a GatewayError, got ${String(err)}`);
      await expect(toPrettyJson(describeGatewayError(err))).toMatchFileSnapshot(errorFile);
      return;
    }
    const { request: upstream, warnings } = await translation;
    const actual = { method: upstream.method, url: upstream.url, headers: upstream.headers, body: JSON.parse(upstream.body ?? 'null'), warnings };
    await expect(toPrettyJson(actual)).toMatchFileSnapshot(expectedPath('requests', name, '.upstream-request.json'));
  });
});

describe('gemini response translation fixtures', () => {
  it.each(casesIn('responses', '.upstream-response.json'))('%s', async (name) => {
    const body: unknown = JSON.parse(readFixture(`responses/${name}.upstream-response.json`));
    const target = makeGeminiTarget('gemini-2.5-flash');
    const errorFile = expectedPath('responses', name, '.gateway-error.json');
    if (existsSync(errorFile)) {
      let caught: unknown;
      try {
        geminiAdapter.fromUpstream(body, target, makeResponseContext());
      } catch (err) {
        caught = err;
      }
      if (!isGatewayError(caught)) throw new Error(`expected a GatewayError, got ${String(caught)}`);
      await expect(toPrettyJson(describeGatewayError(caught))).toMatchFileSnapshot(errorFile);
      return;
    }
    const translation = geminiAdapter.fromUpstream(body, target, makeResponseContext());
    await expect(toPrettyJson(translation)).toMatchFileSnapshot(expectedPath('responses', name, '.openai-response.json'));
  });
});

/** Feeds the bytes in pieces of `size` (0 = whole) through the SSE decoder and a fresh translator. */
function translateStream(bytes: Buffer, size: number): unknown[] {
  const translator = geminiAdapter.createStreamTranslator(makeGeminiTarget('gemini-2.5-flash'), makeResponseContext());
  const decoder = new SseDecoder();
  const lines: unknown[] = [];
  const pieces = size === 0 ? [bytes] : Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  const feed = (events: ReturnType<SseDecoder['push']>): boolean => {
    for (const event of events) {
      const step = translator.push(event);
      lines.push(...step.chunks);
      if (step.error !== undefined) {
        lines.push({ error: describeGatewayError(step.error) });
        return false;
      }
    }
    return true;
  };
  for (const piece of pieces) {
    if (!feed(decoder.push(piece))) return [...lines, { stopped: true, finishReason: translator.finishReason, usage: translator.usage ?? null }];
  }
  if (!feed(decoder.end())) return [...lines, { stopped: true, finishReason: translator.finishReason, usage: translator.usage ?? null }];
  const end = translator.end();
  lines.push(...end.chunks);
  lines.push({ end: { truncated: end.truncated, finishReason: translator.finishReason, usage: translator.usage ?? null } });
  return lines;
}

describe('gemini stream translation fixtures', () => {
  it.each(casesIn('streams', '.upstream.sse'))('%s', async (name) => {
    const bytes = readFileSync(`${fixturesDir}streams/${name}.upstream.sse`);
    const whole = translateStream(bytes, 0);
    for (const size of [1, 4, 11]) expect(translateStream(bytes, size), `split every ${size} bytes`).toEqual(whole);
    const jsonl = `${whole.map((line) => JSON.stringify(line)).join('\n')}\n`;
    await expect(jsonl).toMatchFileSnapshot(expectedPath('streams', name, '.openai.chunks.jsonl'));
  });
});

describe('gemini error translation fixtures', () => {
  it.each(casesIn('errors', '.upstream-error.json'))('%s', async (name) => {
    const input = JSON.parse(readFixture(`errors/${name}.upstream-error.json`)) as { status: number; headers: Record<string, string>; body: unknown };
    const bodyText = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
    const err = geminiAdapter.parseError(input.status, input.headers, bodyText, makeGeminiTarget('gemini-2.5-flash'));
    const described = describeGatewayError(err);
    expect(JSON.stringify(described)).not.toContain(TEST_API_KEY);
    expect(JSON.stringify(described)).not.toMatch(/AIza|https?:\/\//);
    await expect(toPrettyJson(described)).toMatchFileSnapshot(expectedPath('errors', name, '.gateway-error.json'));
  });
});
