import type { OpenAIChatChunk } from '../providers/openai/chat-types.js';

/**
 * Collects what a stream actually delivered to the client, so a stream that ends without upstream usage
 * can be charged for its delivered part by counting tokens over it.
 */
export class DeliveredText {
  private parts: string[] = [];
  private count = 0;

  add(chunk: OpenAIChatChunk): void {
    for (const choice of chunk.choices) {
      const delta = choice.delta;
      if (delta.content) this.push(delta.content);
      if (delta.reasoning_content) this.push(delta.reasoning_content);
      if (delta.refusal) this.push(delta.refusal);
      for (const call of delta.tool_calls ?? []) {
        if (call.function?.name) this.push(call.function.name);
        if (call.function?.arguments) this.push(call.function.arguments);
      }
    }
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  text(): string {
    return this.parts.join('');
  }

  private push(text: string): void {
    this.parts.push(text);
    this.count += text.length;
  }
}
