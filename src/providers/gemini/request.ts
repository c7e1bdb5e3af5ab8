/**
 * OpenAI chat request → one Gemini `generateContent` / `streamGenerateContent?alt=sse` call.
 */
import type { ChatRequest } from '../openai/chat-types.js';
import type { RequestContext, TranslationWarning, UpstreamRequest, UpstreamTarget } from '../types.js';
import { toGeminiContents } from './contents.js';
import type { GeminiRequest } from './gemini-api.js';
import { toGeminiGenerationConfig } from './generation-config.js';
import { checkGeminiParams } from './param-support.js';
import { findGeminiThinkingProfile } from './thinking.js';
import { toGeminiTools } from './tools.js';

export interface GeminiRequestTranslation {
  request: UpstreamRequest;
  warnings: TranslationWarning[];
}

export async function toGeminiRequest(request: ChatRequest, target: UpstreamTarget, ctx: RequestContext): Promise<GeminiRequestTranslation> {
  const warnings = checkGeminiParams(request);
  const profile = findGeminiThinkingProfile(target.upstreamModel);
  const contents = await toGeminiContents(request.messages, ctx, { requireThoughtSignatures: profile?.style === 'level' });
  const tools = toGeminiTools(request);
  const generation = toGeminiGenerationConfig(request, target.upstreamModel);
  warnings.push(...contents.warnings, ...tools.warnings, ...generation.warnings);

  const body: GeminiRequest = { contents: contents.contents };
  if (contents.systemInstruction !== undefined) body.systemInstruction = contents.systemInstruction;
  if (tools.tools !== undefined) body.tools = tools.tools;
  if (tools.toolConfig !== undefined) body.toolConfig = tools.toolConfig;
  if (generation.config !== undefined) body.generationConfig = generation.config;

  const method = request.stream === true ? 'streamGenerateContent?alt=sse' : 'generateContent';
  return {
    request: {
      method: 'POST',
      url: `${target.baseUrl}/${toGeminiModelPath(target.upstreamModel)}:${method}`,
      headers: { 'content-type': 'application/json', 'x-goog-api-key': target.apiKey },
      body: JSON.stringify(body),
    },
    warnings,
  };
}

/** `gemini-2.5-flash` → `models/gemini-2.5-flash`; names with a collection (`tunedModels/x`) are used as given. */
export function toGeminiModelPath(upstreamModel: string): string {
  return upstreamModel.includes('/') ? upstreamModel : `models/${upstreamModel}`;
}
