/**
 * Splits MiniMax M2 content of the form `<think>reasoning</think>answer` into reasoning and answer text, fed
 * in arbitrary pieces (stream deltas may cut a tag anywhere). Only a block that opens the message counts:
 * a `<think>` later in the answer is answer text.
 */

const OPEN = '<think>';
const CLOSE = '</think>';

export interface SplitThinkText {
  content: string;
  reasoning: string;
}

type SplitterState = 'start' | 'think-start' | 'think' | 'after' | 'content';

export class ThinkTagSplitter {
  private state: SplitterState = 'start';
  /** Text that may still turn out to be part of a tag, or whitespace not yet known to be inner. */
  private held = '';

  push(text: string): SplitThinkText {
    const out: SplitThinkText = { content: '', reasoning: '' };
    let input = this.held + text;
    this.held = '';
    for (;;) {
      switch (this.state) {
        case 'start': {
          const trimmed = input.trimStart();
          if (trimmed.startsWith(OPEN)) {
            input = trimmed.slice(OPEN.length);
            this.state = 'think-start';
          } else if (OPEN.startsWith(trimmed)) {
            this.held = input;
            return out;
          } else {
            this.state = 'content';
          }
          break;
        }
        case 'think-start':
        case 'after':
          input = input.trimStart();
          if (input === '') return out;
          this.state = this.state === 'after' ? 'content' : 'think';
          break;
        case 'think': {
          const close = input.indexOf(CLOSE);
          if (close >= 0) {
            out.reasoning += input.slice(0, close).trimEnd();
            input = input.slice(close + CLOSE.length);
            this.state = 'after';
            break;
          }
          const emitEnd = trailingHoldStart(input);
          out.reasoning += input.slice(0, emitEnd);
          this.held = input.slice(emitEnd);
          return out;
        }
        case 'content':
          out.content += input;
          return out;
        default:
          return this.state satisfies never;
      }
    }
  }

  /** Releases held text at the end of the message. */
  flush(): SplitThinkText {
    const held = this.held;
    this.held = '';
    if (this.state === 'start') return { content: held, reasoning: '' };
    return { content: '', reasoning: held.trimEnd() };
  }
}

/** Index from which the text must wait: a possible partial `</think>` and the whitespace before it. */
function trailingHoldStart(text: string): number {
  let end = text.length - partialTagLength(text, CLOSE);
  while (end > 0 && /\s/.test(text.charAt(end - 1))) end--;
  return end;
}

function partialTagLength(text: string, tag: string): number {
  for (let k = Math.min(tag.length - 1, text.length); k > 0; k--) {
    if (text.endsWith(tag.slice(0, k))) return k;
  }
  return 0;
}

/** Splits a complete message. */
export function splitThinkTags(text: string): SplitThinkText {
  const splitter = new ThinkTagSplitter();
  const first = splitter.push(text);
  const rest = splitter.flush();
  return { content: first.content + rest.content, reasoning: first.reasoning + rest.reasoning };
}
