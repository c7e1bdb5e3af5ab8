/**
 * Front-door validation: values outside the OpenAI and Anthropic references, and bodies nested deeper than any
 * real request, are answered 400 naming the field, whatever the provider behind the model would have said.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const chatBase = { model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'hi' }] };
// A non-Anthropic model, so nothing but the front door stands between the value and the upstream.
const messagesBase = { model: 'deepseek/deepseek-chat', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };
const responsesBase = { model: 'deepseek/deepseek-chat', input: 'hi' };

/** `depth` nested arrays: `[[[…]]]`. */
function nestedArrays(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('front-door validation', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ providers: ['anthropic', 'deepseek'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function post(path: string, body: unknown): Promise<{ status: number; code: string | null; json: Record<string, any> }> {
    const response = await fetch(path.startsWith('/api/') ? `${t.url}${path}` : `${t.baseURL}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, code: response.headers.get('x-tokenhub-error-code'), json: (await response.json()) as Record<string, any> };
  }

  describe('chat completions refuse out-of-range values with 400 and param', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['n above 128', { n: 1000 }, 'n'],
      ['n of a billion', { n: 1e9 }, 'n'],
      ['n of zero', { n: 0 }, 'n'],
      ['max_tokens of a billion', { max_tokens: 1e9 }, 'max_tokens'],
      ['max_completion_tokens of a billion', { max_completion_tokens: 1e9 }, 'max_completion_tokens'],
      ['negative temperature', { temperature: -5 }, 'temperature'],
      ['temperature above 2', { temperature: 2.5 }, 'temperature'],
      ['top_p above 1', { top_p: 1.5 }, 'top_p'],
      ['presence_penalty below -2', { presence_penalty: -3 }, 'presence_penalty'],
      ['frequency_penalty above 2', { frequency_penalty: 9 }, 'frequency_penalty'],
      ['logit_bias as a string', { logit_bias: 'x' }, 'logit_bias'],
      ['logit_bias above 100', { logit_bias: { '50256': 101 } }, 'logit_bias.50256'],
      ['logit_bias keyed by a non-token', { logit_bias: { hello: 1 } }, 'logit_bias.hello'],
      ['top_logprobs above 20', { logprobs: true, top_logprobs: 21 }, 'top_logprobs'],
      ['logprobs as a string', { logprobs: 'yes' }, 'logprobs'],
      ['a fractional seed', { seed: 1.5 }, 'seed'],
      ['an unknown content part type', { messages: [{ role: 'user', content: [{ type: 'hologram', data: 'x' }] }] }, 'messages[0].content[0].type'],
      ['input_audio without its data', { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { format: 'wav' } }] }] }, 'messages[0].content[0].input_audio.data'],
    ];
    it.each(cases)('%s', async (_name, extra, param) => {
      const { status, json } = await post('/chat/completions', { ...chatBase, ...extra });
      expect(status).toBe(400);
      expect(json.error).toMatchObject({ type: 'invalid_request_error', param });
    });

    it('still accepts the edges of every range', async () => {
      const { status } = await post('/chat/completions', {
        ...chatBase,
        n: 1,
        temperature: 2,
        top_p: 0,
        presence_penalty: -2,
        frequency_penalty: 2,
        logit_bias: { '50256': -100, '1': 100 },
        logprobs: true,
        top_logprobs: 20,
        max_tokens: 64,
      });
      expect(status).toBe(200);
    });
  });

  describe('messages refuse out-of-range values with 400 naming the field', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['max_tokens of a billion', { max_tokens: 1e9 }, 'max_tokens'],
      ['temperature above 1', { temperature: 1.5 }, 'temperature'],
      ['negative temperature', { temperature: -5 }, 'temperature'],
      ['top_p above 1', { top_p: 2 }, 'top_p'],
      ['a fractional top_k', { top_k: 2.5 }, 'top_k'],
      ['a thinking budget of a billion', { thinking: { type: 'enabled', budget_tokens: 1e9 } }, 'thinking.budget_tokens'],
    ];
    it.each(cases)('%s', async (_name, extra, param) => {
      const { status, json } = await post('/messages', { ...messagesBase, ...extra });
      expect(status).toBe(400);
      expect(json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      expect(json.error.message).toContain(`(param: ${param})`);
    });
  });

  describe('responses refuse out-of-range values with 400 and param', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['max_output_tokens of a billion', { max_output_tokens: 1e9 }, 'max_output_tokens'],
      ['negative temperature', { temperature: -5 }, 'temperature'],
      ['top_p above 1', { top_p: 3 }, 'top_p'],
      ['top_logprobs above 20', { top_logprobs: 40 }, 'top_logprobs'],
    ];
    it.each(cases)('%s', async (_name, extra, param) => {
      const { status, json } = await post('/responses', { ...responsesBase, ...extra });
      expect(status).toBe(400);
      expect(json.error).toMatchObject({ type: 'invalid_request_error', param });
    });
  });

  describe('JSON nested deeper than 64 levels is refused at parse time', () => {
    it('a tool schema nested 100,000 levels is a 400 naming where it got too deep', async () => {
      const deep = `{"model":"deepseek/deepseek-chat","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"a":${nestedArrays(100_000)}}}}]}`;
      const { status, json } = await post('/chat/completions', deep);
      expect(status).toBe(400);
      expect(json.error.code).toBe('invalid_json');
      expect(json.error.param).toMatch(/^tools\[0\]\.function\.parameters\.a(\[0\])+$/);
    });

    it.each(['/messages', '/responses', '/messages/count_tokens', '/images/generations', '/api/billing/redeem'])('applies to %s too', async (path) => {
      const { status, code } = await post(path, `{"model":${nestedArrays(65)}}`);
      expect(status).toBe(400);
      expect(code).toBe('invalid_json');
    });

    it('brackets inside strings do not count as nesting', async () => {
      const { status } = await post('/chat/completions', { ...chatBase, messages: [{ role: 'user', content: '['.repeat(1000) + '{"\\"'.repeat(100) }] });
      expect(status).toBe(200);
    });

    it('a real tool schema 20 levels deep is accepted', async () => {
      let schema: Record<string, unknown> = { type: 'string' };
      for (let i = 0; i < 10; i++) schema = { type: 'object', properties: { inner: schema } };
      const { status } = await post('/chat/completions', { ...chatBase, tools: [{ type: 'function', function: { name: 'f', parameters: schema } }] });
      expect(status).toBe(200);
    });
  });
});
