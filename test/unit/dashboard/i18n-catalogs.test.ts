import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../../src/shared/errors.js';

const WEB_SRC = path.resolve(import.meta.dirname, '../../../web/src');
type Catalog = Record<string, unknown>;
const load = (language: string) => JSON.parse(readFileSync(path.join(WEB_SRC, 'i18n', `${language}.json`), 'utf8')) as Catalog;
const en = load('en');
const vi = load('vi');

function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(full, value);
    else for (const [k, v] of flatten(value as Catalog, full)) out.set(k, v);
  }
  return out;
}

/** Plural forms differ by language (English one/other, Vietnamese other only); compare the base keys. */
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const baseKeys = (flat: Map<string, string>) => new Set([...flat.keys()].map((key) => key.replace(PLURAL_SUFFIX, '')));
const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

const enFlat = flatten(en);
const viFlat = flatten(vi);

describe('dashboard translation catalogs', () => {
  it('have the same keys in English and Vietnamese', () => {
    const enKeys = baseKeys(enFlat);
    const viKeys = baseKeys(viFlat);
    expect([...enKeys].filter((key) => !viKeys.has(key))).toEqual([]);
    expect([...viKeys].filter((key) => !enKeys.has(key))).toEqual([]);
  });

  it('give every plural key the forms each language needs', () => {
    for (const key of enFlat.keys()) {
      if (!key.endsWith('_one')) continue;
      const base = key.slice(0, -'_one'.length);
      expect(enFlat.has(`${base}_other`), `${base}_other in en`).toBe(true);
      expect(viFlat.has(`${base}_other`), `${base}_other in vi`).toBe(true);
    }
  });

  it('have no empty strings and the same {{variables}} on both sides', () => {
    for (const [key, text] of viFlat) {
      expect(text.trim(), key).not.toBe('');
      const enText = enFlat.get(key) ?? enFlat.get(key.replace(/_other$/, '_one')) ?? enFlat.get(key.replace(PLURAL_SUFFIX, ''));
      expect(enText, key).toBeDefined();
      expect(variables(text), key).toEqual(variables(enText ?? ''));
    }
  });

  it('contain every literal key the pages ask for', () => {
    const keys = baseKeys(enFlat);
    const missing: string[] = [];
    for (const file of sourceFiles(WEB_SRC)) {
      const text = readFileSync(file, 'utf8');
      const literals = [...text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g), ...text.matchAll(/labelKey: '([\w.]+)'/g), ...text.matchAll(/\['(admin\.[\w.]+)'/g)];
      for (const match of literals) {
        const key = match[1] ?? '';
        if (!keys.has(key)) missing.push(`${path.relative(WEB_SRC, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('translate every error code the API can send', () => {
    const codes = Object.keys(errorCatalog);
    expect(codes.filter((code) => !enFlat.has(`errors.code.${code}`))).toEqual([]);
    expect(codes.filter((code) => !viFlat.has(`errors.code.${code}`))).toEqual([]);
  });

  it('describe every provider of the model catalog and every ledger entry kind', () => {
    const models = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../src/catalog/models.json'), 'utf8')) as { models: Array<{ id: string }> };
    const vendors = [...new Set(models.models.map((m) => m.id.split('/')[0]))];
    expect(vendors.filter((vendor) => !viFlat.has(`providers.${vendor}`))).toEqual([]);
    const kinds = ['signup_bonus', 'topup', 'redemption', 'adjustment', 'hold', 'settle', 'release', 'refund'];
    expect(kinds.filter((kind) => !viFlat.has(`billing.kinds.${kind}`))).toEqual([]);
  });

  it('actually translate: Vietnamese text differs from English for ordinary sentences', () => {
    const same = [...viFlat].filter(([key, text]) => text === enFlat.get(key) && text.split(' ').length > 2);
    expect(same).toEqual([]);
  });
});
