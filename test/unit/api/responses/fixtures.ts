/**
 * Shared test inputs for the Responses front door: a request body, its echo, a completion and the chunk stream
 * that delivers the same answer (reasoning → text → two tool calls with interleaved argument deltas).
 */
import { toResponseEcho } from '../../../../src/api/responses/from-chat-completion.js';
import { parseResponsesBody } from '../../../../src/api/responses/responses-schema.js';
import { toChatRequest } from '../../../../src/api/responses/to-chat-request.js';
import type { ChatStreamContext } from '../../../../src/gateway/chat-dialect.js';
import type { OpenAIChatChunk, OpenAIChatCompletion, OpenAIFinishReason, OpenAIResponseMessage, OpenAIUsage } from '../../../../src/providers/openai/chat-types.js';

export const GENERATION_ID = 'gen-01JABCDEF';
export const CREATED = 1767225600;
export const MODEL = 'openai/gpt-5';

export const body = parseResponsesBody({
  model: MODEL,
  instructions: 'You are a coding agent.',
  input: 'List files and the date.',
  tools: [
    { type: 'function', name: 'shell', description: 'Runs a command', parameters: { type: 'object' }, strict: false },
    { type: 'web_search' },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: true,
  reasoning: { effort: 'medium', summary: 'auto' },
  stream: true,
  store: false,
});
export const echo = toResponseEcho(body);

export const usage: OpenAIUsage = {
  prompt_tokens: 1200,
  completion_tokens: 300,
  total_tokens: 1500,
  prompt_tokens_details: { cached_tokens: 1000 },
  completion_tokens_details: { reasoning_tokens: 120 },
  cost: 0.0042,
};

export function completion(message: Partial<OpenAIResponseMessage>, finish: OpenAIFinishReason | null = 'stop', withUsage: OpenAIUsage = usage): OpenAIChatCompletion {
  return {
    id: GENERATION_ID,
    object: 'chat.completion',
    created: CREATED,
    model: MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish, logprobs: null }],
    usage: withUsage,
  };
}

export const streamContext: ChatStreamContext = { id: GENERATION_ID, created: CREATED, model: MODEL, request: toChatRequest(body).request };

/** The answer the chunks below deliver, as one completion. */
export const fullAnswer = completion(
  {
    reasoning_content: 'Need ls and date.',
    content: 'Running both.',
    tool_calls: [
      { id: 'call_a', type: 'function', function: { name: 'shell', arguments: '{"cmd":"ls"}' } },
      { id: 'call_b', type: 'function', function: { name: 'shell', arguments: '{"cmd":"date"}' } },
    ],
  },
  'tool_calls',
);

type Delta = OpenAIChatChunk['choices'][number]['delta'];
export function chunk(delta: Delta, finish: OpenAIFinishReason | null = null): OpenAIChatChunk {
  return { id: GENERATION_ID, object: 'chat.completion.chunk', created: CREATED, model: MODEL, choices: [{ index: 0, delta, finish_reason: finish }] };
}

export const fullAnswerChunks: OpenAIChatChunk[] = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ reasoning_content: 'Need ls ' }),
  chunk({ reasoning_content: 'and date.' }),
  chunk({ content: 'Running ' }),
  chunk({ content: 'both.' }),
  chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'shell', arguments: '' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"cmd":' } }] }),
  chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'shell', arguments: '{"cmd"' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: ':"date"}' } }] }),
  chunk({}, 'tool_calls'),
];
