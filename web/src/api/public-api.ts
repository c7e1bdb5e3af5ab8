/**
 * Calls to the public `/api/v1` API with one of the user's own `th-` keys, exactly as any client would: the
 * playground is billed and logged like every other call.
 */
import { ApiError } from './client';

export async function publicRequest(apiKey: string, path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: `Bearer ${apiKey}`,
        accept: 'application/json, text/event-stream',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      // The key is the credential here; the dashboard cookie must not ride along.
      credentials: 'omit',
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', String(error));
  }
  if (!response.ok) {
    let code = 'http_error';
    let message = response.statusText;
    let param: string | null = null;
    try {
      const body = (await response.json()) as { error?: { code?: string; message?: string; param?: string | null } };
      code = body.error?.code ?? code;
      message = body.error?.message ?? message;
      param = body.error?.param ?? null;
    } catch (error) {
      // A non-JSON error body: the status alone tells the user what happened.
      message = String(error);
    }
    throw new ApiError(response.status, code, message, param);
  }
  return response;
}

export async function publicJson<T>(apiKey: string, path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const response = await publicRequest(apiKey, path, init);
  return (await response.json()) as T;
}
