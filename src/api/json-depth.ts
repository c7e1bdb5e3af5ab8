/**
 * How deeply a JSON text nests, measured on the raw text before any object is built. A body nested 100,000
 * levels parses into a chain of objects that later recursive code (JSON.stringify for token counts, zod, the
 * adapters) overflows the stack on; refusing it here, in one linear pass with no allocation per value, keeps
 * that depth out of the whole gateway.
 */

/** Deepest nesting of objects and arrays a request body may have; real tool schemas stay well under 30. */
export const MAX_JSON_DEPTH = 64;

interface Frame {
  array: boolean;
  /** Array frames: the index of the current element. */
  index: number;
  /** Object frames: the raw JSON text of the current key (quotes included), as offsets into the text. */
  keyStart: number;
  keyEnd: number;
  /** Object frames: the next string is a key (just after `{` or `,`). */
  expectKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * The path (`['tools', 0, 'function', …]`) of the first object or array that opens deeper than `maxDepth`,
 * or undefined when the text stays within it. Malformed JSON is not judged here: the parser that runs next does.
 */
export function findExcessNesting(text: string, maxDepth: number = MAX_JSON_DEPTH): PropertyKey[] | undefined {
  const stack: Frame[] = [];
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const end = endOfString(text, i);
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        top.keyStart = i;
        top.keyEnd = end + 1;
        top.expectKey = false;
      }
      i = end;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (stack.length >= maxDepth) return pathOf(text, stack);
      stack.push({ array: code === OPEN_BRACKET, index: 0, keyStart: 0, keyEnd: 0, expectKey: code === OPEN_BRACE });
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      stack.pop();
    } else if (code === COMMA) {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else if (top) top.expectKey = true;
    }
  }
  return undefined;
}

/** Index of the quote closing the string that opens at `start` (or the last index when it never closes). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) return text.length - 1;
    // The quote is escaped when an odd number of backslashes precede it.
    let backslashes = 0;
    while (quote - 1 - backslashes > start && text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

function pathOf(text: string, stack: Frame[]): PropertyKey[] {
  return stack.map((frame) => (frame.array ? frame.index : keyText(text.slice(frame.keyStart, frame.keyEnd))));
}

function keyText(raw: string): string {
  try {
    const key: unknown = JSON.parse(raw);
    return typeof key === 'string' ? key : raw;
  } catch {
    return raw;
  }
}
