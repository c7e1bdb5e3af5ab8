/**
 * Reads an OpenAI-compatible chat request the way the mocked provider would: rejects what the provider
 * rejects (with the provider's 400), and turns the rest into the prompt the deterministic answer needs.
 */
import type { MockChatPrompt, MockResponseFormat, MockTool, MockToolChoice } from './mock-chat-answer.js';
import type { OpenAICompatibleMockProviderId } from './openai-compatible-profiles.js';

export interface OpenAICompatibleMockRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  includeObfuscation: boolean;
  /** MiniMax: reasoning in `reasoning_details` instead of `<think>` tags. */
  reasoningSplit: boolean;
  /** Zhipu: stream tool arguments incrementally. */
  toolStream: boolean;
  prompt: MockChatPrompt;
}

export type OpenAICompatibleMockParse = { ok: true; request: OpenAICompatibleMockRequest } | { ok: false; message: string };

type Body = Record<string, unknown>;

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
/** Model-name hints that a request reasons (DeepSeek reasoner, R1 distills, *-thinking, *-think, OpenAI o-series). */
const REASONING_MODEL = /reasoner|thinking|r1|-think|^o\d/i;
/** Models that think unless told not to: GLM-4.5 onwards, every MiniMax M2 model. */
const REASONING_BY_DEFAULT: Partial<Record<OpenAICompatibleMockProviderId, RegExp>> = {
  zhipu: /^glm-(4\.[5-9]|5)/i,
  minimax: /./,
};

export function readOpenAICompatibleMockRequest(provider: OpenAICompatibleMockProviderId, body: unknown): OpenAICompatibleMockParse {
  if (!isRecord(body)) return { ok: false, message: 'We could not parse the JSON body of your request.' };
  if (typeof body.model !== 'string' || body.model === '') return { ok: false, message: 'you must provide a model parameter' };
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return { ok: false, message: "Invalid 'messages': messages must be a non-empty array." };
  }
  const badIndex = body.messages.findIndex((m) => !isRecord(m) || typeof m.role !== 'string' || !ROLES.has(m.role));
  if (badIndex !== -1) return { ok: false, message: `Invalid value for 'messages[${badIndex}].role'.` };
  const tools = readMockTools(body.tools);
  if (typeof tools === 'string') return { ok: false, message: tools };
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
  const request: OpenAICompatibleMockRequest = {
    model: body.model,
    stream: body.stream === true,
    includeUsage: streamOptions.include_usage === true,
    includeObfuscation: streamOptions.include_obfuscation !== false,
    reasoningSplit: body.reasoning_split === true,
    toolStream: body.tool_stream === true,
    prompt: readMockPrompt(provider, body, body.messages as Body[], tools),
  };
  const rejection = findProviderRejection(provider, body, request);
  return rejection ? { ok: false, message: rejection } : { ok: true, request };
}

function readMockPrompt(provider: OpenAICompatibleMockProviderId, body: Body, messages: Body[], tools: MockTool[]): MockChatPrompt {
  const texts = messages.map((m) => readMockMessageText(m));
  const last = messages[messages.length - 1];
  const lastUserIndex = messages.map((m) => m.role).lastIndexOf('user');
  const maxOutput = body.max_completion_tokens ?? body.max_tokens;
  return {
    lastUserText: lastUserIndex === -1 ? '' : (texts[lastUserIndex] ?? ''),
    toolResult: last?.role === 'tool' ? texts[texts.length - 1] : undefined,
    promptText: [...texts, ...(tools.length > 0 ? [JSON.stringify(body.tools)] : [])].join('\n'),
    imageCount: messages.reduce((n, m) => n + countMockImages(m.content), 0),
    tools,
    toolChoice: readMockToolChoice(body.tool_choice),
    parallelToolCalls: body.parallel_tool_calls !== false && body.parallel_function_calling !== false,
    responseFormat: readMockResponseFormat(body.response_format),
    reasoning: isMockReasoningRequest(provider, body),
    maxOutputTokens: typeof maxOutput === 'number' ? maxOutput : undefined,
  };
}

function findProviderRejection(provider: OpenAICompatibleMockProviderId, body: Body, request: OpenAICompatibleMockRequest): string | undefined {
  const format = request.prompt.responseFormat.type;
  const mentionsJson = /json/i.test(request.prompt.promptText);
  if ((provider === 'openai' || provider === 'deepseek') && format === 'json_object' && !mentionsJson) {
    return "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.";
  }
  if (provider === 'deepseek' && format === 'json_schema') return 'This response_format type is unavailable now';
  // DashScope only thinks while streaming; hybrid models must be told not to think otherwise.
  if (provider === 'alibaba' && request.prompt.reasoning && !request.stream) {
    return body.enable_thinking === true
      ? 'parameter.enable_thinking must be set to false for non-streaming calls'
      : 'This model only support stream mode, please enable the stream parameter to access the model.';
  }
  return undefined;
}

function isMockReasoningRequest(provider: OpenAICompatibleMockProviderId, body: Body): boolean {
  const thinking = isRecord(body.thinking) ? body.thinking.type : undefined;
  if (provider !== 'minimax' && (body.enable_thinking === false || thinking === 'disabled' || body.reasoning_effort === 'none')) {
    return false;
  }
  if (body.enable_thinking === true || thinking === 'enabled' || thinking === 'adaptive') return true;
  const model = String(body.model);
  if (REASONING_MODEL.test(model) || REASONING_BY_DEFAULT[provider]?.test(model)) return true;
  return typeof body.reasoning_effort === 'string';
}

function readMockTools(tools: unknown): MockTool[] | string {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) return "Invalid type for 'tools': expected an array.";
  const out: MockTool[] = [];
  for (const [i, tool] of tools.entries()) {
    const fn = isRecord(tool) && isRecord(tool.function) ? tool.function : undefined;
    if (!fn || typeof fn.name !== 'string' || fn.name === '') return `Missing required parameter: 'tools[${i}].function.name'.`;
    out.push({ name: fn.name, parameters: fn.parameters });
  }
  return out;
}

function readMockToolChoice(choice: unknown): MockToolChoice {
  if (choice === 'none' || choice === 'required') return choice;
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') return { name: choice.function.name };
  return 'auto';
}

function readMockResponseFormat(format: unknown): MockResponseFormat {
  if (!isRecord(format)) return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema') {
    const schema = isRecord(format.json_schema) ? format.json_schema.schema : undefined;
    return { type: 'json_schema', schema: schema ?? { type: 'object', properties: {} } };
  }
  return { type: 'text' };
}

function readMockMessageText(message: Body): string {
  const parts: string[] = [];
  const content = message.content;
  if (typeof content === 'string') parts.push(content);
  else if (Array.isArray(content)) {
    for (const part of content) if (isRecord(part) && typeof part.text === 'string') parts.push(part.text);
  }
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (isRecord(call) && isRecord(call.function)) parts.push(`${String(call.function.name)} ${String(call.function.arguments)}`);
    }
  }
  return parts.join('\n');
}

function countMockImages(content: unknown): number {
  return Array.isArray(content) ? content.filter((part) => isRecord(part) && part.type === 'image_url').length : 0;
}

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
