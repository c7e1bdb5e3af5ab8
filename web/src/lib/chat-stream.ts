/**
 * Reading a streamed chat completion in the browser: incremental Server-Sent Events parsing (CRLF, events split
 * across chunks) and the OpenAI chunk shapes on top — answer text, reasoning, usage, and an in-stream error.
 */
export interface SseParser {
  push(text: string): string[];
  /** Whatever complete event was left without its blank line when the stream ended. */
  end(): string[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  let data: string[] = [];

  function takeLines(final: boolean): string[] {
    const events: string[] = [];
    // A chunk ending in "\r" may be half of a "\r\n": keep it until the next chunk says.
    const cut = !final && buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
    const held = buffer.slice(cut);
    const lines = buffer.slice(0, cut).split(/\r\n|\r|\n/);
    buffer = final ? '' : (lines.pop() ?? '') + held;
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) events.push(data.join('\n'));
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
    if (final && data.length > 0) {
      events.push(data.join('\n'));
      data = [];
    }
    return events;
  }

  return {
    push(text) {
      buffer += text;
      return takeLines(false);
    },
    end() {
      return takeLines(true);
    },
  };
}

export interface ChatStreamUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cost?: number;
  estimated?: boolean;
}

export interface ChatStreamHandlers {
  onContent(text: string): void;
  onReasoning(text: string): void;
  onUsage(usage: ChatStreamUsage): void;
  onFinish(reason: string): void;
}

/** An error the gateway sent inside an already started stream. */
export class ChatStreamError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ChatStreamError';
  }
}

interface ChunkShape {
  error?: { code?: string | null; message?: string };
  usage?: ChatStreamUsage | null;
  choices?: Array<{ delta?: { content?: string | null; reasoning_content?: string | null; reasoning?: string | null }; finish_reason?: string | null }>;
}

function handleChunk(payload: string, handlers: ChatStreamHandlers): boolean {
  if (payload.trim() === '[DONE]') return true;
  const chunk = JSON.parse(payload) as ChunkShape;
  if (chunk.error) throw new ChatStreamError(chunk.error.code ?? 'upstream_error', chunk.error.message ?? '');
  for (const choice of chunk.choices ?? []) {
    const reasoning = choice.delta?.reasoning_content ?? choice.delta?.reasoning;
    if (reasoning) handlers.onReasoning(reasoning);
    if (choice.delta?.content) handlers.onContent(choice.delta.content);
    if (choice.finish_reason) handlers.onFinish(choice.finish_reason);
  }
  if (chunk.usage) handlers.onUsage(chunk.usage);
  return false;
}

/** Feeds every chunk of `body` to the handlers; resolves at `[DONE]` or the end of the body. */
export async function readChatStream(body: ReadableStream<Uint8Array>, handlers: ChatStreamHandlers): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const events = done ? [...parser.push(decoder.decode()), ...parser.end()] : parser.push(decoder.decode(value, { stream: true }));
      for (const event of events) {
        if (handleChunk(event, handlers)) return;
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}
