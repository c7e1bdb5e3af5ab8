/** Zhipu documents `function.arguments` as an object; OpenAI clients expect a JSON string. */
export function toOpenAICompatibleArgumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}
