import { parseArgs } from 'node:util';
import { scanResidency, sortByCached, type ScanTarget } from '../live/cache-scan.js';
import { renderCacheText } from '../live/cache-text.js';
import { mappedFiles } from '../live/mapped-files.js';
import { listPids } from '../live/processes.js';
import { RealReader } from '../live/real-reader.js';
import { createResidency } from '../live/residency.js';
import { type CliIO, type Command } from './command.js';
import { formatOption, intOption } from './options.js';
import { SUMMARIES } from './registry.js';

const HELP = `Usage: memtriage cache [PATH…] [--pid N]… [--top N] [-f text|json] [--max-files N]

How much of each file is in the page cache right now (what hcache, pcstat and vmtouch print):
size, pages, cached pages and percent. With PATHs (files or directories, walked without
following symlinks) it measures those; with --pid, every file those processes map (binary,
libraries, mapped data); with neither, the files mapped by every running process.
It never reads file data (that would pull it into the cache): it asks the kernel with
cachestat(2) (Linux 6.5+, which also counts recently evicted pages) or mincore(2).

Why: a machine short of memory evicts the code of running programs first; each one then
re-reads its own binary from disk on every step (seed 001: kubelet at 1.8 % resident, disks
at 100 % read, the node NotReady). Low percentages on daemons' binaries mean thrashing.

Options:
  --pid N              files mapped by process N (repeatable)
  --top N              show the N most cached files (default: all for PATHs, 30 otherwise)
  -f, --format F       text (default) or json: { "files": [ { path, sizeBytes, pages, cachedPages, percent } ] }
  --max-files N        stop after measuring N files (default 100000)

Root is needed to see the files of other users' processes (/proc/PID/maps) and files inside
containers (through /proc/PID/root); without it you get your own processes and readable paths.

Examples:
  memtriage cache /usr/bin/kubelet /usr/lib64/libc.so.6
  sudo memtriage cache --pid $(pidof kubelet) --top 20
  sudo memtriage cache --format json | jq '.files[] | select(.percent < 10)'
`;

/** A progress line on stderr: only on a terminal, only once the work has taken over a second. */
export function progressLine(stream: CliIO['stderr'], label: string, now: () => number = Date.now) {
  const start = now();
  let shown = false;
  return {
    update(detail: string) {
      if (!stream.isTTY || now() - start < 1000) return;
      shown = true;
      stream.write(`\r\x1b[K${label}: ${detail.length > 80 ? '…' + detail.slice(-79) : detail}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

export const cacheCommand: Command = {
  name: 'cache',
  summary: SUMMARIES.cache,
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        pid: { type: 'string', multiple: true }, top: { type: 'string' }, format: { type: 'string', short: 'f', default: 'text' },
        'no-color': { type: 'boolean', default: false },
        'max-files': { type: 'string' },
      },
    });
    formatOption(values.format, ['text', 'json']);
    intOption(values.top, 'top');
    intOption(values['max-files'], 'max-files');
    for (const p of values.pid ?? []) intOption(p, 'pid');
    let created;
    try {
      created = await createResidency();
    } catch (e) {
      io.stderr.write(`memtriage cache: ${(e as Error).message}\n`);
      return 2;
    }
    const { residency, pageSize } = created;
    let targets: ScanTarget[] = positionals.map((p) => ({ path: p }));
    const explicit = positionals.length > 0;
    let pidErrors = 0;
    if (!explicit) {
      const reader = new RealReader();
      try {
        const pids = values.pid ? values.pid.map(Number) : await listPids(reader, 100_000);
        const files = await mappedFiles(reader, pids, Number(values['max-files'] ?? 100_000));
        targets = files.map((f) => ({ path: f.path, openPath: f.openPath }));
        for (const f of reader.failures().filter((x) => values.pid?.some((p) => x.path === `/proc/${p}/maps`))) {
          io.stderr.write(`memtriage cache: ${f.path}: cannot read it (${f.code}${f.code === 'ENOENT' ? ': no such process' : ''})\n`);
          pidErrors++;
        }
      } finally {
        await reader.close();
      }
    }
    const progress = progressLine(io.stderr, 'measuring');
    const result = scanResidency(targets, residency, {
      maxFiles: values['max-files'] ? Number(values['max-files']) : undefined,
      progress: (done, current) => progress.update(`${done} files, ${current}`),
    });
    progress.done();
    const top = values.top ? Number(values.top) : explicit ? Infinity : 30;
    const files = sortByCached(result.files).slice(0, top);
    if (values.format === 'json') io.stdout.write(JSON.stringify({ pageSize, files, truncated: result.truncated, unreadable: result.failures }, null, 2) + '\n');
    else io.stdout.write(renderCacheText(files, pageSize, { truncatedFrom: result.files.length }));
    // A PATH the user named that cannot be read is bad input (exit 2); a library a process maps
    // that vanished since is just noise of a live system.
    const bad = explicit ? result.failures : [];
    for (const f of bad) io.stderr.write(`memtriage cache: ${f.path}: cannot measure it (${f.message.startsWith(f.code) ? f.message : `${f.code}: ${f.message}`})\n`);
    if (!explicit && result.failures.length > 0) io.stderr.write(`memtriage cache: ${result.failures.length} mapped files could not be measured (deleted or unreachable)\n`);
    if (result.truncated) io.stderr.write(`memtriage cache: stopped at --max-files ${values['max-files'] ?? 100000}\n`);
    return bad.length > 0 || pidErrors > 0 ? 2 : 0;
  },
};
