import { describe, expect, it } from 'vitest';
import { splitThinkTags, ThinkTagSplitter, type SplitThinkText } from '../../../../src/providers/openai-compatible/think-tag-splitter.js';

function feed(pieces: string[]): SplitThinkText {
  const splitter = new ThinkTagSplitter();
  const out: SplitThinkText = { content: '', reasoning: '' };
  for (const piece of [...pieces.map((p) => splitter.push(p)), splitter.flush()]) {
    out.content += piece.content;
    out.reasoning += piece.reasoning;
  }
  return out;
}

const messages: Array<[string, SplitThinkText]> = [
  ['<think>\nGreeting; reply briefly.\n</think>\n\nHello! How can I help?', { reasoning: 'Greeting; reply briefly.', content: 'Hello! How can I help?' }],
  ['\n<think>a < b, and </thin is not a tag</think>Answer', { reasoning: 'a < b, and </thin is not a tag', content: 'Answer' }],
  ['Plain answer with no thinking.', { reasoning: '', content: 'Plain answer with no thinking.' }],
  ['Answer first <think>not reasoning</think>', { reasoning: '', content: 'Answer first <think>not reasoning</think>' }],
  ['<b>bold</b>', { reasoning: '', content: '<b>bold</b>' }],
  ['<think>cut off mid thought', { reasoning: 'cut off mid thought', content: '' }],
  ['<think>\n\n</think>\n\nOnly answer', { reasoning: '', content: 'Only answer' }],
  ['<thi', { reasoning: '', content: '<thi' }],
  ['  ', { reasoning: '', content: '  ' }],
];

describe('MiniMax <think> splitting', () => {
  it.each(messages)('splits %j', (text, expected) => {
    expect(splitThinkTags(text)).toEqual(expected);
  });

  it.each(messages)('gives the same split for %j whatever the chunk boundaries', (text, expected) => {
    for (let i = 0; i <= text.length; i++) {
      expect(feed([text.slice(0, i), text.slice(i)]), `cut at ${i}`).toEqual(expected);
      for (let j = i; j <= text.length; j++) {
        expect(feed([text.slice(0, i), text.slice(i, j), text.slice(j)]), `cuts at ${i},${j}`).toEqual(expected);
      }
    }
    expect(feed([...text])).toEqual(expected);
  });

  it('streams reasoning before the closing tag arrives', () => {
    const splitter = new ThinkTagSplitter();
    expect(splitter.push('<think>step one')).toEqual({ content: '', reasoning: 'step one' });
    expect(splitter.push(' and two</th')).toEqual({ content: '', reasoning: ' and two' });
    expect(splitter.push('ink>\n\nDone')).toEqual({ content: 'Done', reasoning: '' });
  });
});
