/**
 * The model catalog service: the data file merged with admin overrides from the store, held in memory so
 * lookups on the request path never touch the database. Admin patches are validated, stored and applied in
 * place at once; other gateway instances pick them up with refresh().
 */
import type { Kysely } from 'kysely';
import { GatewayError } from '../shared/errors.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Database } from '../store/schema.js';
import { CatalogFileError, defaultCatalogFile, readCatalogFile } from './catalog-file.js';
import { findCatalogProblems } from './catalog-invariants.js';
import { applyModelPatch, composeModelPatches, parseModelPatch, type ModelPatch } from './model-patch.js';
import {
  deleteModelOverride,
  findModelOverride,
  listModelOverrides,
  saveModelOverride,
  type StoredModelOverride,
} from './model-overrides.js';
import type { CatalogModel } from './schema.js';

export interface CatalogOptions {
  clock?: Clock;
  /** Data file to read instead of src/catalog/models.json. */
  file?: string;
}

export interface SkippedOverride {
  modelId: string;
  reason: string;
}

export interface CatalogLoadReport {
  models: number;
  /** Override rows applied. */
  overrides: number;
  /** Override rows left out (model gone from the data file, or the patch no longer valid); callers log these. */
  skipped: SkippedOverride[];
}

export interface Catalog {
  /** Reads and checks the data file, then applies the stored overrides. Throws CatalogFileError on a bad file. */
  load(): Promise<CatalogLoadReport>;
  /** Re-reads the overrides only, to pick up changes made through another instance. */
  refresh(): Promise<CatalogLoadReport>;
  get(id: string): CatalogModel | undefined;
  /** Every model in data-file order, overrides applied, disabled ones included (a fresh array; the models are frozen). */
  list(): CatalogModel[];
  /** The stored patch in effect for a model, if any. */
  overrideOf(id: string): ModelPatch | undefined;
  /** Merges `patch` into the model's stored override and applies it now; GatewayError on a bad patch or id. */
  patch(id: string, patch: unknown): Promise<CatalogModel>;
  /** Drops the model's override and returns the data-file version. */
  resetPatch(id: string): Promise<CatalogModel>;
  /** Fired after this instance changes a model, so a broadcaster can ask other instances to refresh(). */
  onChange(listener: (modelId: string) => void): () => void;
}

interface CatalogState {
  models: Map<string, CatalogModel>;
  overrides: Map<string, ModelPatch>;
  list: readonly CatalogModel[];
}

const emptyState: CatalogState = { models: new Map(), overrides: new Map(), list: [] };

export function createCatalog(db: Kysely<Database>, options: CatalogOptions = {}): Catalog {
  return new CatalogService(db, options.clock ?? systemClock, options.file ?? defaultCatalogFile);
}

