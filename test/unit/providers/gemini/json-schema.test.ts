import { describe, expect, it } from 'vitest';
import { toGeminiSchema } from '../../../../src/providers/gemini/json-schema.js';

const param = 'response_format.json_schema.schema';
const convert = (schema: unknown, propertyOrdering = false) => toGeminiSchema(schema, { param, propertyOrdering });

describe('JSON Schema → Gemini Schema', () => {
  it('upper-cases types and keeps descriptions, enums and bounds', () => {
    expect(convert({ type: 'string', description: 'd', enum: ['a', 'b'], minLength: 1, maxLength: 3 }).schema).toEqual({
      type: 'STRING',
      description: 'd',
      enum: ['a', 'b'],
      minLength: 1,
      maxLength: 3,
    });
    expect(convert({ type: 'integer', minimum: 1, maximum: 9, format: 'int64' }).schema).toEqual({ type: 'INTEGER', minimum: 1, maximum: 9, format: 'int64' });
  });

  it('turns a null type, a null enum value and a null anyOf branch into nullable', () => {
    expect(convert({ type: ['number', 'null'] }).schema).toEqual({ type: 'NUMBER', nullable: true });
    expect(convert({ enum: ['x', null] }).schema).toEqual({ type: 'STRING', enum: ['x'], nullable: true });
    expect(convert({ anyOf: [{ type: 'boolean' }, { type: 'null' }], description: 'flag' }).schema).toEqual({ type: 'BOOLEAN', description: 'flag', nullable: true });
  });

  it('keeps a union of several types as anyOf', () => {
    expect(convert({ type: ['string', 'integer'], description: 'id' }).schema).toEqual({ anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }], description: 'id' });
    expect(convert({ anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] }).schema).toEqual({
      anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }],
      nullable: true,
    });
  });

  it('inlines local $refs, including ones used twice, and a single-schema allOf', () => {
    const schema = {
      type: 'object',
      properties: { a: { $ref: '#/definitions/point' }, b: { allOf: [{ $ref: '#/definitions/point' }], description: 'second' } },
      required: ['a'],
      definitions: { point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
    };
    const point = { type: 'OBJECT', properties: { x: { type: 'NUMBER' } }, required: ['x'] };
    expect(convert(schema).schema).toEqual({ type: 'OBJECT', properties: { a: point, b: { ...point, description: 'second' } }, required: ['a'] });
  });

  it('pins property order when asked', () => {
    expect(convert({ type: 'object', properties: { z: { type: 'string' }, a: { type: 'string' } } }, true).schema.propertyOrdering).toEqual(['z', 'a']);
  });

  it('warns, not fails, for constraints whose loss cannot make valid output invalid', () => {
    const out = convert({ type: 'object', properties: { n: { type: 'number', format: 'decimal' } }, additionalProperties: true });
    expect(out.schema).toEqual({ type: 'OBJECT', properties: { n: { type: 'NUMBER' } } });
    expect(out.warnings).toEqual([expect.stringContaining('"additionalProperties" at #'), expect.stringContaining('"format": "decimal" at #/properties/n')]);
  });

  it.each([
    [{ type: 'object', properties: { a: { type: 'string' } }, patternProperties: { '^x': {} } }, '"patternProperties"', '#'],
    [{ type: 'object', properties: { a: { type: 'string' } }, propertyNames: { pattern: '^a' } }, '"propertyNames"', '#'],
    [{ type: 'number', multipleOf: 2 }, '"multipleOf"', '#'],
    [{ type: 'number', exclusiveMinimum: 0 }, '"exclusiveMinimum"', '#'],
    [{ type: 'array', items: { type: 'string' }, uniqueItems: true }, '"uniqueItems"', '#'],
    [{ type: 'array', prefixItems: [{ type: 'string' }] }, '"prefixItems"', '#'],
    [{ type: 'array', items: [{ type: 'string' }] }, 'tuple "items"', '#'],
    [{ type: 'array' }, 'an array without "items"', '#'],
    [{ type: 'string', not: { const: 'x' } }, '"not"', '#'],
    [{ type: 'object', properties: { a: { type: 'string' } }, if: {}, then: {} }, '"if"', '#'],
    [{ type: 'object' }, 'an object without "properties"', '#'],
    [{ type: 'object', additionalProperties: { type: 'number' } }, 'a map', '#'],
    [{ type: 'object', properties: { m: { type: 'object', additionalProperties: true } } }, 'a map', '#/properties/m'],
    [{ type: 'object', properties: { n: { $ref: '#/$defs/n' } }, $defs: { n: { type: 'object', properties: { next: { $ref: '#/$defs/n' } } } } }, 'recursive "$ref"', '#/properties/n/properties/next'],
    [{ $ref: 'https://example.com/schema.json' }, '"$ref": "https://example.com/schema.json"', '#'],
    [{ $ref: '#/$defs/missing' }, '"$ref": "#/$defs/missing"', '#'],
    [{ allOf: [{ type: 'string' }, { minLength: 1 }] }, '"allOf" with more than one schema', '#'],
    [{ type: 'integer', enum: [1, 2] }, 'a non-string "enum"', '#'],
    [{ const: 3 }, 'a non-string "enum"', '#'],
    [{ description: 'anything' }, 'a schema without "type"', '#'],
    [true, 'a boolean or non-object schema', '#'],
    [{ type: 'date' }, '"type": "date"', '#'],
  ])('rejects %j naming %s at %s', (schema, construct, path) => {
    expect(() => convert(schema)).toThrowError(
      expect.objectContaining({ code: 'invalid_request', param, message: expect.stringContaining(construct) }),
    );
    expect(() => convert(schema)).toThrowError(expect.objectContaining({ message: expect.stringContaining(`at ${path}.`) }));
  });
});
