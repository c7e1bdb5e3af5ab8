/**
 * Public video request → Seedance `POST /api/v3/contents/generations/tasks`: the prompt and input media
 * become the `content` array, parameters become body fields or, for models that need them, text commands.
 */
import type {
  TaskTarget,
  TranslationWarning,
  UpstreamRequest,
  ValidatedVideoRequest,
  VideoMedia,
} from '../task-types.js';
import { getSeedanceTraits } from './seedance-models.js';

/**
 * Commands a client typed into the prompt. They are removed because Ark would let them override the fields
 * the job is priced on (a `--dur 10` in a prompt billed as 5 seconds).
 */
const promptCommandPattern =
  /(^|\s)--(rs|resolution|rt|ratio|dur|duration|fps|framespersecond|seed|cf|camerafixed|wm|watermark|frames)\s+\S+/gi;

export function stripSeedanceCommands(prompt: string): { prompt: string; stripped: boolean } {
  const cleaned = prompt.replace(promptCommandPattern, '$1').replace(/\s{2,}/g, ' ').trim();
  return { prompt: cleaned, stripped: cleaned !== prompt.trim() };
}

/** The legacy text-command suffix: `--rs 720p --rt 16:9 --dur 5 --seed 1 --cf false --wm false`. */
export function toSeedanceTextCommands(request: ValidatedVideoRequest): string {
  const commands = [`--rs ${request.resolution.toLowerCase()}`];
  if (request.aspect_ratio !== undefined) commands.push(`--rt ${request.aspect_ratio}`);
  commands.push(`--dur ${request.duration}`);
  if (request.seed !== undefined) commands.push(`--seed ${request.seed}`);
  if (request.camera_fixed !== undefined) commands.push(`--cf ${request.camera_fixed}`);
  commands.push('--wm false');
  return commands.join(' ');
}

function toSeedanceMediaContent(media: VideoMedia): Array<Record<string, unknown>> {
  const content: Array<Record<string, unknown>> = [];
  const image = (url: string, role: string) => ({ type: 'image_url', image_url: { url }, role });
  if (media.firstFrame !== undefined) content.push(image(media.firstFrame, 'first_frame'));
  if (media.lastFrame !== undefined) content.push(image(media.lastFrame, 'last_frame'));
  for (const url of media.referenceImages) content.push(image(url, 'reference_image'));
  for (const url of media.referenceVideos) content.push({ type: 'video_url', video_url: { url }, role: 'reference_video' });
  for (const url of media.referenceAudios) content.push({ type: 'audio_url', audio_url: { url }, role: 'reference_audio' });
  return content;
}

function toSeedanceFields(request: ValidatedVideoRequest, audio: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = { resolution: request.resolution.toLowerCase() };
  if (request.aspect_ratio !== undefined) fields.ratio = request.aspect_ratio;
  fields.duration = request.duration;
  if (request.seed !== undefined) fields.seed = request.seed;
  if (request.camera_fixed !== undefined) fields.camera_fixed = request.camera_fixed;
  // Only audio models know the field; a silent model is asked for nothing it cannot do.
  if (request.generate_audio !== undefined && audio) fields.generate_audio = request.generate_audio;
  fields.watermark = false;
  return fields;
}

function collectSeedanceWarnings(request: ValidatedVideoRequest, stripped: boolean): TranslationWarning[] {
  const warnings: TranslationWarning[] = [];
  if (stripped) {
    warnings.push({ param: 'prompt', message: 'Text commands (--dur, --rs, ...) were removed from the prompt; use the request fields.' });
  }
  if (request.negative_prompt !== undefined) {
    warnings.push({ param: 'negative_prompt', message: 'Seedance has no negative prompt; it was ignored.' });
  }
  if (request.cfg_scale !== undefined) {
    warnings.push({ param: 'cfg_scale', message: 'Seedance has no cfg_scale; it was ignored.' });
  }
  if (request.prompt_extend !== undefined) {
    warnings.push({ param: 'prompt_extend', message: 'Seedance has no prompt_extend; it was ignored.' });
  }
  return warnings;
}

export function toSeedanceRequest(
  request: ValidatedVideoRequest,
  target: TaskTarget,
): { request: UpstreamRequest; warnings: TranslationWarning[] } {
  const { parameterStyle } = getSeedanceTraits(target.upstreamModel);
  const { prompt, stripped } = stripSeedanceCommands(request.prompt ?? '');
  const text = parameterStyle === 'text-commands' ? `${prompt} ${toSeedanceTextCommands(request)}`.trim() : prompt;
  const content = [...(text === '' ? [] : [{ type: 'text', text }]), ...toSeedanceMediaContent(request.media)];
  const body = {
    model: target.upstreamModel,
    content,
    ...(parameterStyle === 'fields' ? toSeedanceFields(request, target.model.video?.audio === true) : {}),
  };
  return {
    request: {
      method: 'POST',
      url: `${target.baseUrl}/api/v3/contents/generations/tasks`,
      headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
    warnings: collectSeedanceWarnings(request, stripped),
  };
}

export function toSeedancePollRequest(upstreamTaskId: string, target: TaskTarget): UpstreamRequest {
  return {
    method: 'GET',
    url: `${target.baseUrl}/api/v3/contents/generations/tasks/${encodeURIComponent(upstreamTaskId)}`,
    headers: { authorization: `Bearer ${target.apiKey}` },
  };
}
