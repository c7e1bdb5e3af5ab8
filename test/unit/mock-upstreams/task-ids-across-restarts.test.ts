/**
 * The video simulators' task ids never repeat across restarts. A demo gateway keeps its jobs in its database
 * while the simulators start empty: an id handed out again after a restart would let an old job poll, finish
 * with and be charged for another task's video.
 */
import { describe, expect, it } from 'vitest';
import { createArkMock } from '../../../src/mock-upstreams/ark.js';
import { createDashScopeVideoMock } from '../../../src/mock-upstreams/dashscope-video.js';
import { createKlingMock } from '../../../src/mock-upstreams/kling.js';
import { createMockTaskControl, type MockTaskControl } from '../../../src/mock-upstreams/mock-task-control.js';
import { startMockUpstreams } from '../../../src/mock-upstreams/server.js';
import type { MockProvider } from '../../../src/mock-upstreams/types.js';
import { arkVideoAdapter } from '../../../src/providers/ark/seedance-adapter.js';
import { dashscopeVideoAdapter } from '../../../src/providers/dashscope/wan-adapter.js';
import { createKlingVideoAdapter } from '../../../src/providers/kling/kling-adapter.js';
import { videoRequestSchema, type TaskTarget, type VideoTaskAdapter } from '../../../src/providers/task-types.js';
import { openMediaFixtures } from '../../support/media-fixtures.js';
import { sendUpstream } from '../../support/send-upstream.js';

interface Simulator {
  name: string;
  provider: string;
  family: string;
  apiKey: string;
  target: Partial<TaskTarget>;
  adapter: VideoTaskAdapter;
  mock(control: MockTaskControl): MockProvider;
  request: Record<string, unknown>;
}

const simulators: Simulator[] = [
  {
    name: 'Ark (Seedance)',
    provider: 'bytedance',
    family: 'ark',
    apiKey: 'test-ark-key',
    target: {},
    adapter: arkVideoAdapter,
    mock: (control) => createArkMock(control, { apiKey: 'test-ark-key' }),
    request: { model: 'bytedance/seedance-1.0-pro', prompt: 'A kitten yawns', duration: 5 },
  },
  {
    name: 'Kling',
    provider: 'kling',
    family: 'kling',
    apiKey: 'test-kling-access',
    target: { secretKey: 'test-kling-secret' },
    adapter: createKlingVideoAdapter(),
    mock: (control) => createKlingMock(control, { accessKey: 'test-kling-access', secretKey: 'test-kling-secret' }),
    request: { model: 'kling/kling-v1-6', prompt: 'A red fox in snow', duration: 5 },
  },
  {
    name: 'DashScope (Wan)',
    provider: 'alibaba',
    family: 'dashscope',
    apiKey: 'test-dashscope-key',
    target: {},
    adapter: dashscopeVideoAdapter,
    mock: (control) => createDashScopeVideoMock(control, { apiKey: 'test-dashscope-key' }),
    request: { model: 'alibaba/wan2.2-t2v-plus', prompt: 'A lantern festival' },
  },
];

/** One simulator process lifetime: a fresh task table and server, at a fixed instant. */
async function firstTaskIdOfARun(simulator: Simulator, nowMs: number): Promise<string> {
  const control = createMockTaskControl({ now: () => nowMs });
  const upstreams = await startMockUpstreams({ providers: { [simulator.provider]: simulator.mock(control) } });
  try {
    const fixtures = openMediaFixtures(simulator.family, { provider: simulator.provider, baseUrl: upstreams.baseUrlFor(simulator.provider), apiKey: simulator.apiKey });
    const parsed = videoRequestSchema.parse(simulator.request);
    const valid = simulator.adapter.validate(parsed, fixtures.model(parsed.model));
    const submission = await simulator.adapter.submit(valid, fixtures.target(parsed.model, simulator.target), { now: () => nowMs });
    const reply = await sendUpstream(submission.request);
    return simulator.adapter.parseSubmit(reply.status, reply.json, fixtures.target(parsed.model, simulator.target)).upstreamTaskId;
  } finally {
    await upstreams.close();
  }
}

describe.each(simulators)('$name simulator task ids', (simulator) => {
  it('differ between two runs started at the same instant', async () => {
    const instant = Date.UTC(2026, 0, 2, 3, 4, 5);
    const ids = new Set<string>();
    for (let run = 0; run < 5; run++) ids.add(await firstTaskIdOfARun(simulator, instant));
    expect(ids.size).toBe(5);
  });
});
