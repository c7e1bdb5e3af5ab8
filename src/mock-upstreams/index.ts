/**
 * Every mock provider in one place: tests start the subset they need, demo mode starts them all and points
 * one channel per provider at `upstreams.baseUrlFor(provider)`.
 */
import { providers, type ProviderId } from '../catalog/providers.js';
import { createAnthropicMock } from './anthropic.js';
import { createArkMock } from './ark.js';
import { createDashScopeVideoMock } from './dashscope-video.js';
import { createGeminiMock } from './gemini.js';
import { createKlingMock } from './kling.js';
import { createMockTaskControl, type MockTaskControl } from './mock-task-control.js';
import { createOpenAICompatibleMock } from './openai-compatible.js';
import { startMockUpstreams, type MockUpstreams, type MockUpstreamsLogger } from './server.js';
import type { MockProvider } from './types.js';

export { startMockUpstreams, type MockUpstreams, type MockUpstreamsLogger, type StartMockUpstreamsOptions } from './server.js';
export { createOpenAICompatibleMock, MOCK_BAD_API_KEY, openAICompatibleMockProviderIds, type OpenAICompatibleMockProviderId } from './openai-compatible.js';
export { countMockTokens } from './mock-chat-answer.js';
export { createAnthropicMock } from './anthropic.js';
export { createGeminiMock } from './gemini.js';
export { createArkMock } from './ark.js';
export { createKlingMock, klingMockCredentials } from './kling.js';
export { createDashScopeVideoMock } from './dashscope-video.js';
export { createMockTaskControl, type MockTaskControl } from './mock-task-control.js';
export type { MockCall, MockContext, MockFault, MockProvider, MockRequest } from './types.js';

/**
 * Mocks per catalog provider. DashScope serves compatible-mode chat and Wan video tasks under one provider
 * id, so `alibaba` combines handlers. Video mocks share one task control.
 */
const mockFactories: Record<ProviderId, (tasks: MockTaskControl) => MockProvider> = {
  openai: () => createOpenAICompatibleMock('openai'),
  anthropic: () => createAnthropicMock(),
  google: () => createGeminiMock(),
  xai: () => createOpenAICompatibleMock('xai'),
  deepseek: () => createOpenAICompatibleMock('deepseek'),
  alibaba: (tasks) => combineMockProviders(createOpenAICompatibleMock('alibaba'), createDashScopeVideoMock(tasks)),
  zhipu: () => createOpenAICompatibleMock('zhipu'),
  minimax: () => createOpenAICompatibleMock('minimax'),
  xiaomi: () => createOpenAICompatibleMock('xiaomi'),
  moonshot: () => createOpenAICompatibleMock('moonshot'),
  bytedance: (tasks) => createArkMock(tasks),
  kling: (tasks) => createKlingMock(tasks),
};

/** Tries each handler in turn; the first that claims the path answers. */
export function combineMockProviders(...handlers: MockProvider[]): MockProvider {
  return async (req, res, ctx) => {
    for (const handler of handlers) {
      if (await handler(req, res, ctx)) return true;
    }
    return false;
  };
}

/** One mock per catalog ProviderId; video tasks live in `tasks` (tests advance them, demo mode auto-advances). */
export function createAllMockProviders(tasks: MockTaskControl = createMockTaskControl()): Record<ProviderId, MockProvider> {
  const all = {} as Record<ProviderId, MockProvider>;
  for (const { id } of providers) all[id] = mockFactories[id](tasks);
  return all;
}

export interface StartDemoUpstreamsOptions {
  host?: string;
  port?: number;
  logger?: MockUpstreamsLogger;
  /** Defaults to an auto-advancing control: a video task runs on its first poll and succeeds on its second. */
  tasks?: MockTaskControl;
}

export interface DemoUpstreams extends MockUpstreams {
  tasks: MockTaskControl;
}

/** Starts one server hosting every mock (demo mode and end-to-end tests). */
export async function startDemoUpstreams(options: StartDemoUpstreamsOptions = {}): Promise<DemoUpstreams> {
  const { tasks = createMockTaskControl({ autoAdvance: true }), ...serverOptions } = options;
  const upstreams = await startMockUpstreams({ ...serverOptions, providers: createAllMockProviders(tasks) });
  return Object.assign(upstreams, { tasks });
}
