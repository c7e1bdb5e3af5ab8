import { describe, expect, it } from 'vitest';
import { fitOutputLimit } from '../../../../src/api/anthropic/fit-output-limit.js';
import type { CatalogModel } from '../../../../src/catalog/schema.js';
import type { ChatRequest } from '../../../../src/providers/openai/chat-types.js';

const model = (maxOutputTokens: number) => ({ id: 'qwen/qwen-max', maxOutputTokens }) as CatalogModel;
const request = (max_tokens: number): ChatRequest => ({ model: 'qwen/qwen-max', messages: [{ role: 'user', content: 'Hi' }], max_tokens });

describe('fitOutputLimit', () => {
  it('lowers max_tokens above the model’s ceiling to the ceiling, and says so', () => {
    const fitted = fitOutputLimit(request(32_000), model(8192));
    expect(fitted.request.max_tokens).toBe(8192);
    expect(fitted.warnings).toEqual([{ param: 'max_tokens', message: expect.stringContaining('32000 was lowered to 8192') }]);
  });

  it('leaves a limit within the ceiling, a model without one and an unknown model alone', () => {
    for (const [req, m] of [
      [request(8192), model(8192)],
      [request(100_000), model(0)],
      [request(100_000), undefined],
    ] as const) {
      const fitted = fitOutputLimit(req, m);
      expect(fitted.request).toBe(req);
      expect(fitted.warnings).toEqual([]);
    }
  });
});
