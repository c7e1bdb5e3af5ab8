/**
 * Client messages → the upstream's message list: role renames, content part checks, image URL form, whether
 * `cache_control` hints stay and how an earlier turn's reasoning goes back, all as the provider's quirks row says.
 */
import { GatewayError } from '../../shared/errors.js';
import type { CatalogModel } from '../../catalog/schema.js';
import type { ChatContentPart, ChatMessage } from '../openai/chat-types.js';
import type { TranslationWarning } from '../types.js';
import type { OpenAICompatibleQuirks } from './quirks.js';

export interface OpenAICompatibleMessagesOutcome {
  messages: Array<Record<string, unknown>>;
  warnings: TranslationWarning[];
}

export function toOpenAICompatibleMessages(
  messages: readonly ChatMessage[],
  quirks: OpenAICompatibleQuirks,
  model: CatalogModel,
): OpenAICompatibleMessagesOutcome {
  let strippedReasoning = false;
  const out = messages.map((message, i) => {
    const copy: Record<string, unknown> = { ...message };
    if (message.role === 'developer' && quirks.developerRole === 'system') copy.role = 'system';
    if (quirks.cacheControl === 'strip') delete copy.cache_control;
    if (Array.isArray(message.content)) {
      copy.content = message.content.map((part, j) => {
        const sent = quirks.cacheControl === 'strip' ? withoutCacheControl(part) : part;
        return toUpstreamPart(sent, `messages[${i}].content[${j}]`, quirks, model);
      });
    }
    if (message.role === 'assistant') strippedReasoning = moveReasoning(copy, quirks) || strippedReasoning;
    return copy;
  });
  const warnings: TranslationWarning[] = strippedReasoning
    ? [{ param: 'messages[].reasoning_content', message: 'reasoning_content of earlier turns was not sent: this provider does not take it back.' }]
    : [];
  return { messages: out, warnings };
}

/**
 * A copy without Anthropic's `cache_control` hint, for upstreams that reject the unknown field. No warning: they
 * cache prompts automatically, so nothing the client asked for is lost.
 */
export function withoutCacheControl<T extends Readonly<Record<string, unknown>>>(value: T): T {
  if (!Object.hasOwn(value, 'cache_control')) return value;
  const copy: Record<string, unknown> = { ...value };
  delete copy.cache_control;
  return copy as T;
}

function toUpstreamPart(part: ChatContentPart, param: string, quirks: OpenAICompatibleQuirks, model: CatalogModel): unknown {
  if (quirks.contentParts !== 'any' && !quirks.contentParts.includes(part.type)) {
    throw new GatewayError('unsupported_parameter', { param, message: `Content parts of type "${part.type}" are not supported by this model.` });
  }
  if (part.type !== 'image_url') return part;
  if (!model.capabilities.vision) {
    throw new GatewayError('unsupported_parameter', { param, message: 'This model does not take image input.' });
  }
  const image = part.image_url;
  if (quirks.imageDataUrl === 'strip-prefix' && image.url.startsWith('data:')) {
    const comma = image.url.indexOf(',');
    return { ...part, image_url: { ...image, url: image.url.slice(comma + 1) } };
  }
  return part;
}

/** Returns true when reasoning text was removed without being carried over. */
function moveReasoning(message: Record<string, unknown>, quirks: OpenAICompatibleQuirks): boolean {
  const reasoning = message.reasoning_content;
  if (typeof reasoning !== 'string' || reasoning === '') {
    delete message.reasoning_content;
    return false;
  }
  switch (quirks.assistantReasoning) {
    case 'field':
      return false;
    case 'strip':
      delete message.reasoning_content;
      return true;
    case 'think-tags':
      // MiniMax needs the whole earlier turn, thinking included, to keep its reasoning chain.
      delete message.reasoning_content;
      message.content = prependThinkBlock(reasoning, message.content);
      return false;
    default:
      return quirks.assistantReasoning satisfies never;
  }
}

function prependThinkBlock(reasoning: string, content: unknown): unknown {
  const block = `<think>\n${reasoning}\n</think>\n\n`;
  if (Array.isArray(content)) return [{ type: 'text', text: block }, ...content];
  return block + (typeof content === 'string' ? content : '');
}
