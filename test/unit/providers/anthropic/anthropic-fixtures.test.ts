import { describe, expect, it } from 'vitest';
import { decodeSse } from '../../../../src/providers/sse-decoder.js';
import { anthropicFixtures, listFixtureCases, readFixture, runFixtureCase, type FixtureCase } from '../../../support/anthropic-fixtures.js';
import { decodeSseInSlices, runFixtureKind } from '../../../support/fixture-runner.js';

const cases = listFixtureCases();
const streams = cases.filter((c) => c.kind === 'stream');

describe('anthropic fixtures', () => {
  it('cover every kind of case, at least 25 in all', () => {
    const kinds = new Set(cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['request', 'response', 'stream', 'upstream-error']);
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it('keeps \\r\\n line ends in some raw SSE fixtures, and they decode like \\n ones', () => {
    const crlf = streams.filter((c) => readFixture(`${c.name}.upstream.sse`).includes('\r\n'));
    expect(crlf.length).toBeGreaterThanOrEqual(2);
    for (const c of crlf) {
      const bytes = anthropicFixtures.bytes(`${c.name}.upstream.sse`);
      const normalized = Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
      expect(decodeSseInSlices(bytes, 1)).toEqual(decodeSse(normalized));
    }
  });

  it('contain no credentials', () => {
    const files = anthropicFixtures.files();
    expect(files.length).toBeGreaterThan(cases.length);
    for (const file of files) {
      expect(readFixture(file), file).not.toMatch(/sk-[A-Za-z0-9-]{10,}|Bearer [A-Za-z0-9]/);
    }
  });
});

runFixtureKind<FixtureCase>({
  title: 'anthropic fixtures',
  cases,
  name: (fixture) => `${fixture.name} matches its recorded expectation`,
  run: async (fixture) => {
    expect(await runFixtureCase(fixture)).toEqual(anthropicFixtures.json(fixture.expectedFile));
  },
});

runFixtureKind<readonly [FixtureCase, number]>({
  title: 'anthropic fixtures',
  cases: streams.flatMap((c) => [1, 5, 13].map((size) => [c, size] as const)),
  name: ([fixture, size]) => `${fixture.name} gives the same chunks when the bytes arrive ${size} at a time`,
  run: async ([fixture, size]) => {
    expect(await runFixtureCase(fixture, size)).toEqual(anthropicFixtures.json(fixture.expectedFile));
  },
});