class CatalogService implements Catalog {
  private base = new Map<string, CatalogModel>();
  private state = emptyState;
  /** Bumped by every local change, so a refresh that raced one reads the store again instead of undoing it. */
  private generation = 0;
  private readonly listeners = new Set<(modelId: string) => void>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly file: string,
  ) {}

  async load(): Promise<CatalogLoadReport> {
    const models = readCatalogFile(this.file);
    const problems = findCatalogProblems(models);
    if (problems.length > 0) {
      throw new CatalogFileError(this.file, problems.map((p) => `${p.modelId} ${p.path}: ${p.message}`));
    }
    this.base = new Map(models.map((model) => [model.id, deepFreeze(model)]));
    return this.refresh();
  }

  async refresh(): Promise<CatalogLoadReport> {
    for (;;) {
      const generation = this.generation;
      const rows = await listModelOverrides(this.db);
      if (generation !== this.generation) continue;
      const built = buildCatalogState(this.base, rows);
      this.state = built.state;
      return { models: built.state.list.length, overrides: built.state.overrides.size, skipped: built.skipped };
    }
  }

  get(id: string): CatalogModel | undefined {
    return this.state.models.get(id);
  }

  list(): CatalogModel[] {
    return [...this.state.list];
  }

  overrideOf(id: string): ModelPatch | undefined {
    return this.state.overrides.get(id);
  }

  async patch(id: string, input: unknown): Promise<CatalogModel> {
    const baseModel = this.requireBaseModel(id);
    const parsed = parseModelPatch(input);
    if (!parsed.ok) throw new GatewayError('invalid_request', { param: parsed.problem.param, message: parsed.problem.message });
    // Compose with the stored row, not the in-memory copy, which may be older than another instance's write.
    // A stored row that no longer parses (reported by load) is replaced by this patch alone.
    const row = await findModelOverride(this.db, id);
    const stored = row ? parseStoredPatch(row) : undefined;
    const composed = composeModelPatches(stored?.ok ? stored.patch : {}, parsed.patch);
    const applied = applyModelPatch(baseModel, composed);
    if (!applied.ok) throw new GatewayError('invalid_request', { param: applied.problem.param, message: applied.problem.message });
    await saveModelOverride(this.db, { modelId: id, patch: JSON.stringify(composed), updatedAt: this.clock.now() });
    return this.replaceModel(id, applied.model, composed);
  }

  async resetPatch(id: string): Promise<CatalogModel> {
    const baseModel = this.requireBaseModel(id);
    await deleteModelOverride(this.db, id);
    return this.replaceModel(id, baseModel, undefined);
  }

  onChange(listener: (modelId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private requireBaseModel(id: string): CatalogModel {
    const model = this.base.get(id);
    if (!model) throw new GatewayError('model_not_found', { param: 'model', message: `The model "${id}" is not in the catalog.` });
    return model;
  }

  private replaceModel(id: string, model: CatalogModel, override: ModelPatch | undefined): CatalogModel {
    const frozen = deepFreeze(model);
    const models = new Map(this.state.models).set(id, frozen);
    const overrides = new Map(this.state.overrides);
    if (override) overrides.set(id, override);
    else overrides.delete(id);
    this.state = { models, overrides, list: Object.freeze([...models.values()]) };
    this.generation += 1;
    for (const listener of this.listeners) listener(id);
    return frozen;
  }
}

function buildCatalogState(
  base: ReadonlyMap<string, CatalogModel>,
  rows: readonly StoredModelOverride[],
): { state: CatalogState; skipped: SkippedOverride[] } {
  const models = new Map(base);
  const overrides = new Map<string, ModelPatch>();
  const skipped: SkippedOverride[] = [];
  for (const row of rows) {
    const baseModel = base.get(row.modelId);
    if (!baseModel) {
      skipped.push({ modelId: row.modelId, reason: 'the model is not in the catalog data file' });
      continue;
    }
    const stored = parseStoredPatch(row);
    if (!stored.ok) {
      skipped.push({ modelId: row.modelId, reason: stored.reason });
      continue;
    }
    const applied = applyModelPatch(baseModel, stored.patch);
    if (!applied.ok) {
      skipped.push({ modelId: row.modelId, reason: `the patched model is invalid: ${applied.problem.message}` });
      continue;
    }
    models.set(row.modelId, deepFreeze(applied.model));
    overrides.set(row.modelId, stored.patch);
  }
  return { state: { models, overrides, list: Object.freeze([...models.values()]) }, skipped };
}

type StoredPatchResult = { ok: true; patch: ModelPatch } | { ok: false; reason: string };

function parseStoredPatch(row: StoredModelOverride): StoredPatchResult {
  let json: unknown;
  try {
    json = JSON.parse(row.patch);
  } catch (error) {
    return { ok: false, reason: `the stored patch is not JSON: ${(error as Error).message}` };
  }
  const parsed = parseModelPatch(json);
  return parsed.ok ? parsed : { ok: false, reason: `the stored patch is invalid: ${parsed.problem.message}` };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
