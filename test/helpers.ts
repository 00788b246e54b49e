import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Line } from '../src/model/common.js';
import { analyze, type Analysis } from '../src/index.js';
import type { Rule } from '../src/rules/types.js';
import type { CliIO, Command } from '../src/cli/command.js';

// Tests run from dist/test/; fixtures stay in the source tree.
const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, existsSync(join(here, '..', 'package.json')) ? '..' : '../..');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
export const SEEDS = resolve(REPO_ROOT, '..', 'shared', 'seeds');

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** The fixture as Line records (input 0), the way the pipeline hands them to parsers. */
export function fixtureLines(name: string, input = 0): Line[] {
  return toLines(readFixture(name), input);
}

export function toLines(text: string, input = 0): Line[] {
  const parts = text.split(/\r?\n/);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ input, line: i + 1, text: t }));
}

/** Path of seed NNN (e.g. "003") in ../shared/seeds, or null when the seeds are not beside the repo. */
export function seedPath(prefix: string): string | null {
  if (!existsSync(SEEDS)) return null;
  const f = readdirSync(SEEDS).find((n) => n.startsWith(prefix + '_'));
  return f ? join(SEEDS, f) : null;
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;


/** Runs the whole pipeline over fixtures (by file name) with the given rules (default: none). */
export async function analyzeFixtures(names: string[], rules: Rule[] = []): Promise<Analysis> {
  return analyze(names.map((n) => ({ path: fixturePath(n) })), { rules });
}

/** Runs the whole pipeline over in-memory text. */
export async function analyzeText(text: string, rules: Rule[] = [], name = 'input.log'): Promise<Analysis> {
  return analyze([{ name, text }], { rules });
}

/** Runs one CLI command in-process with its output captured (stdout/stderr are not TTYs). */
export async function runCommand(cmd: Command, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    stdout: { write: (s: string) => ((out += s), true), isTTY: false },
    stderr: { write: (s: string) => ((err += s), true), isTTY: false },
    stdin: process.stdin, env: process.env,
  } as unknown as CliIO;
  const code = await cmd.run(argv, io);
  return { code, out, err };
}
