/**
 * Bounds every front door applies to what a request asks of a model, before anything is held or sent. They follow
 * the OpenAI and Anthropic references where those state one; the output-token bound is the gateway's own.
 */

/**
 * Most output tokens a request may ask for (max_tokens and its kin). No model writes more than a few hundred
 * thousand tokens in one answer; a million leaves room for growth while keeping a hold's worst case
 * (this × n choices × price) far inside exact integer arithmetic.
 */
export const MAX_OUTPUT_TOKENS = 1_000_000;

/** Most choices (`n`) one chat request may ask for, as in OpenAI's reference. */
export const MAX_CHOICES = 128;

/** Most alternatives per token (`top_logprobs`), as in OpenAI's reference. */
export const MAX_TOP_LOGPROBS = 20;
