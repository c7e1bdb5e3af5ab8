import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSse } from '../../../../src/providers/sse-decoder.js';
import { decodeInSlices, fixtureDir, listFixtureCases, readFixture, runFixtureCase } from './fixture-runner.js';

const cases = listFixtureCases();

describe('anthropic fixtures', () => {
  it('cover every kind of case, at least 25 in all', () => {
    const kinds = new Set(cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['request', 'response', 'stream', 'upstream-error']);
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s matches its recorded expectation', async (_name, fixture) => {
    const expected = JSON.parse(readFixture(fixture.expectedFile)) as unknown;
    expect(await runFixtureCase(fixture)).toEqual(expected);
  });

  const streams = cases.filter((c) => c.kind === 'stream');
  it.each(streams.flatMap((c) => [1, 5, 13].map((size) => [c.name, size, c] as const)))(
    '%s gives the same chunks when the bytes arrive %i at a time',
    async (_name, size, fixture) => {
      const expected = JSON.parse(readFixture(fixture.expectedFile)) as unknown;
      expect(await runFixtureCase(fixture, size)).toEqual(expected);
    },
  );

  it('keeps \\r\\n line ends in some raw SSE fixtures, and they decode like \\n ones', () => {
    const crlf = streams.filter((c) => readFixture(`${c.name}.upstream.sse`).includes('\r\n'));
    expect(crlf.length).toBeGreaterThanOrEqual(2);
    for (const c of crlf) {
      const bytes = readFileSync(path.join(fixtureDir, `${c.name}.upstream.sse`));
      const normalized = bytes.toString('utf8').replace(/\r\n/g, '\n');
      expect(decodeInSlices(new Uint8Array(bytes), 1)).toEqual(decodeSse(normalized));
    }
  });

  it('contain no credentials', () => {
    const files = readdirSync(fixtureDir);
    expect(files.length).toBeGreaterThan(cases.length);
    for (const file of files) {
      expect(readFixture(file), file).not.toMatch(/sk-[A-Za-z0-9-]{10,}|Bearer [A-Za-z0-9]/);
    }
  });
});
