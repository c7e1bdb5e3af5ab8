/**
 * Rules the zod schema cannot state on its own: a model's modality, wire family, pricing kind and media
 * options must agree, and every request a model accepts must have a price. Checked at boot for the data
 * file and again for every admin patch, so billing never meets a model it cannot price.
 */
import { getProvider } from './providers.js';
import type { CatalogModel } from './schema.js';

export interface CatalogProblem {
  modelId: string;
  /** Field path inside the model, e.g. `pricing.kind` or `video.defaultDuration`. */
  path: string;
  message: string;
}

type Modality = CatalogModel['modality'];
type Family = CatalogModel['family'];

const familiesByModality: Record<Modality, readonly Family[]> = {
  chat: ['openai-compatible', 'anthropic', 'gemini'],
  image: ['ark-image', 'openai-image', 'gemini-image'],
  video: ['ark-video', 'kling-video', 'dashscope-video'],
};

const pricingKindByModality = { chat: 'tokens', image: 'image', video: 'video' } as const satisfies Record<Modality, string>;

export function findCatalogProblems(models: readonly CatalogModel[]): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const seen = new Set<string>();
  for (const model of models) {
    if (seen.has(model.id)) problems.push({ modelId: model.id, path: 'id', message: 'duplicate model id' });
    seen.add(model.id);
    problems.push(...findModelProblems(model));
  }
  return problems;
}

export function findModelProblems(model: CatalogModel): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ modelId: model.id, path, message });
  };
  if (!getProvider(model.provider)) add('provider', `unknown provider "${model.provider}"`);
  if (!familiesByModality[model.modality].includes(model.family)) {
    add('family', `family "${model.family}" cannot serve ${model.modality} models`);
  }
  const expectedKind = pricingKindByModality[model.modality];
  if (model.pricing.kind !== expectedKind) {
    add('pricing.kind', `${model.modality} models are priced by "${expectedKind}", not "${model.pricing.kind}"`);
  }
  if (model.modality === 'chat') checkChatModel(model, add);
  if (model.modality === 'image') checkImageModel(model, add);
  if (model.modality === 'video') checkVideoModel(model, add);
  return problems;
}

type AddProblem = (path: string, message: string) => void;

function checkChatModel(model: CatalogModel, add: AddProblem): void {
  if (model.image) add('image', 'chat models take no image options');
  if (model.video) add('video', 'chat models take no video options');
  if (model.contextLength <= 0) add('contextLength', 'chat models need a context length');
  if (model.maxOutputTokens <= 0) add('maxOutputTokens', 'chat models need a maximum output');
  if (model.maxOutputTokens > model.contextLength) add('maxOutputTokens', 'larger than the context length');
  if (model.family === 'anthropic' && model.defaultMaxTokens === undefined) {
    add('defaultMaxTokens', 'the anthropic protocol requires max_tokens, so the model needs a default');
  }
  if (model.defaultMaxTokens !== undefined && model.defaultMaxTokens > model.maxOutputTokens) {
    add('defaultMaxTokens', 'larger than maxOutputTokens');
  }
  if (model.pricing.kind === 'tokens') {
    checkLongContextTiers(model.pricing.longContext, 'pricing.longContext', add);
    for (const [tier, rates] of Object.entries(model.pricing.serviceTiers ?? {})) {
      checkLongContextTiers(rates.longContext, `pricing.serviceTiers.${tier}.longContext`, add);
    }
  }
}

/** Tiers are looked up from the longest prompt down, so their thresholds must rise strictly. */
function checkLongContextTiers(tiers: ReadonlyArray<{ aboveInputTokens: number }> | undefined, path: string, add: AddProblem): void {
  tiers?.forEach((tier, index) => {
    const previous = tiers[index - 1];
    if (previous !== undefined && tier.aboveInputTokens <= previous.aboveInputTokens) {
      add(`${path}.${index}.aboveInputTokens`, 'must be larger than the tier before it');
    }
  });
}

function checkImageModel(model: CatalogModel, add: AddProblem): void {
  if (model.video) add('video', 'image models take no video options');
  const options = model.image;
  if (!options) {
    add('image', 'image models need image options');
    return;
  }
  if (!options.sizes.includes(options.defaultSize)) add('image.defaultSize', `"${options.defaultSize}" is not in sizes`);
  if (model.pricing.kind !== 'image') return;
  for (const size of Object.keys(model.pricing.perImageBySize ?? {})) {
    if (!options.sizes.includes(size)) add(`pricing.perImageBySize.${size}`, `"${size}" is not in image.sizes`);
  }
}

function checkVideoModel(model: CatalogModel, add: AddProblem): void {
  if (model.image) add('image', 'video models take no image options');
  const options = model.video;
  if (!options) {
    add('video', 'video models need video options');
    return;
  }
  if (!options.durations.includes(options.defaultDuration)) {
    add('video.defaultDuration', `${options.defaultDuration} is not in durations`);
  }
  if (!options.resolutions.includes(options.defaultResolution)) {
    add('video.defaultResolution', `"${options.defaultResolution}" is not in resolutions`);
  }
  if (options.defaultMode !== undefined && !(options.modes ?? []).includes(options.defaultMode)) {
    add('video.defaultMode', `"${options.defaultMode}" is not in modes`);
  }
  if (options.modes && options.modes.length > 0 && options.defaultMode === undefined) {
    add('video.defaultMode', 'a model with modes needs a default mode');
  }
  if (model.pricing.kind !== 'video') return;
  checkVideoPriceRules(model.pricing.perSecond, options.modes, options.resolutions, add);
}

type VideoRule = { mode?: string | undefined; resolution?: string | undefined; usd: string };

function checkVideoPriceRules(
  rules: readonly VideoRule[],
  modes: readonly string[] | undefined,
  resolutions: readonly string[],
  add: AddProblem,
): void {
  rules.forEach((rule, index) => {
    if (rule.mode !== undefined && !(modes ?? []).includes(rule.mode)) {
      add(`pricing.perSecond.${index}.mode`, `"${rule.mode}" is not in video.modes`);
    }
    if (rule.resolution !== undefined && !resolutions.includes(rule.resolution)) {
      add(`pricing.perSecond.${index}.resolution`, `"${rule.resolution}" is not in video.resolutions`);
    }
  });
  const modeChoices: Array<string | undefined> = modes && modes.length > 0 ? [...modes] : [undefined];
  for (const mode of modeChoices) {
    for (const resolution of resolutions) {
      const priced = rules.some(
        (rule) => (rule.mode === undefined || rule.mode === mode) && (rule.resolution === undefined || rule.resolution === resolution),
      );
      if (!priced) add('pricing.perSecond', `no price for ${mode ? `mode "${mode}" at ` : ''}${resolution}`);
    }
  }
}
