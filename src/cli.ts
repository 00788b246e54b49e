import { readFileSync } from 'node:fs';
import { analyzeCommand } from './cli/analyze.js';
import { cacheCommand } from './cli/cache.js';
import { collectCommand } from './cli/collect.js';
import { guardCommand } from './cli/guard.js';
import { whereCommand } from './cli/where.js';
import type { CliIO, Command } from './cli/command.js';
import { UsageError } from './cli/command.js';

const COMMANDS: Command[] = [analyzeCommand, whereCommand, cacheCommand, collectCommand, guardCommand];

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function usage(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return `memtriage ${version()}: why did this Linux machine run out of memory or hang?

Usage: memtriage <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

Run "memtriage <command> --help" for a command's options and examples.
With no command, "memtriage FILE…" is "memtriage analyze FILE…".`;
}

/** argv (without node and script) → exit code. The only place that decides exit codes. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') { io.stdout.write(`${version()}\n`); return 0; }
  if (first === '--help' || first === '-h' || first === 'help') { io.stdout.write(`${usage()}\n`); return 0; }
  let cmd = COMMANDS.find((c) => c.name === first);
  let args = rest;
  if (!cmd) {
    if (first !== undefined && !first.startsWith('-') && !/^[a-z]+$/.test(first)) { cmd = analyzeCommand; args = argv; }
    else if (first === undefined) { cmd = analyzeCommand; args = []; }
    else { io.stderr.write(`memtriage: unknown command "${first}"\n\n${usage()}\n`); return 2; }
  }
  if (args.includes('--help') || args.includes('-h')) { io.stdout.write(`${cmd.help}\n`); return 0; }
  try {
    return await cmd.run(args, io);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof UsageError || (err.code && err.code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`memtriage ${cmd.name}: ${err.message}\nRun "memtriage ${cmd.name} --help" for usage.\n`);
      return 2;
    }
    io.stderr.write(`memtriage ${cmd.name}: internal error: ${err.stack ?? err.message}\nPlease report this with the input that caused it.\n`);
    return 2;
  }
}

export { COMMANDS };
