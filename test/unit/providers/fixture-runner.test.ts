/** The shared pieces of test/support/fixture-runner.ts that every wire family's fixture test leans on. */
import { describe, expect, it } from 'vitest';
import { decodeSse } from '../../../src/providers/sse-decoder.js';
import { decodeSseInSlices, openFixtureFolder, toFixtureJson, upstreamErrorText } from '../../support/fixture-runner.js';

describe('fixture folders', () => {
  const folder = openFixtureFolder('openai-compatible');

  it('name a case by the file that starts it, sorted, the suffix cut off', () => {
    const cases = folder.cases('.upstream.sse');
    expect(cases).toContain('deepseek-reasoner-crlf');
    expect(cases).toEqual([...cases].sort());
    for (const name of cases) {
      expect(name.endsWith('.upstream.sse')).toBe(false);
      expect(folder.exists(`${name}.upstream.sse`)).toBe(true);
    }
  });

  it('find no cases for a suffix no file has', () => {
    expect(folder.cases('.no-such-kind.json')).toEqual([]);
  });

  it('open a family sub-folder by its name', () => {
    const requests = openFixtureFolder('gemini', 'requests');
    expect(requests.cases('.openai-request.json').length).toBeGreaterThan(0);
    expect(requests.files().every((file) => requests.exists(file))).toBe(true);
  });
});

describe('decodeSseInSlices', () => {
  // CRLF line ends, a multi-byte character and a comment line: the places a cut in the wrong spot would show.
  const stream = ': keep-alive\r\ndata: {"a":"héllo"}\r\n\r\nevent: done\r\ndata: [DONE]\r\n\r\n';
  const bytes = new TextEncoder().encode(stream);

  it.each([0, 1, 2, 3, 7, bytes.length])('gives the same events when the bytes arrive %i at a time', (size) => {
    expect(decodeSseInSlices(bytes, size)).toEqual(decodeSse(stream));
  });

  it('decodes the whole buffer when no size is given', () => {
    expect(decodeSseInSlices(bytes)).toEqual([
      { event: undefined, data: '{"a":"héllo"}' },
      { event: 'done', data: '[DONE]' },
    ]);
  });
});

describe('fixture text helpers', () => {
  it('keep a text error body as is and serialize a JSON one', () => {
    expect(upstreamErrorText('<html>Bad gateway</html>')).toBe('<html>Bad gateway</html>');
    expect(upstreamErrorText({ error: { message: 'x' } })).toBe('{"error":{"message":"x"}}');
  });

  it('write JSON the way expected files are committed', () => {
    expect(toFixtureJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});
