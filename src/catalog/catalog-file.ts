/**
 * Reads the catalog data file (models.json by default) and validates its shape. Cross-model rules live in
 * catalog-invariants.ts; this module only turns bytes into CatalogModel values or a readable error.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// Type-only, so nothing is loaded at run time; it puts models.json in the program, which makes `tsc` copy it
// next to the compiled reader in dist/, where defaultCatalogFile() looks for it.
import type bundledCatalogFile from './models.json';
import { catalogFileSchema, type CatalogModel } from './schema.js';

export type CatalogFileJson = typeof bundledCatalogFile;

export const defaultCatalogFile: string = fileURLToPath(new URL('./models.json', import.meta.url));

/** Thrown when the data file cannot be read, is not JSON, or breaks the schema or an invariant: a boot failure. */
export class CatalogFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid model catalog ${file}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'CatalogFileError';
  }
}

/** Renders a zod issue path like `models.3.pricing.inputPerMTok`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join('.');
}

export function readCatalogFile(file: string = defaultCatalogFile): CatalogModel[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CatalogFileError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = catalogFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new CatalogFileError(
      file,
      parsed.error.issues.map((issue) => `${describeIssueLocation(json, issue.path)}: ${issue.message}`),
    );
  }
  return parsed.data.models;
}

/** `models.3.pricing.inputPerMTok` reads better as `openai/gpt-4.1 pricing.inputPerMTok`. */
function describeIssueLocation(json: unknown, path: readonly PropertyKey[]): string {
  const [root, index, ...rest] = path;
  if (root !== 'models' || typeof index !== 'number') return formatIssuePath(path);
  const models = (json as { models?: unknown[] }).models;
  const id = (models?.[index] as { id?: unknown } | undefined)?.id;
  const label = typeof id === 'string' ? id : `models[${index}]`;
  return rest.length > 0 ? `${label} ${formatIssuePath(rest)}` : label;
}
