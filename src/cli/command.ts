/**
 * A CLI subcommand. Commands live in src/cli/<name>.ts; src/cli.ts dispatches on argv[0].
 * Only code under src/cli/ (and src/cli.ts) writes to stdout/stderr or decides exit codes.
 */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Exit codes, the same for every command (documented in README and each --help). */
export const EXIT = {
  ok: 0,
  /** A finding at or above --fail-on. */
  findings: 1,
  /** Bad usage, an unreadable input, an output memtriage refuses to write. */
  usage: 2,
  /** Could not look: this machine's kernel log unreadable, empty input, a filter that could not place incidents. Never an all-clear. */
  couldNotLook: 3,
} as const;

export interface Command {
  name: string;
  /** One line for `memtriage --help`. */
  summary: string;
  /** Full `memtriage <name> --help` text: usage, options, examples. */
  help: string;
  /**
   * The command's options as given to node:util parseArgs. Declared on the command so that tests can
   * check deploy files (systemd units, Kubernetes manifests, NPD configs) use only real options.
   */
  options?: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  /** Runs with the arguments after the command name; resolves to the exit code (see EXIT). */
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Thrown for bad usage; the dispatcher prints the message and the command's usage, exit 2. */
export class UsageError extends Error {}
