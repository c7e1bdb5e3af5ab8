import { describe, expect, it } from 'vitest';
import { sampleMockJsonValue } from '../../../src/mock-upstreams/mock-json-schema.js';

describe('sampleMockJsonValue', () => {
  it('fills every property of nested objects', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        address: { type: 'object', properties: { zip: { type: 'string', minLength: 12 }, verified: { type: 'boolean' } } },
        note: { type: ['null', 'string'] },
      },
    };
    expect(sampleMockJsonValue(schema)).toEqual({
      name: 'example name',
      address: { zip: 'example zipx', verified: true },
      note: 'example note',
    });
  });

  it('prefers const, then enum, then the declared type', () => {
    expect(sampleMockJsonValue({ const: 7, type: 'string' })).toBe(7);
    expect(sampleMockJsonValue({ type: 'string', enum: ['b', 'a'] })).toBe('b');
    expect(sampleMockJsonValue({ type: 'null' })).toBeNull();
  });

  it('respects numeric bounds and array sizes', () => {
    expect(sampleMockJsonValue({ type: 'integer', minimum: 10 })).toBe(10);
    expect(sampleMockJsonValue({ type: 'integer', exclusiveMinimum: 10 })).toBe(11);
    expect(sampleMockJsonValue({ type: 'number', maximum: 0.5 })).toBe(0.5);
    expect(sampleMockJsonValue({ type: 'array', items: { type: 'integer' }, minItems: 3 })).toEqual([1, 1, 1]);
    expect(sampleMockJsonValue({ type: 'string', maxLength: 3 })).toBe('exa');
  });

  it('uses well-known string formats', () => {
    expect(sampleMockJsonValue({ type: 'string', format: 'date' })).toBe('2025-01-01');
    expect(sampleMockJsonValue({ type: 'string', format: 'email' })).toBe('user@example.com');
  });

  it('resolves local $refs and takes the first anyOf branch', () => {
    const schema = {
      type: 'object',
      properties: { item: { $ref: '#/$defs/item' }, either: { anyOf: [{ type: 'integer' }, { type: 'string' }] } },
      $defs: { item: { type: 'object', properties: { id: { type: 'integer' } } } },
    };
    expect(sampleMockJsonValue(schema)).toEqual({ item: { id: 1 }, either: 1 });
  });

  it('merges allOf parts', () => {
    const schema = { allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { properties: { b: { type: 'boolean' } } }] };
    expect(sampleMockJsonValue(schema)).toEqual({ a: 'example a', b: true });
  });
});
