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
  /** Runs with the arguments after the command name; resolves to the exit code (0 ok, 1 findings ≥ --fail-on, 2 usage/unreadable input). */
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Thrown for bad usage; the dispatcher prints the message and the command's usage, exit 2. */
export class UsageError extends Error {}
