import { describe, expect, it } from 'vitest';
import { decodeGeminiToolCallSignature, encodeGeminiToolCallId } from '../../../../src/providers/gemini/tool-call-id.js';

describe('gemini tool-call ids carry thought signatures', () => {
  it('keeps a plain id when there is no signature', () => {
    expect(encodeGeminiToolCallId('chatcmpl-1_0', undefined)).toBe('call_chatcmpl-1_0');
    expect(decodeGeminiToolCallSignature('call_chatcmpl-1_0')).toBeUndefined();
  });

  it('round-trips a base64 signature through a URL-safe id', () => {
    const signature = 'EpEgCo4gAb4+9vvWwdN+NkNiCCwrqvFI8uf9IiD2A47Bm4Sga0kUTm4e/QuEnsZnNuSXJaINVVvc';
    const id = encodeGeminiToolCallId('r_0', signature);
    expect(id).toMatch(/^call_r_0__ts_[A-Za-z0-9_-]+$/);
    expect(decodeGeminiToolCallSignature(id)).toBe(signature);
  });

  it('round-trips padded base64', () => {
    const signature = Buffer.from('a signature of odd length!').toString('base64');
    expect(signature.endsWith('=')).toBe(true);
    expect(decodeGeminiToolCallSignature(encodeGeminiToolCallId('r_1', signature))).toBe(signature);
  });

  it('keeps a signature that is not canonical base64 exactly, as text', () => {
    const signature = 'not base64: ünïcode/+==';
    const id = encodeGeminiToolCallId('r_2', signature);
    expect(id).toContain('__tsr_');
    expect(decodeGeminiToolCallSignature(id)).toBe(signature);
  });

  it('ignores ids from other sources and damaged suffixes', () => {
    expect(decodeGeminiToolCallSignature('toolu_01A09q90qw90lq917835lq9')).toBeUndefined();
    expect(decodeGeminiToolCallSignature('call_x__ts_')).toBeUndefined();
    expect(decodeGeminiToolCallSignature('call_x__ts_not valid!')).toBeUndefined();
  });
});
