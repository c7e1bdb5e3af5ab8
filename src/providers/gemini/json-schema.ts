/**
 * JSON Schema (what OpenAI clients send for tools and `response_format`) → the OpenAPI 3.0 subset Gemini
 * accepts as `Schema`. Local `$ref`s are inlined, `type: [x, "null"]` and `anyOf` with a null branch become
 * `nullable`. Constructs Gemini cannot express are rejected with the construct and its location named, never
 * dropped, because a dropped constraint would let the model produce output the client's validator refuses.
 * Pure annotations (`$schema`, `examples`, unknown keywords) carry no constraint and are left out.
 */
import { GatewayError } from '../../shared/errors.js';
import type { GeminiSchema, GeminiSchemaType } from './gemini-api.js';

type JsonObject = Record<string, unknown>;

export interface GeminiSchemaOptions {
  /** Request path reported in errors, e.g. `response_format.json_schema.schema`. */
  param: string;
  /** Pin Gemini's property order to the client's (Gemini otherwise orders keys alphabetically in JSON output). */
  propertyOrdering?: boolean;
}

export interface GeminiSchemaConversion {
  schema: GeminiSchema;
  /** Changes that cannot make valid output invalid (e.g. an integer format Gemini ignores). */
  warnings: string[];
}

/** Keywords with a validation meaning Gemini's Schema has no field for. */
const inexpressibleKeywords = [
  'patternProperties',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'if',
  'then',
  'else',
  'not',
  'contains',
  'minContains',
  'maxContains',
  'prefixItems',
  'additionalItems',
  'multipleOf',
  'exclusiveMinimum',
  'exclusiveMaximum',
  '$dynamicRef',
  '$recursiveRef',
] as const;

