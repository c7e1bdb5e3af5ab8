/**
 * Model ids as Anthropic clients send them. Claude Code and the Anthropic SDKs name Claude models by Anthropic's
 * own ids (`claude-sonnet-4-5-20250929`), sometimes even when a gateway model was picked; those resolve to the
 * catalog's `anthropic/…` entry that serves them. Any other id is taken as a catalog id as it is.
 */
import type { CatalogModel } from '../../catalog/schema.js';

const DATE_SUFFIX = /-\d{8}$/;

export function resolveAnthropicModelId(catalog: { get(id: string): CatalogModel | undefined; list(): CatalogModel[] }, requested: string): string {
  if (catalog.get(requested) || requested.includes('/')) return requested;
  const undated = requested.replace(DATE_SUFFIX, '');
  const claude = catalog.list().filter((model) => model.provider === 'anthropic' && model.enabled);
  const match =
    claude.find((model) => model.upstreamModel === requested) ??
    claude.find((model) => model.id === `anthropic/${requested}`) ??
    claude.find((model) => model.upstreamModel === undated || model.id === `anthropic/${undated}`);
  return match?.id ?? requested;
}
