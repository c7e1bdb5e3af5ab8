/**
 * How `response_format` is honoured on Anthropic, decided from the request and the catalog alone so the request
 * builder and the response translators always agree.
 *
 * - json_schema on a model with structured outputs (capabilities.json_schema) → `output_config.format`; the answer
 *   arrives as ordinary text.
 * - json_schema elsewhere, and json_object everywhere → a synthetic tool the model is made to call; its `input`
 *   becomes the message content. A forced tool is chosen over "system instruction + `{` prefill" because tool
 *   input is always a parsed JSON object, while prefill is refused by newer models and together with thinking,
 *   and an instruction alone does not guarantee valid JSON.
 */
import type { CatalogModel } from '../../catalog/schema.js';
import type { ChatRequest } from '../openai/chat-types.js';
import type { AnthropicTool } from './anthropic-api.js';

export const ANTHROPIC_JSON_TOOL_NAME = 'json_response';

export type AnthropicJsonMode =
  | { kind: 'none' }
  | { kind: 'native'; schema: Record<string, unknown> }
  | { kind: 'tool'; tool: AnthropicTool };

export function resolveAnthropicJsonMode(request: ChatRequest, model: CatalogModel): AnthropicJsonMode {
  const format = request.response_format;
  if (format == null || format.type === 'text') return { kind: 'none' };
  if (format.type === 'json_schema' && format.json_schema.schema !== undefined) {
    const { name, description, schema } = format.json_schema;
    if (model.capabilities.json_schema) return { kind: 'native', schema };
    return {
      kind: 'tool',
      tool: {
        name: ANTHROPIC_JSON_TOOL_NAME,
        description: description ?? `Respond with a JSON object that matches the "${name}" schema.`,
        input_schema: schema,
      },
    };
  }
  // json_object, or json_schema without a schema: any JSON object is acceptable.
  return {
    kind: 'tool',
    tool: {
      name: ANTHROPIC_JSON_TOOL_NAME,
      description: 'Respond with a JSON object.',
      input_schema: { type: 'object', additionalProperties: true },
    },
  };
}

/** True when a tool_use block is the synthetic JSON answer rather than a call for the client to run. */
export function isAnthropicJsonToolUse(mode: AnthropicJsonMode, toolName: string): boolean {
  return mode.kind === 'tool' && toolName === mode.tool.name;
}
