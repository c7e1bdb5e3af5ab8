/**
 * Admin changes to a catalog model, as JSON merge patches (RFC 7396): objects merge key by key, arrays and
 * scalars replace, `null` removes an optional field. A patch names only fields an operator may change; the
 * identity of a model (id, provider, family, modality) comes from the data file alone. Strict schemas
 * reject misspelt keys instead of dropping them, so a typo never looks like a successful price change.
 */
import { z } from 'zod';
import { findModelProblems, type CatalogProblem } from './catalog-invariants.js';
import { formatIssuePath } from './catalog-file.js';
import { catalogModelSchema, longContextTierSchema, serviceTierPricingSchema, usdSchema, type CatalogModel } from './schema.js';

const positiveInt = z.number().int().positive();

const pricingPatchSchema = z
  .strictObject({
    kind: z.enum(['tokens', 'image', 'video']),
    inputPerMTok: usdSchema,
    cachedInputPerMTok: usdSchema.nullable(),
    cacheWritePerMTok: usdSchema.nullable(),
    cacheWrite1hPerMTok: usdSchema.nullable(),
    outputPerMTok: usdSchema,
    longContext: z.array(longContextTierSchema.strict()).min(1).nullable(),
    serviceTiers: z.record(z.string(), serviceTierPricingSchema.strict().nullable()).nullable(),
    webSearchPerKCalls: usdSchema.nullable(),
    perImage: usdSchema,
    perImageBySize: z.record(z.string(), usdSchema.nullable()).nullable(),
    perSecond: z.array(z.strictObject({ mode: z.string().optional(), resolution: z.string().optional(), usd: usdSchema })).min(1),
  })
  .partial();

const videoPatchSchema = z
  .strictObject({
    durations: z.array(positiveInt).min(1),
    defaultDuration: positiveInt,
    resolutions: z.array(z.string()).min(1),
    defaultResolution: z.string(),
    aspectRatios: z.array(z.string()),
    roles: z.array(z.string()),
    modes: z.array(z.string()).nullable(),
    defaultMode: z.string().nullable(),
    audio: z.boolean(),
  })
  .partial();

const imagePatchSchema = z
  .strictObject({ sizes: z.array(z.string()).min(1), defaultSize: z.string(), maxN: positiveInt })
  .partial();

export const modelPatchSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string(),
    upstreamModel: z.string().min(1),
    created: z.number().int(),
    contextLength: z.number().int().nonnegative(),
    maxOutputTokens: z.number().int().nonnegative(),
    defaultMaxTokens: positiveInt.nullable(),
    capabilities: z
      .strictObject({ tools: z.boolean(), vision: z.boolean(), json_schema: z.boolean(), reasoning: z.boolean(), streaming: z.boolean() })
      .partial(),
    pricing: pricingPatchSchema,
    video: videoPatchSchema.nullable(),
    image: imagePatchSchema.nullable(),
    enabled: z.boolean(),
  })
  .partial();

export type ModelPatch = z.infer<typeof modelPatchSchema>;

export type ModelPatchResult = { ok: true; patch: ModelPatch } | { ok: false; problem: PatchProblem };

export type ModelApplyResult = { ok: true; model: CatalogModel } | { ok: false; problem: PatchProblem };

export interface PatchProblem {
  /** Dotted field path (`pricing.outputPerMTok`), or null when the patch as a whole is wrong. */
  param: string | null;
  message: string;
}

export function parseModelPatch(input: unknown): ModelPatchResult {
  const parsed = modelPatchSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) return { ok: false, problem: { param: null, message: 'The patch is invalid.' } };
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = keys.length > 0 ? [...issue.path, keys[0] as string] : issue.path;
    const param = path.length > 0 ? formatIssuePath(path) : null;
    const message = keys.length > 0 ? `"${param}" is not a field a patch can change.` : describeIssue(param, issue.message);
    return { ok: false, problem: { param, message } };
  }
  if (Object.keys(parsed.data).length === 0) {
    return { ok: false, problem: { param: null, message: 'The patch changes nothing; send at least one field.' } };
  }
  return { ok: true, patch: parsed.data };
}

/** Applies a patch to a data-file model and checks the result as strictly as the data file itself. */
export function applyModelPatch(base: CatalogModel, patch: ModelPatch): ModelApplyResult {
  const merged = applyMergePatch(base, patch);
  const parsed = catalogModelSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue && issue.path.length > 0 ? formatIssuePath(issue.path) : null;
    return { ok: false, problem: { param, message: describeIssue(param, issue?.message ?? 'The patched model is invalid.') } };
  }
  const problem: CatalogProblem | undefined = findModelProblems(parsed.data)[0];
  if (problem) return { ok: false, problem: { param: problem.path, message: `${problem.path}: ${problem.message}` } };
  return { ok: true, model: parsed.data };
}

function describeIssue(param: string | null, message: string): string {
  return param ? `${param}: ${message}` : message;
}

/** The stored patch after `next` is applied on top of `previous`; nulls are kept so they still remove fields. */
export function composeModelPatches(previous: ModelPatch, next: ModelPatch): ModelPatch {
  return composeMergePatches(previous, next) as ModelPatch;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (value !== undefined) result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

function composeMergePatches(first: unknown, second: unknown): unknown {
  if (!isPlainObject(first) || !isPlainObject(second)) return second;
  const result: Record<string, unknown> = { ...first };
  for (const [key, value] of Object.entries(second)) {
    if (value === undefined) continue;
    result[key] = isPlainObject(value) && isPlainObject(result[key]) ? composeMergePatches(result[key], value) : value;
  }
  return result;
}
