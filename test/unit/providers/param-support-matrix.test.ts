import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paramSupportLegend, renderParamSupportMatrix } from '../../../src/providers/param-support-matrix.js';

describe('the README parameter-support matrix', () => {
  it('is exactly what the adapters decide', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = /<!-- param-matrix:start -->\n([\s\S]*?)\n<!-- param-matrix:end -->/.exec(readme)?.[1];
    expect(section).toBe(`${renderParamSupportMatrix()}\n\n${paramSupportLegend}`);
  });

  it('never leaves a standard parameter unhandled for any family', () => {
    const rows = renderParamSupportMatrix().split('\n').slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(15);
    for (const row of rows) expect(row.split('|').filter((cell) => cell.trim() === '').length).toBe(2);
  });
});
