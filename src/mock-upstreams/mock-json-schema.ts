/**
 * Deterministic sample values for JSON Schemas, so mock tool calls and structured outputs parse and validate
 * against the simple schemas tests and demos use (objects, arrays, enums, consts, string formats, numeric
 * bounds, local `$ref`s, `anyOf`/`oneOf`/`allOf`). Every declared property is filled, as strict mode requires.
 */

type Schema = Record<string, unknown>;

const MAX_DEPTH = 8;

const STRING_FORMATS: Record<string, string> = {
  'date-time': '2025-01-01T00:00:00Z',
  date: '2025-01-01',
  time: '00:00:00Z',
  email: 'user@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** A value valid against `schema`; `name` seeds string values (`"example city"`). */
export function sampleMockJsonValue(schema: unknown, name = 'value'): unknown {
  return sampleValue(schema, name, isSchema(schema) ? schema : {}, 0);
}

function sampleValue(schema: unknown, name: string, root: Schema, depth: number): unknown {
  if (!isSchema(schema) || depth > MAX_DEPTH) return `example ${name}`;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (typeof schema.$ref === 'string') return sampleValue(resolveLocalRef(schema.$ref, root), name, root, depth + 1);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length > 0) return sampleValue(alternatives[0], name, root, depth + 1);
  if (Array.isArray(schema.allOf)) return sampleValue(mergeAllOf(schema), name, root, depth + 1);
  switch (pickType(schema)) {
    case 'object':
      return sampleObject(schema, root, depth);
    case 'array':
      return sampleArray(schema, name, root, depth);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return sampleString(schema, name);
  }
}

function pickType(schema: Schema): string {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return String(type.find((t) => t !== 'null') ?? type[0] ?? 'string');
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return 'string';
}

function sampleObject(schema: Schema, root: Schema, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = isSchema(schema.properties) ? schema.properties : {};
  for (const [key, child] of Object.entries(properties)) out[key] = sampleValue(child, key, root, depth + 1);
  return out;
}

function sampleArray(schema: Schema, name: string, root: Schema, depth: number): unknown[] {
  const count = typeof schema.minItems === 'number' && schema.minItems > 1 ? schema.minItems : 1;
  const allowed = typeof schema.maxItems === 'number' ? Math.min(count, schema.maxItems) : count;
  return Array.from({ length: allowed }, () => sampleValue(schema.items, name, root, depth + 1));
}

function sampleNumber(schema: Schema, integer: boolean): number {
  let value = integer ? 1 : 1.5;
  if (typeof schema.minimum === 'number') value = Math.max(value, schema.minimum);
  if (typeof schema.exclusiveMinimum === 'number') value = Math.max(value, schema.exclusiveMinimum + 1);
  if (typeof schema.maximum === 'number') value = Math.min(value, schema.maximum);
  if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) value = schema.exclusiveMaximum - 1;
  return integer ? Math.ceil(value) : value;
}

function sampleString(schema: Schema, name: string): string {
  const format = typeof schema.format === 'string' ? STRING_FORMATS[schema.format] : undefined;
  let value = format ?? `example ${name}`;
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  if (value.length < minLength) value = value.padEnd(minLength, 'x');
  if (typeof schema.maxLength === 'number') value = value.slice(0, schema.maxLength);
  return value;
}

function mergeAllOf(schema: Schema): Schema {
  const merged: Schema = { type: 'object', properties: {} };
  for (const part of [schema, ...(schema.allOf as unknown[])]) {
    if (!isSchema(part)) continue;
    if (isSchema(part.properties)) Object.assign(merged.properties as Schema, part.properties);
    if (typeof part.type === 'string') merged.type = part.type;
  }
  return merged;
}

function resolveLocalRef(ref: string, root: Schema): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const segment of ref.slice(2).split('/')) {
    node = isSchema(node) ? node[segment.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