const numericKeywords = ['minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const;
const numberFormats: Record<string, readonly string[]> = { NUMBER: ['float', 'double'], INTEGER: ['int32', 'int64'] };

export function toGeminiSchema(jsonSchema: unknown, options: GeminiSchemaOptions): GeminiSchemaConversion {
  const converter = new GeminiSchemaConverter(jsonSchema, options);
  return { schema: converter.convert(jsonSchema, '#'), warnings: converter.warnings };
}

class GeminiSchemaConverter {
  readonly warnings: string[] = [];
  private readonly refStack: string[] = [];

  constructor(
    private readonly root: unknown,
    private readonly options: GeminiSchemaOptions,
  ) {}

  convert(node: unknown, path: string): GeminiSchema {
    if (!isObject(node)) return this.reject(path, 'a boolean or non-object schema');
    if (typeof node.$ref === 'string') return this.convertRef(node, node.$ref, path);
    this.rejectInexpressible(node, path);
    if (node.allOf !== undefined) return this.convertAllOf(node, path);
    if (node.anyOf !== undefined || node.oneOf !== undefined) return this.convertUnion(node, path);
    return this.convertTyped(node, path);
  }

  private convertRef(node: JsonObject, ref: string, path: string): GeminiSchema {
    if (this.refStack.includes(ref)) return this.reject(path, `recursive "$ref": "${ref}"`);
    const target = resolvePointer(this.root, ref);
    if (target === undefined) return this.reject(path, `"$ref": "${ref}" (only local #/… references that resolve)`);
    const { $ref: _ref, ...siblings } = node;
    this.refStack.push(ref);
    const schema = this.convert(isObject(target) ? { ...target, ...siblings } : target, path);
    this.refStack.pop();
    return schema;
  }

  private rejectInexpressible(node: JsonObject, path: string): void {
    for (const keyword of inexpressibleKeywords) if (node[keyword] !== undefined) this.reject(path, `"${keyword}"`);
    if (node.uniqueItems === true) this.reject(path, '"uniqueItems"');
    if (node.unevaluatedProperties !== undefined && node.unevaluatedProperties !== false) this.reject(path, '"unevaluatedProperties"');
    if (node.unevaluatedItems !== undefined && node.unevaluatedItems !== false) this.reject(path, '"unevaluatedItems"');
  }

  private convertAllOf(node: JsonObject, path: string): GeminiSchema {
    const { allOf, ...rest } = node;
    if (!Array.isArray(allOf) || allOf.length !== 1 || !isObject(allOf[0])) return this.reject(path, '"allOf" with more than one schema');
    return this.convert({ ...allOf[0], ...rest }, path);
  }

  private convertUnion(node: JsonObject, path: string): GeminiSchema {
    const { anyOf, oneOf, ...outer } = node;
    if (anyOf !== undefined && oneOf !== undefined) return this.reject(path, '"anyOf" together with "oneOf"');
    const keyword = anyOf !== undefined ? 'anyOf' : 'oneOf';
    const variants = anyOf ?? oneOf;
    if (!Array.isArray(variants) || variants.length === 0) return this.reject(path, `an empty "${keyword}"`);
    if (outer.type !== undefined || outer.properties !== undefined) return this.reject(path, `"${keyword}" combined with "type" or "properties"`);
    const nullable = variants.some(isNullSchema);
    const branches = variants.filter((v) => !isNullSchema(v));
    if (branches.length === 0) return { type: 'NULL' };
    if (branches.length === 1) return withNullable(this.convert({ ...(branches[0] as JsonObject), ...outer }, `${path}/${keyword}/0`), nullable);
    // oneOf becomes anyOf: every value valid under exactly one branch is also valid under anyOf.
    const schema: GeminiSchema = { anyOf: branches.map((v) => this.convert(v, `${path}/${keyword}/${variants.indexOf(v)}`)) };
    copyAnnotations(outer, schema);
    return withNullable(schema, nullable);
  }

  private convertTyped(node: JsonObject, path: string): GeminiSchema {
    const declared = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
    const { values, hasNull } = this.enumValues(node, path);
    const nullable = declared.includes('null') || hasNull || node.nullable === true;
    const types = declared.filter((t) => t !== 'null');
    if (types.length === 0) types.push(...inferType(node, values, declared.includes('null')));
    if (types.length === 0) return this.reject(path, 'a schema without "type" (any value)');
    if (types.length > 1) {
      const { type: _type, description, title, ...constraints } = node;
      const schema: GeminiSchema = { anyOf: types.map((t) => this.convertSingle({ ...constraints, type: t }, t, values, path)) };
      copyAnnotations({ description, title }, schema);
      return withNullable(schema, nullable);
    }
    return withNullable(this.convertSingle(node, types[0], values, path), nullable);
  }

  private convertSingle(node: JsonObject, type: unknown, values: string[] | undefined, path: string): GeminiSchema {
    const geminiType = toGeminiType(type);
    if (geminiType === undefined) return this.reject(path, `"type": ${JSON.stringify(type)}`);
    const schema: GeminiSchema = { type: geminiType };
    copyAnnotations(node, schema);
    for (const keyword of numericKeywords) if (typeof node[keyword] === 'number') schema[keyword] = node[keyword];
    if (typeof node.pattern === 'string') schema.pattern = node.pattern;
    this.applyFormat(node, schema, path);
    if (values !== undefined) {
      if (geminiType !== 'STRING') return this.reject(path, `"enum" on type ${String(type)} (Gemini enums are strings)`);
      schema.enum = values;
    }
    if (geminiType === 'ARRAY') schema.items = this.convertItems(node, path);
    if (geminiType === 'OBJECT') this.applyObject(node, schema, path);
    return schema;
  }

  private enumValues(node: JsonObject, path: string): { values: string[] | undefined; hasNull: boolean } {
    const raw = node.const !== undefined ? [node.const] : node.enum;
    if (raw === undefined) return { values: undefined, hasNull: false };
    if (!Array.isArray(raw)) return this.reject(path, '"enum" that is not an array');
    const values = raw.filter((v) => v !== null);
    if (!values.every((v): v is string => typeof v === 'string')) return this.reject(path, 'a non-string "enum"/"const" value');
    return { values: values.length > 0 ? values : undefined, hasNull: values.length !== raw.length };
  }

  private applyFormat(node: JsonObject, schema: GeminiSchema, path: string): void {
    if (typeof node.format !== 'string' || schema.type === undefined) return;
    const allowed = numberFormats[schema.type];
    if (schema.type === 'STRING' || allowed?.includes(node.format)) schema.format = node.format;
    else this.warnings.push(`"format": "${node.format}" at ${path} has no Gemini equivalent and was left out.`);
  }

  private convertItems(node: JsonObject, path: string): GeminiSchema {
    if (Array.isArray(node.items)) return this.reject(path, 'tuple "items" (an array of schemas)');
    if (node.items === undefined) return this.reject(path, 'an array without "items"');
    return this.convert(node.items, `${path}/items`);
  }

  private applyObject(node: JsonObject, schema: GeminiSchema, path: string): void {
    const properties = isObject(node.properties) ? Object.entries(node.properties) : [];
    const extra = node.additionalProperties;
    if (properties.length === 0) {
      const what = extra === undefined || extra === false ? 'an object without "properties"' : 'a map ("additionalProperties" without "properties")';
      this.reject(path, what);
    }
    if (extra !== undefined && extra !== false) {
      this.warnings.push(`"additionalProperties" at ${path} is not supported by Gemini; only the listed properties will be generated.`);
    }
    schema.properties = Object.fromEntries(properties.map(([key, value]) => [key, this.convert(value, `${path}/properties/${key}`)]));
    if (Array.isArray(node.required)) schema.required = node.required.filter((r): r is string => typeof r === 'string');
    if (this.options.propertyOrdering === true && properties.length > 1) schema.propertyOrdering = properties.map(([key]) => key);
  }

  private reject(path: string, construct: string): never {
    throw new GatewayError('invalid_request', {
      param: this.options.param,
      message: `Gemini cannot express ${construct} in the JSON schema at ${path}.`,
    });
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullSchema(value: unknown): boolean {
  return isObject(value) && value.type === 'null' && Object.keys(value).every((k) => k === 'type' || k === 'description' || k === 'title');
}

function inferType(node: JsonObject, values: string[] | undefined, onlyNull: boolean): string[] {
  if (node.properties !== undefined || node.additionalProperties !== undefined) return ['object'];
  if (node.items !== undefined) return ['array'];
  if (values !== undefined) return ['string'];
  return onlyNull ? ['null'] : [];
}

function toGeminiType(type: unknown): GeminiSchemaType | undefined {
  switch (type) {
    case 'string':
      return 'STRING';
    case 'number':
      return 'NUMBER';
    case 'integer':
      return 'INTEGER';
    case 'boolean':
      return 'BOOLEAN';
    case 'array':
      return 'ARRAY';
    case 'object':
      return 'OBJECT';
    case 'null':
      return 'NULL';
    default:
      return undefined;
  }
}

function copyAnnotations(node: JsonObject, schema: GeminiSchema): void {
  if (typeof node.title === 'string') schema.title = node.title;
  if (typeof node.description === 'string') schema.description = node.description;
  if (node.default !== undefined) schema.default = node.default;
}

function withNullable(schema: GeminiSchema, nullable: boolean): GeminiSchema {
  return nullable ? { ...schema, nullable: true } : schema;
}

/** Resolves `#/a/b` (JSON Pointer, `~0`/`~1` escapes) against the root schema. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isObject(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}
