import { UsageError } from './command.js';

/**
 * Option helpers shared by the commands. `--help`/`-h` and parseArgs errors (unknown or malformed
 * options) are handled once, by the dispatcher in src/cli.ts.
 */

/** A whole-number option ("--top 20"), or undefined when absent; anything else is a usage error. */
export function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} wants a whole number, got "${value}"`);
  return Number(value);
}

export function formatOption(value: string | undefined, allowed: readonly string[]): string {
  const v = value ?? allowed[0];
  if (!allowed.includes(v)) throw new UsageError(`--format must be ${allowed.join(' or ')}, got "${v}"`);
  return v;
}
