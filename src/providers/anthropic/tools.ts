/**
 * OpenAI `tools` / `tool_choice` / `parallel_tool_calls` → Anthropic `tools` / `tool_choice`, including the
 * synthetic JSON-mode tool. With client tools present the JSON tool joins them under `tool_choice: any`, so the
 * model either calls a client tool or answers through the JSON tool, as an OpenAI model would.
 */
import { GatewayError } from '../../shared/errors.js';
import type { CatalogModel } from '../../catalog/schema.js';
import type { ChatRequest } from '../openai/chat-types.js';
import type { TranslationWarning } from '../types.js';
import type { AnthropicTool, AnthropicToolChoice } from './anthropic-api.js';
import type { AnthropicJsonMode } from './json-mode.js';
import { readCacheControl } from './content.js';

export interface AnthropicToolConfig {
  tools: AnthropicTool[] | undefined;
  toolChoice: AnthropicToolChoice | undefined;
  warnings: TranslationWarning[];
}

export function toAnthropicTools(request: ChatRequest, model: CatalogModel, jsonMode: AnthropicJsonMode): AnthropicToolConfig {
  const warnings: TranslationWarning[] = [];
  const tools = toClientTools(request, model, warnings);
  let toolChoice = toClientToolChoice(request, tools);
  if (jsonMode.kind === 'tool' && toolChoice?.type !== 'tool') {
    if (tools.some((tool) => tool.name === jsonMode.tool.name)) {
      throw new GatewayError('invalid_request', { param: 'tools', message: `The tool name "${jsonMode.tool.name}" is reserved for JSON mode.` });
    }
    const answerOnly = tools.length === 0 || toolChoice?.type === 'none';
    tools.push(jsonMode.tool);
    toolChoice = answerOnly
      ? { type: 'tool', name: jsonMode.tool.name }
      : withParallelFlag({ type: 'any' }, request.parallel_tool_calls);
  }
  return { tools: tools.length > 0 ? tools : undefined, toolChoice, warnings };
}

function toClientTools(request: ChatRequest, model: CatalogModel, warnings: TranslationWarning[]): AnthropicTool[] {
  const tools = request.tools ?? [];
  if (tools.length > 0 && !model.capabilities.tools) {
    throw new GatewayError('unsupported_parameter', { param: 'tools', message: 'This model does not support tool calling.' });
  }
  return tools.map((tool, i) => {
    const { name, description, parameters, strict } = tool.function;
    const out: AnthropicTool = { name, ...(description !== undefined ? { description } : {}), input_schema: parameters ?? { type: 'object' } };
    const cacheControl = readCacheControl(tool, `tools[${i}]`);
    if (cacheControl !== undefined) out.cache_control = cacheControl;
    if (strict === true) {
      if (model.capabilities.json_schema) out.strict = true;
      else warnings.push({ param: `tools[${i}].function.strict`, message: 'Strict tool schemas are not supported by this model; ignored.' });
    }
    return out;
  });
}

function toClientToolChoice(request: ChatRequest, tools: AnthropicTool[]): AnthropicToolChoice | undefined {
  const choice = request.tool_choice;
  if (tools.length === 0) {
    if (choice === 'required' || (typeof choice === 'object' && choice !== null)) {
      throw new GatewayError('invalid_request', { param: 'tool_choice', message: 'tool_choice requires tools.' });
    }
    return undefined;
  }
  let mapped: AnthropicToolChoice | undefined;
  if (choice === 'auto') mapped = { type: 'auto' };
  else if (choice === 'none') mapped = { type: 'none' };
  else if (choice === 'required') mapped = { type: 'any' };
  else if (typeof choice === 'object' && choice !== null) {
    const name = choice.function.name;
    if (!tools.some((tool) => tool.name === name)) {
      throw new GatewayError('invalid_request', { param: 'tool_choice', message: `tool_choice names "${name}", which is not in tools.` });
    }
    mapped = { type: 'tool', name };
  }
  if (request.parallel_tool_calls === false && mapped?.type !== 'none') return withParallelFlag(mapped ?? { type: 'auto' }, false);
  return mapped;
}

function withParallelFlag(choice: AnthropicToolChoice, parallel: boolean | null | undefined): AnthropicToolChoice {
  return parallel === false ? { ...choice, disable_parallel_tool_use: true } : choice;
}
