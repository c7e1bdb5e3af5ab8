import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  paramExtrasLegend,
  paramSupportLegend,
  renderAnthropicBetaTable,
  renderParamExtrasMatrix,
  renderParamSupportMatrix,
} from '../../../src/providers/param-support-matrix.js';

const readmeSection = (name: string): string | undefined => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  return new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(readme)?.[1];
};

describe('the README parameter-support matrix', () => {
  it('is exactly what the adapters decide', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = /<!-- param-matrix:start -->\n([\s\S]*?)\n<!-- param-matrix:end -->/.exec(readme)?.[1];
    expect(section).toBe(`${renderParamSupportMatrix()}\n\n${paramSupportLegend}`);
  });

  it('lists every extra parameter the tables name, as the adapters treat it', () => {
    expect(readmeSection('param-extras')).toBe(`${renderParamExtrasMatrix()}\n\n${paramExtrasLegend}`);
  });

  it('lists exactly the anthropic-beta values passed upstream', () => {
    expect(readmeSection('anthropic-betas')).toBe(renderAnthropicBetaTable());
  });

  it('never leaves a standard parameter unhandled for any family', () => {
    const rows = renderParamSupportMatrix().split('\n').slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(15);
    for (const row of rows) expect(row.split('|').filter((cell) => cell.trim() === '').length).toBe(2);
  });
});
