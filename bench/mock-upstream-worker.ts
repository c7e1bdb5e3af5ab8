/**
 * Benchmark worker process: the OpenAI mock upstream alone on its own event loop, at 127.0.0.1:<any port>.
 * Run by gateway-overhead.ts through forkBenchWorker, not by hand.
 */
import { createOpenAICompatibleMock, startMockUpstreams } from '../src/mock-upstreams/index.js';
import { serveBenchWorker } from './serve-bench-worker.js';

const CALL_HISTORY_LIMIT = 1000;

serveBenchWorker(async () => {
  const upstreams = await startMockUpstreams({ host: '127.0.0.1', providers: { openai: createOpenAICompatibleMock('openai') } });
  // The mock records every call for tests; a benchmark sends thousands, so drop the history as it grows.
  const trimTimer = setInterval(() => {
    if (upstreams.calls.length > CALL_HISTORY_LIMIT) upstreams.reset();
  }, 1000);
  return {
    info: { baseUrl: upstreams.baseUrlFor('openai') },
    close: async () => {
      clearInterval(trimTimer);
      await upstreams.close();
    },
  };
});
