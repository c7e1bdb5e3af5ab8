import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvNumber, csvText } from '../../../src/shared/csv-field.js';

/** What a spreadsheet sees as the cell's text: the RFC 4180 quoting undone. */
const cellOf = (field: string) => (field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field);

describe('CSV fields', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['@sum', "'@sum"],
    ['-cmd', "'-cmd"],
    ["-1+1+cmd|' /C calc'!A0", "'-1+1+cmd|' /C calc'!A0"],
    ['-0.5', "'-0.5"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['＝1+1', "'＝1+1"],
    ['', ''],
  ])('writes text %j as %j', (value, expected) => {
    expect(csvText(value)).toBe(expected);
  });

  it.each<[number | bigint | string, string]>([
    [200, '200'],
    [-3, '-3'],
    [12n, '12'],
    ['-0.000000001', '-0.000000001'],
    ['1e3', '1e3'],
    ['-1+1', "'-1+1"],
    [Number.NaN, 'NaN'],
  ])('writes number %s as %s', (value, expected) => {
    expect(csvNumber(value)).toBe(expected);
  });

  it('never lets any text start a cell with a formula character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        expect(cellOf(csvText(value))).not.toMatch(/^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/);
      }),
    );
  });
});
