/**
 * Upstream providers as data: who they are, which environment variables enable them, where their public
 * endpoint is. The per-protocol translation lives in src/providers/<wire-family>; this table only names them.
 */

export type WireFamily =
  | 'openai-compatible'
  | 'anthropic'
  | 'gemini'
  | 'ark-image'
  | 'ark-video'
  | 'kling-video'
  | 'dashscope-video'
  | 'openai-image'
  | 'gemini-image';

export type ProviderId =
  | 'openai'
  | 'anthropic'
  | 'google'
  | 'xai'
  | 'deepseek'
  | 'alibaba'
  | 'zhipu'
  | 'minimax'
  | 'xiaomi'
  | 'moonshot'
  | 'bytedance'
  | 'kling';

export interface ProviderInfo {
  id: ProviderId;
  name: string;
  /** Prefix of the conventional environment variables: `<PREFIX>_API_KEY`, `<PREFIX>_BASE_URL`. */
  envPrefix: string;
  /** Public endpoint. Adapters append their own paths to it. */
  defaultBaseUrl: string;
  /** Kling signs JWTs from an access key and a secret key instead of sending one API key. */
  credentials: 'api-key' | 'access-secret';
}

export const providers: readonly ProviderInfo[] = [
  { id: 'openai', name: 'OpenAI', envPrefix: 'OPENAI', defaultBaseUrl: 'https://api.openai.com/v1', credentials: 'api-key' },
  { id: 'anthropic', name: 'Anthropic', envPrefix: 'ANTHROPIC', defaultBaseUrl: 'https://api.anthropic.com', credentials: 'api-key' },
  { id: 'google', name: 'Google Gemini', envPrefix: 'GEMINI', defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta', credentials: 'api-key' },
  { id: 'xai', name: 'xAI', envPrefix: 'XAI', defaultBaseUrl: 'https://api.x.ai/v1', credentials: 'api-key' },
  { id: 'deepseek', name: 'DeepSeek', envPrefix: 'DEEPSEEK', defaultBaseUrl: 'https://api.deepseek.com', credentials: 'api-key' },
  { id: 'alibaba', name: 'Alibaba Cloud (Qwen, Wan)', envPrefix: 'DASHSCOPE', defaultBaseUrl: 'https://dashscope-intl.aliyuncs.com', credentials: 'api-key' },
  { id: 'zhipu', name: 'Zhipu GLM', envPrefix: 'ZHIPU', defaultBaseUrl: 'https://api.z.ai/api/paas/v4', credentials: 'api-key' },
  { id: 'minimax', name: 'MiniMax', envPrefix: 'MINIMAX', defaultBaseUrl: 'https://api.minimax.io/v1', credentials: 'api-key' },
  { id: 'xiaomi', name: 'Xiaomi MiMo', envPrefix: 'MIMO', defaultBaseUrl: 'https://api.xiaomimimo.com/v1', credentials: 'api-key' },
  { id: 'moonshot', name: 'Moonshot Kimi', envPrefix: 'MOONSHOT', defaultBaseUrl: 'https://api.moonshot.ai/v1', credentials: 'api-key' },
  { id: 'bytedance', name: 'ByteDance (Seedream, Seedance)', envPrefix: 'ARK', defaultBaseUrl: 'https://ark.ap-southeast.bytepluses.com', credentials: 'api-key' },
  { id: 'kling', name: 'Kling', envPrefix: 'KLING', defaultBaseUrl: 'https://api-singapore.klingai.com', credentials: 'access-secret' },
];

const byId = new Map(providers.map((p) => [p.id, p]));

export function getProvider(id: string): ProviderInfo | undefined {
  return byId.get(id as ProviderId);
}
