/**
 * `reasoning_details`: the hub format's carrier for reasoning a provider needs back unchanged, in OpenRouter's
 * shape. This codec writes Anthropic's signed thinking into it and reads it back: `reasoning.text` carries a
 * thinking block with its signature, `reasoning.encrypted` a redacted one. Anthropic requires the thinking blocks
 * of the assistant turn being continued (a tool loop) to come back unchanged; the Anthropic adapter and the
 * Anthropic front door both go through here, so the two layers agree on one encoding.
 *
 * Clients that drop unknown fields lose them; the Anthropic adapter then turns thinking off for that one
 * continuation, which Anthropic accepts. Carrying the blocks inside tool-call ids was rejected: the id would grow
 * by the whole thinking text, OpenAI refuses tool-call ids over 40 characters (so a conversation moved to an
 * OpenAI model would break), and some clients truncate ids at 64.
 */
import { z } from 'zod';
import { GatewayError } from '../../shared/errors.js';
import type { TranslationWarning } from '../translation-warning.js';

export const ANTHROPIC_REASONING_FORMAT = 'anthropic-claude-v1';

/** An entry as the gateway writes it; `type` decides which fields it has. */
export type ReasoningDetail =
  | { type: 'reasoning.text'; text: string; signature: string | null; format: string; index: number }
  | { type: 'reasoning.encrypted'; data: string; format: string; index: number };

/** A thinking block as a response or a client's history holds it: a history may lack the signature. */
export type ThinkingBlockInput = { type: 'thinking'; thinking: string; signature?: string | null } | RedactedThinkingBlock;

/** A thinking block that can be sent back to Anthropic: signed, or redacted. */
export type SignedThinkingBlock = { type: 'thinking'; thinking: string; signature: string } | RedactedThinkingBlock;

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

/** What a client may send back: other providers' entries (e.g. `reasoning.summary`) have other fields. */
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
export function fromAnthropicThinkingBlocks(blocks: readonly ThinkingBlockInput[]): ReasoningDetail[] {
  return blocks.map((block, index) =>
    block.type === 'thinking'
      ? { type: 'reasoning.text', text: block.thinking, signature: block.signature ?? null, format: ANTHROPIC_REASONING_FORMAT, index }
      : { type: 'reasoning.encrypted', data: block.data, format: ANTHROPIC_REASONING_FORMAT, index },
  );
}

export interface AnthropicThinkingRestore {
  blocks: SignedThinkingBlock[];
  warnings: TranslationWarning[];
}

/**
 * `reasoning_details` as a client or an adapter sent it → thinking blocks. Entries Anthropic cannot verify (no
 * signature, or produced by another provider) are left out with a warning: sending them would fail. A value that
 * is not a list of objects is the client's mistake, refused with `param` named.
 */
export function toAnthropicThinkingBlocks(value: unknown, param: string): AnthropicThinkingRestore {
  if (value === undefined || value === null) return { blocks: [], warnings: [] };
  const parsed = incomingDetailsSchema.safeParse(value);
  if (!parsed.success) {
    throw new GatewayError('invalid_request', { param, message: `${param} must be an array of reasoning detail objects.` });
  }
  const blocks: SignedThinkingBlock[] = [];
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
