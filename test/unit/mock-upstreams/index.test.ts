import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../../src/catalog/providers.js';
import {
  combineMockProviders,
  createAllMockProviders,
  openAICompatibleMockProviderIds,
  startDemoUpstreams,
  type DemoUpstreams,
  type MockProvider,
} from '../../../src/mock-upstreams/index.js';
import { startMockUpstreams } from '../../../src/mock-upstreams/server.js';
import { getMock, postMockJson } from './mock-client.js';

describe('createAllMockProviders', () => {
  it('has exactly one mock per catalog provider', () => {
    const all = createAllMockProviders();
    expect(Object.keys(all).sort()).toEqual(providers.map((p) => p.id).sort());
    for (const id of openAICompatibleMockProviderIds) expect(all[id]).toBeTypeOf('function');
  });
});

describe('combineMockProviders', () => {
  it('lets the first handler that claims a path answer', async () => {
    const first: MockProvider = async (req, res, ctx) => {
      if (req.pathname !== '/one') return false;
      await ctx.sendJson(res, { from: 'first' });
      return true;
    };
    const second: MockProvider = async (req, res, ctx) => {
      if (req.pathname !== '/two') return false;
      await ctx.sendJson(res, { from: 'second' });
      return true;
    };
    const upstreams = await startMockUpstreams({ providers: { both: combineMockProviders(first, second) } });
    try {
      expect(JSON.parse((await getMock(`${upstreams.baseUrlFor('both')}/one`)).text)).toEqual({ from: 'first' });
      expect(JSON.parse((await getMock(`${upstreams.baseUrlFor('both')}/two`)).text)).toEqual({ from: 'second' });
      expect((await getMock(`${upstreams.baseUrlFor('both')}/three`)).status).toBe(404);
    } finally {
      await upstreams.close();
    }
  });
});

describe('startDemoUpstreams', () => {
  let upstreams: DemoUpstreams;
  beforeAll(async () => {
    upstreams = await startDemoUpstreams();
  });
  afterAll(() => upstreams.close());

  it('serves DashScope chat and Wan video tasks under the one alibaba prefix', async () => {
    const res = await request(`${upstreams.baseUrlFor('alibaba')}/api/v1/services/aigc/video-generation/video-synthesis`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json', 'x-dashscope-async': 'enable' },
      body: JSON.stringify({ model: 'wan2.5-t2v-preview', input: { prompt: 'a cat' }, parameters: { resolution: '720P', duration: 5 } }),
    });
    expect(res.statusCode).toBe(200);
    const created = (await res.body.json()) as { output: { task_id: string; task_status: string } };
    expect(created.output.task_status).toBe('PENDING');
    expect(upstreams.tasks.find(created.output.task_id)?.provider).toBe('alibaba');
  });

  it('serves each provider at its channel base URL', async () => {
    upstreams.reset();
    const qwen = await postMockJson(`${upstreams.baseUrlFor('alibaba')}/compatible-mode/v1/chat/completions`, {
      model: 'qwen-plus',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(JSON.parse(qwen.text).choices[0].message.content).toBe('You said: hi');
    const glm = await postMockJson(`${upstreams.baseUrlFor('zhipu')}/chat/completions`, { model: 'glm-4.5-air', messages: [{ role: 'user', content: 'hi' }] });
    expect(glm.status).toBe(200);
    expect(upstreams.calls.map((c) => c.provider)).toEqual(['alibaba', 'zhipu']);
  });
});
