import { describe, expect, it } from 'vitest';
import { findGeminiThinkingProfile, toGeminiThinkingConfig } from '../../../../src/providers/gemini/thinking.js';

describe('gemini thinking profiles', () => {
  it.each([
    ['gemini-2.5-pro', 'budget'],
    ['models/gemini-2.5-flash', 'budget'],
    ['gemini-2.5-flash-lite-preview-06-17', 'budget'],
    ['gemini-3-pro-preview', 'level'],
    ['gemini-3.1-pro-preview', 'level'],
    ['gemini-3-flash-preview', 'level'],
    ['gemini-3.5-flash', 'level'],
    ['gemini-4-ultra', 'level'],
    ['gemini-2.0-flash', undefined],
    ['gemma-3-27b-it', undefined],
  ])('%s uses %s', (model, style) => {
    expect(findGeminiThinkingProfile(model)?.style).toBe(style);
  });
});

describe('toGeminiThinkingConfig', () => {
  it.each([
    ['gemini-2.5-flash', 'minimal', { thinkingBudget: 512, includeThoughts: true }],
    ['gemini-2.5-flash', 'low', { thinkingBudget: 1024, includeThoughts: true }],
    ['gemini-2.5-flash', 'medium', { thinkingBudget: 8192, includeThoughts: true }],
    ['gemini-2.5-flash', 'high', { thinkingBudget: 24576, includeThoughts: true }],
    ['gemini-2.5-pro', 'xhigh', { thinkingBudget: 32768, includeThoughts: true }],
    ['gemini-2.5-flash', 'max', { thinkingBudget: 24576, includeThoughts: true }],
    ['gemini-2.5-flash', 'none', { thinkingBudget: 0 }],
    ['gemini-3-flash-preview', 'minimal', { thinkingLevel: 'MINIMAL', includeThoughts: true }],
    ['gemini-3-flash-preview', 'medium', { thinkingLevel: 'MEDIUM', includeThoughts: true }],
    ['gemini-3-pro-preview', 'low', { thinkingLevel: 'LOW', includeThoughts: true }],
    ['gemini-3-pro-preview', 'high', { thinkingLevel: 'HIGH', includeThoughts: true }],
    ['gemini-3.1-pro-preview', 'medium', { thinkingLevel: 'MEDIUM', includeThoughts: true }],
  ] as const)('%s with %s → %j, no warning', (model, effort, config) => {
    const out = toGeminiThinkingConfig(effort, model);
    expect(out.config).toEqual(config);
    expect(out.warnings).toEqual([]);
  });

  it.each([
    ['gemini-2.5-pro', 'none', { thinkingBudget: 128 }, /cannot turn thinking off/],
    ['gemini-2.5-flash-lite', 'minimal', { thinkingBudget: 512, includeThoughts: true }, undefined],
    ['gemini-3-pro-preview', 'minimal', { thinkingLevel: 'LOW', includeThoughts: true }, /no thinkingLevel MINIMAL; using LOW/],
    ['gemini-3-pro-preview', 'medium', { thinkingLevel: 'HIGH', includeThoughts: true }, /no thinkingLevel MEDIUM; using HIGH/],
    ['gemini-3-pro-preview', 'none', { thinkingLevel: 'LOW' }, /cannot turn thinking off/],
    ['gemini-3-flash-preview', 'none', { thinkingLevel: 'MINIMAL' }, /cannot turn thinking off/],
  ] as const)('%s with %s is moved to %j and says so', (model, effort, config, warning) => {
    const out = toGeminiThinkingConfig(effort, model);
    expect(out.config).toEqual(config);
    if (warning === undefined) expect(out.warnings).toEqual([]);
    else expect(out.warnings).toEqual([{ param: 'reasoning_effort', message: expect.stringMatching(warning) }]);
  });

  it('sends nothing and warns for a model without thinking controls', () => {
    const out = toGeminiThinkingConfig('high', 'gemini-2.0-flash');
    expect(out.config).toBeUndefined();
    expect(out.warnings[0]?.param).toBe('reasoning_effort');
  });
});
