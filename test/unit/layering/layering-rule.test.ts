/**
 * The layering rule itself: an upward import, type-only included, is an error, and a downward one is not.
 * (npm test runs the rule over all of src/; this checks that the rule would catch a break.)
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('layering rule', () => {
  it.each([
    ['a translator importing the api, type-only', 'src/providers/openai/probe.ts', "import type { ErrorRenderer } from '../../api/error-handler.js';\nexport type X = ErrorRenderer;\n"],
    ['the store importing billing', 'src/store/probe.ts', "import { NANOS_PER_USD } from '../billing/money.js';\nexport const x = NANOS_PER_USD;\n"],
    ['shared importing the composition root', 'src/shared/probe.ts', "import { loadConfig } from '../config.js';\nexport const x = loadConfig;\n"],
    ['chat orchestration importing media jobs (siblings)', 'src/gateway/probe.ts', "import { computeBackoffDelay } from '../jobs/poll-backoff.js';\nexport const x = computeBackoffDelay;\n"],
  ])('refuses %s', async (_name, file, code) => {
    expect(await problems(file, code)).toContain('import-x/no-restricted-paths');
  });

  it.each([
    ['the api importing billing', 'src/api/probe.ts', "import { NANOS_PER_USD } from '../billing/money.js';\nexport const x = NANOS_PER_USD;\n"],
    ['billing importing a translator type', 'src/billing/probe.ts', "import type { NormalizedUsage } from '../providers/types.js';\nexport type X = NormalizedUsage;\n"],
    ['a translator importing the catalog', 'src/providers/probe.ts', "import type { CatalogModel } from '../catalog/schema.js';\nexport type X = CatalogModel;\n"],
  ])('allows %s', async (_name, file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
