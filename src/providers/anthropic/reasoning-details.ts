/**
 * Signed thinking blocks across the OpenAI wire. Anthropic requires the thinking blocks of the assistant turn
 * being continued (a tool loop) to come back unchanged, so they travel in OpenRouter's `reasoning_details`
 * shape: `reasoning.text` carries a thinking block with its signature, `reasoning.encrypted` a redacted one.
 *
 * Clients that drop unknown fields lose them; request.ts then turns thinking off for that one continuation, which
 * Anthropic accepts. Carrying the blocks inside tool-call ids was rejected: the id would grow by the whole thinking
 * text, OpenAI refuses tool-call ids over 40 characters (so a conversation moved to an OpenAI model would break),
 * and some clients truncate ids at 64.
 */
import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import type { TranslationWarning } from '../types.js';
import type { AnthropicRedactedThinkingBlock, AnthropicThinkingBlock } from './anthropic-api.js';

export const ANTHROPIC_REASONING_FORMAT = 'anthropic-claude-v1';

export type AnthropicReasoningDetail =
  | { type: 'reasoning.text'; text: string; signature: string | null; format: string; index: number }
  | { type: 'reasoning.encrypted'; data: string; format: string; index: number };

export type AnthropicThinkingLike = AnthropicThinkingBlock | AnthropicRedactedThinkingBlock;

const incomingDetailsSchema = z.array(
  z.looseObject({
    type: z.string(),
    text: z.string().nullish(),
    signature: z.string().nullish(),
    data: z.string().nullish(),
    format: z.string().nullish(),
  }),
);

/** Thinking blocks of one response → `reasoning_details`, in block order. */
export function fromAnthropicThinkingBlocks(
  blocks: ReadonlyArray<{ type: 'thinking'; thinking: string; signature?: string | null } | AnthropicRedactedThinkingBlock>,
): AnthropicReasoningDetail[] {
  return blocks.map((block, index) =>
    block.type === 'thinking'
      ? { type: 'reasoning.text', text: block.thinking, signature: block.signature ?? null, format: ANTHROPIC_REASONING_FORMAT, index }
      : { type: 'reasoning.encrypted', data: block.data, format: ANTHROPIC_REASONING_FORMAT, index },
  );
}

export interface AnthropicThinkingRestore {
  blocks: AnthropicThinkingLike[];
  warnings: TranslationWarning[];
}

/**
 * `reasoning_details` of an incoming assistant message → thinking blocks. Entries Anthropic cannot verify
 * (no signature, or produced by another provider) are left out with a warning: sending them would fail.
 */
export function toAnthropicThinkingBlocks(value: unknown, param: string): AnthropicThinkingRestore {
  if (value === undefined || value === null) return { blocks: [], warnings: [] };
  const parsed = incomingDetailsSchema.safeParse(value);
  if (!parsed.success) {
    throw new GatewayError('invalid_request', { param, message: `${param} must be an array of reasoning detail objects.` });
  }
  const blocks: AnthropicThinkingLike[] = [];
  let skipped = 0;
  for (const detail of parsed.data) {
    const foreign = detail.format != null && !detail.format.startsWith('anthropic');
    if (detail.type === 'reasoning.text' && !foreign && typeof detail.text === 'string' && detail.signature) {
      blocks.push({ type: 'thinking', thinking: detail.text, signature: detail.signature });
    } else if (detail.type === 'reasoning.encrypted' && !foreign && detail.data) {
      blocks.push({ type: 'redacted_thinking', data: detail.data });
    } else if (detail.type !== 'reasoning.summary') {
      skipped += 1;
    }
  }
  const warnings =
    skipped === 0 ? [] : [{ param, message: `${skipped} reasoning detail(s) without an Anthropic signature were not sent upstream.` }];
  return { blocks, warnings };
}
