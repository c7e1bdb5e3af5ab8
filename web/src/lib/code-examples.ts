/**
 * Copy-ready request examples for one model, filled with this gateway's real base URL. The key is read from
 * an environment variable so a pasted example never carries a secret. Chat models also get the setup of the two
 * coding agents the gateway's other front doors serve: Claude Code (Anthropic Messages) and Codex (Responses).
 */

export type ExampleModality = 'chat' | 'image' | 'video';
type ApiLanguage = 'curl' | 'python' | 'javascript';
export type ExampleLanguage = ApiLanguage | 'claude-code' | 'codex';

export interface ExampleModel {
  id: string;
  modality: ExampleModality;
  /** Defaults for media models, when the catalog gives them. */
  imageSize?: string | undefined;
  videoDuration?: number | undefined;
  videoResolution?: string | undefined;
}

const API_LANGUAGES: readonly ApiLanguage[] = ['curl', 'python', 'javascript'];
const AGENT_LANGUAGES: readonly ExampleLanguage[] = ['claude-code', 'codex'];

function isApiLanguage(language: ExampleLanguage): language is ApiLanguage {
  return (API_LANGUAGES as readonly string[]).includes(language);
}

/** The example tabs a model gets: the coding agents only for chat models. */
export function exampleLanguagesFor(modality: ExampleModality): readonly ExampleLanguage[] {
  return modality === 'chat' ? [...API_LANGUAGES, ...AGENT_LANGUAGES] : API_LANGUAGES;
}
const KEY_VAR = 'TOKENHUB_API_KEY';

/** The opening lines every example of a language shares. */
const curlPost = (baseUrl: string, path: string) => [
  `curl ${baseUrl}${path} \\`,
  `  -H "Authorization: Bearer $${KEY_VAR}" \\`,
  '  -H "Content-Type: application/json" \\',
];
const pythonClient = (baseUrl: string) => ['import os', 'from openai import OpenAI', '', `client = OpenAI(base_url="${baseUrl}", api_key=os.environ["${KEY_VAR}"])`, ''];
const javascriptClient = (baseUrl: string) => ["import OpenAI from 'openai';", '', `const client = new OpenAI({ baseURL: '${baseUrl}', apiKey: process.env.${KEY_VAR} });`, ''];

function chatExample(language: ExampleLanguage, baseUrl: string, model: string): string {
  switch (language) {
    case 'claude-code':
      return [
        '# Claude Code calls /api/v1/messages (Anthropic Messages).',
        `export ANTHROPIC_BASE_URL="${baseUrl.replace(/\/v1$/, '')}"`,
        `export ANTHROPIC_AUTH_TOKEN="$${KEY_VAR}"`,
        `export ANTHROPIC_MODEL="${model}"`,
        `export ANTHROPIC_DEFAULT_HAIKU_MODEL="${model}"`,
        'claude',
      ].join('\n');
    case 'codex':
      return [
        '# ~/.codex/config.toml (Codex calls /api/v1/responses)',
        `model = "${model}"`,
        'model_provider = "tokenhub"',
        '',
        '[model_providers.tokenhub]',
        'name = "TokenHub"',
        `base_url = "${baseUrl}"`,
        `env_key = "${KEY_VAR}"`,
        'wire_api = "responses"',
        'supports_websockets = false',
      ].join('\n');
    case 'curl':
      return [
        ...curlPost(baseUrl, '/chat/completions'),
        `  -d '{`,
        `    "model": "${model}",`,
        '    "messages": [{"role": "user", "content": "Hello!"}]',
        `  }'`,
      ].join('\n');
    case 'python':
      return [
        ...pythonClient(baseUrl),
        'completion = client.chat.completions.create(',
        `    model="${model}",`,
        '    messages=[{"role": "user", "content": "Hello!"}],',
        ')',
        'print(completion.choices[0].message.content)',
      ].join('\n');
    case 'javascript':
      return [
        ...javascriptClient(baseUrl),
        'const completion = await client.chat.completions.create({',
        `  model: '${model}',`,
        "  messages: [{ role: 'user', content: 'Hello!' }],",
        '});',
        'console.log(completion.choices[0].message.content);',
      ].join('\n');
  }
}

function imageExample(language: ApiLanguage, baseUrl: string, model: string, size: string): string {
  switch (language) {
    case 'curl':
      return [
        ...curlPost(baseUrl, '/images/generations'),
        `  -d '{"model": "${model}", "prompt": "A lighthouse at dawn, watercolor", "size": "${size}"}'`,
      ].join('\n');
    case 'python':
      return [
        ...pythonClient(baseUrl),
        `image = client.images.generate(model="${model}", prompt="A lighthouse at dawn, watercolor", size="${size}")`,
        'print(image.data[0].url)',
      ].join('\n');
    case 'javascript':
      return [
        ...javascriptClient(baseUrl),
        `const image = await client.images.generate({ model: '${model}', prompt: 'A lighthouse at dawn, watercolor', size: '${size}' });`,
        'console.log(image.data[0].url);',
      ].join('\n');
  }
}

function videoExample(language: ApiLanguage, baseUrl: string, model: string, duration: number, resolution: string): string {
  const body = `{"model": "${model}", "prompt": "A paper boat drifting down a rainy street", "duration": ${duration}, "resolution": "${resolution}"}`;
  switch (language) {
    case 'curl':
      return [
        ...curlPost(baseUrl, '/videos/generations'),
        `  -d '${body}'`,
        '',
        '# Then poll the task until its status is "succeeded":',
        `curl ${baseUrl}/videos/generations/TASK_ID -H "Authorization: Bearer $${KEY_VAR}"`,
      ].join('\n');
    case 'python':
      return [
        'import os, time, requests',
        '',
        `BASE = "${baseUrl}"`,
        `HEADERS = {"Authorization": f"Bearer {os.environ['${KEY_VAR}']}"}`,
        '',
        `task = requests.post(f"{BASE}/videos/generations", headers=HEADERS, json=${body}).json()`,
        'while task["status"] not in ("succeeded", "failed"):',
        '    time.sleep(5)',
        '    task = requests.get(f"{BASE}/videos/generations/{task[\'id\']}", headers=HEADERS).json()',
        'print(task)',
      ].join('\n');
    case 'javascript':
      return [
        `const base = '${baseUrl}';`,
        `const headers = { Authorization: \`Bearer \${process.env.${KEY_VAR}}\`, 'Content-Type': 'application/json' };`,
        '',
        `let task = await (await fetch(\`\${base}/videos/generations\`, { method: 'POST', headers, body: JSON.stringify(${body}) })).json();`,
        "while (!['succeeded', 'failed'].includes(task.status)) {",
        '  await new Promise((resolve) => setTimeout(resolve, 5000));',
        '  task = await (await fetch(`${base}/videos/generations/${task.id}`, { headers })).json();',
        '}',
        'console.log(task);',
      ].join('\n');
  }
}

export function buildCodeExample(language: ExampleLanguage, baseUrl: string, model: ExampleModel): string {
  const base = baseUrl.replace(/\/+$/, '');
  // A media model has no agent tab; a stale selection falls back to cURL.
  const apiLanguage = isApiLanguage(language) ? language : 'curl';
  if (model.modality === 'image') return imageExample(apiLanguage, base, model.id, model.imageSize ?? '1024x1024');
  if (model.modality === 'video') return videoExample(apiLanguage, base, model.id, model.videoDuration ?? 5, model.videoResolution ?? '720p');
  return chatExample(language, base, model.id);
}
