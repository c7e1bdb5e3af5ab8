/**
 * OpenAI message content (a string or parts) → Anthropic content blocks. Empty text is dropped rather than
 * filled in: Anthropic rejects empty text blocks, and placeholder text would change what the model reads.
 * A text part's `cache_control` (Anthropic's prompt-caching breakpoint, as OpenRouter and our `/messages` front
 * door carry it) stays on its block.
 */
import { GatewayError } from '../../shared/errors.js';
import type { CatalogModel } from '../../catalog/schema.js';
import type { ChatContentPart } from '../openai/chat-types.js';
import type { AnthropicCacheControl, AnthropicImageBlock, AnthropicTextBlock } from './anthropic-api.js';

const SUPPORTED_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

type Content = string | ChatContentPart[] | null | undefined;

/** User and tool content: text and images. `param` is the message path, e.g. `messages[2]`. */
export function toAnthropicUserBlocks(content: Content, param: string, model: CatalogModel): Array<AnthropicTextBlock | AnthropicImageBlock> {
  if (content == null) return [];
  if (typeof content === 'string') return textBlock(content);
  return content.flatMap((part, j): Array<AnthropicTextBlock | AnthropicImageBlock> => {
    const partParam = `${param}.content[${j}]`;
    if (part.type === 'text' && 'text' in part && typeof part.text === 'string') return textBlock(part.text, readCacheControl(part, partParam));
    if (part.type === 'image_url') return [toAnthropicImageBlock(part.image_url.url, partParam, model)];
    throw unsupportedPart(part.type, partParam);
  });
}

/** System, developer and assistant content: text only (assistant `refusal` parts are text the model said). */
export function toAnthropicTextBlocks(content: Content, param: string): AnthropicTextBlock[] {
  if (content == null) return [];
  if (typeof content === 'string') return textBlock(content);
  return content.flatMap((part, j) => {
    if (part.type === 'text' && 'text' in part && typeof part.text === 'string') return textBlock(part.text, readCacheControl(part, `${param}.content[${j}]`));
    if (part.type === 'refusal' && 'refusal' in part && typeof part.refusal === 'string') return textBlock(part.refusal);
    throw unsupportedPart(part.type, `${param}.content[${j}]`);
  });
}

export function toAnthropicImageBlock(url: string, param: string, model: CatalogModel): AnthropicImageBlock {
  if (!model.capabilities.vision) {
    throw new GatewayError('unsupported_parameter', { param, message: 'This model does not accept image input.' });
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  const match = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (match === null) {
    throw new GatewayError('invalid_request', { param, message: 'An image URL must be an http(s) URL or a base64 data URL.' });
  }
  const mediaType = (match[1] ?? '').toLowerCase();
  if (!(match[2] ?? '').split(';').includes('base64')) {
    throw new GatewayError('invalid_request', { param, message: 'Image data URLs must be base64-encoded.' });
  }
  if (!SUPPORTED_IMAGE_TYPES.has(mediaType)) {
    throw new GatewayError('unsupported_parameter', {
      param,
      message: `Image type ${mediaType} is not supported; use JPEG, PNG, GIF or WebP.`,
    });
  }
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: match[3] ?? '' } };
}

function textBlock(text: string, cacheControl?: AnthropicCacheControl): AnthropicTextBlock[] {
  // Anthropic rejects blocks with no non-whitespace text, so whitespace-only text is dropped the same way.
  if (text.trim() === '') return [];
  return [cacheControl === undefined ? { type: 'text', text } : { type: 'text', text, cache_control: cacheControl }];
}

/** `cache_control` of a part or tool: absent, or `{type: "ephemeral", ttl?: "5m" | "1h"}`; anything else is a 400. */
export function readCacheControl(holder: { cache_control?: unknown }, param: string): AnthropicCacheControl | undefined {
  const value = holder.cache_control;
  if (value === undefined || value === null) return undefined;
  const ttl = typeof value === 'object' ? (value as { ttl?: unknown }).ttl : undefined;
  if (typeof value !== 'object' || (value as { type?: unknown }).type !== 'ephemeral' || (ttl !== undefined && ttl !== '5m' && ttl !== '1h')) {
    throw new GatewayError('invalid_request', { param: `${param}.cache_control`, message: 'cache_control must be {"type": "ephemeral"}, with an optional "ttl" of "5m" or "1h".' });
  }
  return ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl };
}

function unsupportedPart(type: string, param: string): GatewayError {
  return new GatewayError('unsupported_parameter', { param, message: `Content parts of type "${type}" are not supported by Anthropic models.` });
}
