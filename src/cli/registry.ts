/**
 * The commands by name: what `memtriage --help` lists, and where each one's code is. A command's
 * module (and everything it imports: the parsers and rules for analyze, /proc readers for where,
 * the daemon for guard) is loaded only when that command runs or prints its help, so --version
 * and --help load none of them and each command only its own (issue 10 item 5: Node's ESM loader
 * costs ≈ 0.5 ms of CPU per module, and all six commands together were 244 modules).
 */
import type { Command } from './command.js';

/** One line for `memtriage --help`; the command's module uses the same text. */
export const SUMMARIES = {
  analyze: 'explain OOM kills, allocation failures and hangs from logs and snapshots',
  where: 'where this machine\'s memory is now: a breakdown that adds up to MemTotal, with unaccounted memory and its suspects',
  cache: 'page-cache residency per file (size, pages, cached pages, percent) for paths, processes, or everything mapped',
  collect: 'capture kernel log, /proc, cgroups, sysctls and daemon residency into one .tar.gz bundle for analyze',
  check: 'one-line health check for monitors (node-problem-detector, Nagios): exit 0 ok, 1 problem, 2 unknown',
  guard: 'daemon: catch the swapless thrash spiral within seconds, keep the evidence, then act (dry-run by default)',
} as const;

export type CommandName = keyof typeof SUMMARIES;

export interface CommandEntry {
  name: CommandName;
  summary: string;
  /** Imports the command's module. */
  load(): Promise<Command>;
  /** The command's --help text: from a module of its own where the command has one. */
  help(): Promise<string>;
}

const LOADERS: Record<CommandName, () => Promise<Command>> = {
  analyze: async () => (await import('./analyze.js')).analyzeCommand,
  where: async () => (await import('./where.js')).whereCommand,
  cache: async () => (await import('./cache.js')).cacheCommand,
  collect: async () => (await import('./collect.js')).collectCommand,
  check: async () => (await import('./check.js')).checkCommand,
  guard: async () => (await import('./guard.js')).guardCommand,
};

/** Help texts kept apart from big commands (analyze: 188 modules; its help: 1). */
const HELPS: Partial<Record<CommandName, () => Promise<string>>> = {
  analyze: async () => (await import('./analyze-help.js')).ANALYZE_HELP,
  guard: async () => (await import('./guard-help.js')).GUARD_HELP,
};

export const COMMAND_ENTRIES: readonly CommandEntry[] = (Object.keys(LOADERS) as CommandName[]).map((name) => ({
  name, summary: SUMMARIES[name], load: LOADERS[name],
  help: HELPS[name] ?? (async () => (await LOADERS[name]()).help),
}));

/** Every command, loaded (for tests and tools that check deploy files against the options). */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_ENTRIES.map((c) => c.load()));
}
