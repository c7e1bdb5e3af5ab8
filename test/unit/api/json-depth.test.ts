import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findExcessNesting } from '../../../src/api/json-depth.js';

/** Nesting depth of a parsed value: 0 for a scalar, 1 for `[]` or `{}`. */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === 'object' && value !== null) return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('findExcessNesting', () => {
  it('flags exactly the texts deeper than the limit, whatever their strings hold', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 8 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(findExcessNesting(text, limit) !== undefined).toBe(depthOf(JSON.parse(text)) > limit);
      }),
    );
  });

  it('names the path to the first container that opens too deep', () => {
    expect(findExcessNesting('{"a":[1,{"b\\"c":{"d":[[]]}}]}', 4)).toEqual(['a', 1, 'b"c', 'd']);
    expect(findExcessNesting('{"a":[1,{"b\\"c":{"d":[[]]}}]}', 6)).toBeUndefined();
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(findExcessNesting(JSON.stringify({ text: '[[[[{{{{\\"[[[' }), 1)).toBeUndefined();
  });
});
