/**
 * Anthropic's `max_tokens` is required, and Claude Code sends a large one (32,000 or more) whatever the model.
 * Models with a smaller output ceiling would refuse the whole request upstream, so on this front door the
 * limit is lowered to the model's maximum and the change is named in the warnings. It changes no answer: the
 * model could not write more than its maximum anyway.
 */
import type { CatalogModel } from '../../catalog/schema.js';
import type { ChatRequest } from '../../providers/openai/chat-types.js';
import type { TranslationWarning } from '../../providers/types.js';

export function fitOutputLimit(request: ChatRequest, model: CatalogModel | undefined): { request: ChatRequest; warnings: TranslationWarning[] } {
  const ceiling = model?.maxOutputTokens ?? 0;
  if (ceiling <= 0 || request.max_tokens == null || request.max_tokens <= ceiling) return { request, warnings: [] };
  return {
    request: { ...request, max_tokens: ceiling },
    warnings: [{ param: 'max_tokens', message: `max_tokens ${request.max_tokens} was lowered to ${ceiling}, the most this model can write.` }],
  };
}
