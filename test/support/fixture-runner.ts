/**
 * The one runner over test/fixtures/<family>/. A family's fixture test opens its folder and hands the runner its
 * kinds of case (which files start a case, and what running one through the family's adapter checks); the runner
 * finds the cases, gives each its own test, and refuses a kind that finds none, so a renamed folder or suffix
 * cannot quietly turn a suite into zero tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { SseDecoder, type SseEvent } from '../../src/providers/sse-decoder.js';

export const fixturesRoot = path.resolve(import.meta.dirname, '../fixtures');

/** One fixture folder (a family's, or a sub-folder of it), read by file name relative to it. */
export interface FixtureFolder {
  dir: string;
  path(file: string): string;
  exists(file: string): boolean;
  text(file: string): string;
  bytes(file: string): Uint8Array;
  json(file: string): unknown;
  /** Every file in the folder, sorted. */
  files(): string[];
  /** Case names having a file `<case><suffix>`, sorted. */
  cases(suffix: string): string[];
}

export function openFixtureFolder(family: string, subfolder = ''): FixtureFolder {
  const dir = path.join(fixturesRoot, family, subfolder);
  const at = (file: string) => path.join(dir, file);
  const files = () => readdirSync(dir).sort();
  return {
    dir,
    path: at,
    exists: (file) => existsSync(at(file)),
    text: (file) => readFileSync(at(file), 'utf8'),
    bytes: (file) => new Uint8Array(readFileSync(at(file))),
    json: (file) => JSON.parse(readFileSync(at(file), 'utf8')) as unknown,
    files,
    cases: (suffix) =>
      files()
        .filter((file) => file.endsWith(suffix))
        .map((file) => file.slice(0, -suffix.length)),
  };
}

/** One kind of fixture case: a group of tests, one per case. */
export interface FixtureKind<Case = string> {
  /** The group's title. */
  title: string;
  cases: readonly Case[];
  /** The test's name for a case; a case's own text by default. */
  name?: (fixtureCase: Case) => string;
  /** Runs the case through the family's adapter and asserts it matches its committed expectation. */
  run(fixtureCase: Case): void | Promise<void>;
}

/** Registers one test per case of every kind, each kind in its own group. */
export function runFixtureKinds(kinds: readonly FixtureKind[]): void {
  for (const kind of kinds) runFixtureKind(kind);
}

/** Registers one group of tests, one per case of the kind. */
export function runFixtureKind<Case>(kind: FixtureKind<Case>): void {
  describe(kind.title, () => {
    if (kind.cases.length === 0) {
      it('finds its fixture cases', () => {
        throw new Error(`no fixture cases for "${kind.title}"`);
      });
      return;
    }
    const name = kind.name ?? ((fixtureCase: Case) => String(fixtureCase));
    for (const fixtureCase of kind.cases) it(name(fixtureCase), () => kind.run(fixtureCase));
  });
}

/** A case kind named by the suffix of the file that starts it. */
export function bySuffix(folder: FixtureFolder, title: string, suffix: string, run: (name: string) => void | Promise<void>): FixtureKind {
  return { title, cases: folder.cases(suffix), run };
}

/**
 * Decodes raw SSE bytes handed over `size` bytes at a time (the whole buffer when size is 0 or undefined), as a
 * socket may cut them anywhere: mid-line, mid-CRLF, mid-UTF-8 character.
 */
export function decodeSseInSlices(bytes: Uint8Array, size?: number): SseEvent[] {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  const step = size === undefined || size <= 0 ? bytes.length : size;
  for (let offset = 0; offset < bytes.length; offset += step) events.push(...decoder.push(bytes.subarray(offset, offset + step)));
  return [...events, ...decoder.end()];
}

/** An upstream error fixture's body as the wire carried it: text as is, JSON serialized. */
export function upstreamErrorText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** JSON as the expected files are written: two-space indent, trailing newline. */
export function toFixtureJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
