/**
 * The gateway's OpenAI chat completion → an OpenAI Responses `response` object, plus the pieces the stream
 * encoder shares with it (ids, output items, usage, the response envelope), so both say the same thing.
 *
 * - ids: generations are `gen-<id>`; the response is `resp_<id>` and its output items `rs_/msg_/fc_<id>_<index>`
 *   (the output index), so they are deterministic and the generation stays recognisable in logs.
 * - output order: a reasoning item (the reasoning text as one summary part), a message item (output_text, and
 *   a refusal part when the model refused), then one function_call item per tool call.
 * - The response echoes the request's settings (instructions, tools, tool_choice, temperature, …) as OpenAI
 *   does; `tools` lists the function tools actually offered, without dropped hosted tools. `output_text` is not
 *   sent: it is computed by the SDKs, not part of OpenAI's wire format.
 * - finish_reason length → status "incomplete" (max_output_tokens), content_filter → "incomplete"
 *   (content_filter); anything else completes.
 */
import type { OpenAIChatCompletion, OpenAIFinishReason, OpenAIResponseMessage, OpenAIUsage } from '../../providers/openai/chat-types.js';
import { isFunctionTool, type ResponsesBody } from './responses-schema.js';

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
  /** USD charged for the call, as OpenRouter adds it. */
  cost?: number;
  /** Counted by the gateway because the upstream reported no usage. */
  estimated?: true;
}

export interface ReasoningOutputItem {
  id: string;
  type: 'reasoning';
  summary: Array<{ type: 'summary_text'; text: string }>;
}
export type MessageContentPart = { type: 'output_text'; text: string; annotations: []; logprobs: [] } | { type: 'refusal'; refusal: string };
export interface MessageOutputItem {
  id: string;
  type: 'message';
  role: 'assistant';
  status: 'in_progress' | 'completed';
  content: MessageContentPart[];
}
export interface FunctionCallOutputItem {
  id: string;
  type: 'function_call';
  call_id: string;
  name: string;
  arguments: string;
  status: 'in_progress' | 'completed';
}
export type ResponseOutputItem = ReasoningOutputItem | MessageOutputItem | FunctionCallOutputItem;

type FunctionToolEcho = { type: 'function'; name: string; description: string | null; parameters: Record<string, unknown> | null; strict: boolean | null };

/** The request settings a response repeats. */
export interface ResponseEcho {
  instructions: string | null;
  metadata: Record<string, string>;
  max_output_tokens: number | null;
  parallel_tool_calls: boolean;
  temperature: number | null;
  top_p: number | null;
  tool_choice: NonNullable<ResponsesBody['tool_choice']>;
  tools: FunctionToolEcho[];
  text: Record<string, unknown> & { format: Record<string, unknown> };
  reasoning: { effort: string | null; summary: string | null };
  truncation: string;
  user?: string;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseObject extends ResponseEcho {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  error: { code: string; message: string } | null;
  model: string;
  output: ResponseOutputItem[];
  usage: ResponsesUsage | null;
  store: false;
  background: false;
  previous_response_id: null;
}

/** What identifies one response: generation id, creation time (seconds) and the public model id. */
export interface ResponseIdentity {
  generationId: string;
  created: number;
  model: string;
}

export interface ResponseOutcome {
  status: ResponseStatus;
  output: ResponseOutputItem[];
  usage: ResponsesUsage | null;
  incompleteDetails?: ResponseObject['incomplete_details'];
  error?: ResponseObject['error'];
}

export function toResponse(completion: OpenAIChatCompletion, echo: ResponseEcho): ResponseObject {
  const choice = completion.choices[0];
  const identity = { generationId: completion.id, created: completion.created, model: completion.model };
  return buildResponse(identity, echo, {
    ...toFinishedStatus(choice?.finish_reason ?? null),
    output: choice === undefined ? [] : toOutputItems(choice.message, completion.id),
    usage: toResponsesUsage(completion.usage),
  });
}

/** The one place a response object is assembled, for the non-stream answer and every stream snapshot. */
export function buildResponse(identity: ResponseIdentity, echo: ResponseEcho, outcome: ResponseOutcome): ResponseObject {
  return {
    id: toResponseId(identity.generationId),
    object: 'response',
    created_at: identity.created,
    status: outcome.status,
    incomplete_details: outcome.incompleteDetails ?? null,
    error: outcome.error ?? null,
    model: identity.model,
    output: outcome.output,
    usage: outcome.usage,
    ...echo,
    store: false,
    background: false,
    previous_response_id: null,
  };
}

export function toFinishedStatus(finishReason: OpenAIFinishReason | null): Pick<ResponseOutcome, 'status' | 'incompleteDetails'> {
  if (finishReason === 'length') return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter') return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
  return { status: 'completed' };
}

export function toResponseEcho(body: ResponsesBody): ResponseEcho {
  const echo: ResponseEcho = {
    instructions: body.instructions ?? null,
    metadata: body.metadata ?? {},
    max_output_tokens: body.max_output_tokens ?? null,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    temperature: body.temperature ?? null,
    top_p: body.top_p ?? null,
    tool_choice: body.tool_choice ?? 'auto',
    tools: (body.tools ?? []).filter(isFunctionTool).map((tool) => ({
      type: 'function',
      name: tool.name,
      description: tool.description ?? null,
      parameters: tool.parameters ?? null,
      strict: tool.strict ?? null,
    })),
    text: { ...body.text, format: body.text?.format ?? { type: 'text' } },
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    truncation: body.truncation ?? 'disabled',
  };
  if (body.user != null) echo.user = body.user;
  return echo;
}

export function toResponseId(generationId: string): string {
  return `resp_${idSuffix(generationId)}`;
}

export function toOutputItemId(kind: 'rs' | 'msg' | 'fc', generationId: string, outputIndex: number): string {
  return `${kind}_${idSuffix(generationId)}_${outputIndex}`;
}

/** Responses' input_tokens, like OpenAI's prompt_tokens, include cached tokens. */
export function toResponsesUsage(usage: OpenAIUsage | null | undefined): ResponsesUsage {
  const input = usage?.prompt_tokens ?? 0;
  const output = usage?.completion_tokens ?? 0;
  const out: ResponsesUsage = {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
      cache_write_tokens: usage?.prompt_tokens_details?.cache_write_tokens ?? 0,
    },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: input + output,
  };
  if (typeof usage?.cost === 'number') out.cost = usage.cost;
  if (usage?.estimated === true) out.estimated = true;
  return out;
}

export function toOutputText(text: string): MessageContentPart {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

function toOutputItems(message: OpenAIResponseMessage, generationId: string): ResponseOutputItem[] {
  const items: ResponseOutputItem[] = [];
  const reasoning = message.reasoning_content ?? '';
  if (reasoning !== '') {
    items.push({ id: toOutputItemId('rs', generationId, items.length), type: 'reasoning', summary: [{ type: 'summary_text', text: reasoning }] });
  }
  const content: MessageContentPart[] = [];
  if (message.content) content.push(toOutputText(message.content));
  if (message.refusal) content.push({ type: 'refusal', refusal: message.refusal });
  if (content.length > 0) {
    items.push({ id: toOutputItemId('msg', generationId, items.length), type: 'message', role: 'assistant', status: 'completed', content });
  }
  for (const call of message.tool_calls ?? []) {
    items.push({
      id: toOutputItemId('fc', generationId, items.length),
      type: 'function_call',
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: 'completed',
    });
  }
  return items;
}

function idSuffix(generationId: string): string {
  return generationId.startsWith('gen-') ? generationId.slice(4) : generationId;
}
