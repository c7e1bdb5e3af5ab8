/** Shared expectations about what the official `openai` SDK sees. */
import OpenAI from 'openai';
import { expect } from 'vitest';

export type ApiError = InstanceType<typeof OpenAI.APIError>;

/** A chat model per provider id, for tests that go round every provider. */
export const chatModelPerProvider: Record<string, string> = {
  openai: 'openai/gpt-4.1',
  xai: 'x-ai/grok-4',
  deepseek: 'deepseek/deepseek-chat',
  alibaba: 'qwen/qwen-max',
  zhipu: 'z-ai/glm-4.6',
  minimax: 'minimax/minimax-m2',
  xiaomi: 'xiaomi/mimo-v2-flash',
  moonshot: 'moonshotai/kimi-k2-0905',
};

/** The promise rejects with an APIError of this status and code; returns it for further checks. */
export async function expectApiError(promise: Promise<unknown>, status: number, code: string): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  const apiError = error as ApiError;
  expect({ status: apiError.status, code: apiError.code }).toEqual({ status, code });
  return apiError;
}
