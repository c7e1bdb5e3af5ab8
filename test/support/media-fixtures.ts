/**
 * The media fixture folders (test/fixtures/{ark,kling,dashscope}) opened through the fixture runner's folder, with
 * the catalog entries the cases name and the comparison helpers the three families' fixture tests share.
 */
import { expect } from 'vitest';
import { GatewayError } from '../../src/shared/errors.js';
import { catalogFileSchema, type CatalogModel } from '../../src/catalog/schema.js';
import type { TaskTarget, TranslationWarning, UpstreamRequest } from '../../src/providers/task-types.js';
import { openFixtureFolder, upstreamErrorText, type FixtureFolder } from './fixture-runner.js';

export interface MediaFixtures {
  folder: FixtureFolder;
  dir: string;
  read(file: string): unknown;
  exists(file: string): boolean;
  /** Case names having a file `<case><suffix>`, sorted. */
  cases(suffix: string): string[];
  model(id: string): CatalogModel;
  target(modelId: string, extra?: Partial<TaskTarget>): TaskTarget;
}

export function openMediaFixtures(family: string, channel: { provider: string; baseUrl: string; apiKey: string }): MediaFixtures {
  const folder = openFixtureFolder(family);
  const models = catalogFileSchema.parse(folder.json('catalog.json')).models;
  const model = (id: string) => {
    const found = models.find((entry) => entry.id === id);
    if (found === undefined) throw new Error(`No catalog fixture for ${id}`);
    return found;
  };
  return {
    folder,
    dir: folder.dir,
    read: folder.json,
    exists: folder.exists,
    cases: folder.cases,
    model,
    target: (modelId, extra = {}) => {
      const entry = model(modelId);
      return { ...channel, upstreamModel: entry.upstreamModel, model: entry, ...extra };
    },
  };
}

/** Runs fn and returns the GatewayError it throws; fails the test when it returns or throws anything else. */
export function catchGatewayError(fn: () => unknown): GatewayError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(GatewayError);
  return thrown as GatewayError;
}

/**
 * A case with a `<case>.rejection.json` must fail in `step` with that error (returns undefined); any other case
 * must pass it (returns its result).
 */
export function expectRejectionOr<T>(fixtures: MediaFixtures, name: string, step: () => T): T | undefined {
  const rejection = `${name}.rejection.json`;
  if (!fixtures.exists(rejection)) return step();
  expect(describeGatewayError(catchGatewayError(step))).toMatchObject(fixtures.read(rejection) as object);
  return undefined;
}

/** The fields a rejection fixture may pin. */
export function describeGatewayError(error: GatewayError): Record<string, unknown> {
  return {
    code: error.code,
    status: error.status,
    param: error.param,
    message: error.message,
    retryable: error.retryable,
    retryAfter: error.retryAfter,
    upstreamStatus: error.upstreamStatus,
  };
}

/** An upstream request as fixtures record it: no authorization header (asserted apart), body parsed. */
export function describeUpstreamRequest(request: UpstreamRequest, warnings: TranslationWarning[], pollPath?: string): Record<string, unknown> {
  const { authorization: _authorization, ...headers } = request.headers;
  return {
    method: request.method,
    url: request.url,
    headers,
    ...(request.body === undefined ? {} : { body: JSON.parse(request.body) as unknown }),
    warnings,
    ...(pollPath === undefined ? {} : { pollPath }),
  };
}

export interface ErrorFixture {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  expected: Record<string, unknown>;
}

export function errorFixtureText(fixture: ErrorFixture): string {
  return upstreamErrorText(fixture.body);
}
