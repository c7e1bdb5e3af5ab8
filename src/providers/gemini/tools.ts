/**
 * OpenAI `tools` / `tool_choice` → Gemini `tools[].functionDeclarations` and `toolConfig.functionCallingConfig`.
 *
 * Parameters go as Gemini's OpenAPI-subset `parameters` when they convert. A schema that uses what the subset
 * cannot express (a value of any type, `exclusiveMinimum`, `patternProperties`, …), common in coding agents'
 * tools, goes whole as `parametersJsonSchema` instead of failing the request: the client validates the
 * arguments it receives anyway. (`response_format` schemas are still refused: there the client gets no second
 * chance to check what the model produced.)
 */
import { GatewayError } from '../../shared/errors.js';
import type { ChatRequest } from '../openai/chat-types.js';
import type { TranslationWarning } from '../types.js';
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from './gemini-api.js';
import { toGeminiSchema } from './json-schema.js';

export interface GeminiToolsTranslation {
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  warnings: TranslationWarning[];
}

export function toGeminiTools(request: ChatRequest): GeminiToolsTranslation {
  const warnings: TranslationWarning[] = [];
  const declarations = (request.tools ?? []).map((tool, i) => toGeminiDeclaration(tool.function, i, warnings));
  const toolConfig = toGeminiToolConfig(request.tool_choice ?? undefined, declarations);
  const out: GeminiToolsTranslation = { warnings };
  if (declarations.length > 0) out.tools = [{ functionDeclarations: declarations }];
  if (toolConfig !== undefined) out.toolConfig = toolConfig;
  return out;
}

type OpenAIFunction = NonNullable<ChatRequest['tools']>[number]['function'];

function toGeminiDeclaration(fn: OpenAIFunction, index: number, warnings: TranslationWarning[]): GeminiFunctionDeclaration {
  const declaration: GeminiFunctionDeclaration = { name: fn.name };
  if (fn.description !== undefined) declaration.description = fn.description;
  const param = `tools[${index}].function.parameters`;
  if (fn.parameters !== undefined && !isEmptyObjectSchema(fn.parameters)) {
    let converted: ReturnType<typeof toGeminiSchema>;
    try {
      converted = toGeminiSchema(fn.parameters, { param });
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const { $schema: _meta, ...jsonSchema } = fn.parameters;
      declaration.parametersJsonSchema = jsonSchema;
      warnings.push({ param, message: `${error.message} The schema was sent as parametersJsonSchema (JSON Schema) instead.` });
      return withStrictWarning(declaration, fn, index, warnings);
    }
    declaration.parameters = converted.schema;
    for (const message of converted.warnings) warnings.push({ param, message });
  }
  return withStrictWarning(declaration, fn, index, warnings);
}

function withStrictWarning(declaration: GeminiFunctionDeclaration, fn: OpenAIFunction, index: number, warnings: TranslationWarning[]): GeminiFunctionDeclaration {
  if (fn.strict === true) {
    warnings.push({
      param: `tools[${index}].function.strict`,
      message: 'Gemini has no strict mode for function declarations; arguments follow the schema but are not validated against it.',
    });
  }
  return declaration;
}

/** A function without arguments: Gemini wants no `parameters` rather than an OBJECT without properties. */
function isEmptyObjectSchema(schema: Record<string, unknown>): boolean {
  const properties = schema.properties;
  const noProperties = properties === undefined || (typeof properties === 'object' && properties !== null && Object.keys(properties).length === 0);
  const otherKeys = Object.keys(schema).filter((k) => !['type', 'properties', 'additionalProperties', 'required', '$schema', 'description', 'title'].includes(k));
  return schema.type === 'object' && noProperties && !schema.additionalProperties && otherKeys.length === 0;
}

function toGeminiToolConfig(
  choice: ChatRequest['tool_choice'] | undefined,
  declarations: GeminiFunctionDeclaration[],
): GeminiToolConfig | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (declarations.length === 0) {
    if (choice === 'auto' || choice === 'none') return undefined;
    throw new GatewayError('invalid_request', { param: 'tool_choice', message: 'tool_choice requires at least one tool in "tools".' });
  }
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  const name = choice.function.name;
  if (!declarations.some((d) => d.name === name)) {
    throw new GatewayError('invalid_request', { param: 'tool_choice', message: `tool_choice names "${name}", which is not in "tools".` });
  }
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [name] } };
}
