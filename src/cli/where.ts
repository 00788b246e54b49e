import { parseArgs } from 'node:util';
import { FixtureReader, reportableFailures, type ProcReader } from '../live/reader.js';
import { RealReader } from '../live/real-reader.js';
import { createResidency } from '../live/residency.js';
import { gatherWhere, WhereError } from '../live/where.js';
import { renderWhereText } from '../live/where-text.js';
import { type CliIO, type Command } from './command.js';
import { formatOption, intOption } from './options.js';
import { progressLine } from './cache.js';
import { SUMMARIES } from './registry.js';

const HELP = `Usage: memtriage where [-f text|json] [--top N] [--slab-min-kb N] [--no-files] [--root DIR]

Where is this machine's memory right now? One breakdown that adds up to MemTotal:
free, process memory (anonymous, by process and by memory cgroup), page cache (with the
biggest cached files of running processes), shmem/tmpfs, each slab cache above a threshold,
kernel stacks, page tables, vmalloc, percpu, hugetlb … and "unaccounted": MemTotal minus
every counter. When unaccounted is large, memory is held outside every counter (a GPU
driver, a balloon, the ZFS ARC): the suspects found on this machine are listed under it.

Options:
  -f, --format F       text (default): a bar per part. json: { totalKb, parts: [ { name, kb,
                       children, … } ] }; top-level parts add up to totalKb exactly.
  --top N              children shown per part (default 5 in text, 12 in json)
  --slab-min-kb N      list slab caches at least this big (default 1024)
  --no-files           skip measuring the page cache of mapped files (faster)
  --root DIR           read a captured tree (DIR/proc/…, DIR/sys/…) instead of this machine
  --timeout-ms N       give up on a /proc read after N ms (default 3000; a stuck process can
                       block reads of its smaps_rollup/maps for minutes)

Without root it shows what it can read: PSS needs ptrace access (your own processes), so
others' anonymous memory comes from /proc/PID/status (RSS); /proc/slabinfo and
/proc/vmallocinfo are root-only. It says what it could not read.

Example:
  sudo memtriage where
  memtriage where --format json | jq '.parts[] | select(.name=="unaccounted")'
`;


export const whereCommand: Command = {
  name: 'where',
  summary: SUMMARIES.where,
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseArgs({
      args: argv, allowPositionals: false,
      options: {
        format: { type: 'string', short: 'f', default: 'text' }, 'no-color': { type: 'boolean', default: false }, top: { type: 'string' }, 'slab-min-kb': { type: 'string' },
        'no-files': { type: 'boolean', default: false }, root: { type: 'string' }, 'timeout-ms': { type: 'string' },
      },
    });
    formatOption(values.format, ['text', 'json']);
    const top = intOption(values.top, 'top');
    const reader: ProcReader = values.root ? new FixtureReader(values.root) : new RealReader({ timeoutMs: intOption(values['timeout-ms'], 'timeout-ms') });
    const progress = progressLine(io.stderr, 'measuring page cache of mapped files');
    let residency = null;
    if (!values['no-files'] && !values.root) {
      try {
        residency = (await createResidency()).residency;
      } catch (e) {
        io.stderr.write(`memtriage where: page cache of mapped files not measured: ${(e as Error).message}\n`);
      }
    }
    try {
      const b = await gatherWhere(reader, {
        residency,
        topN: top ?? 12, slabMinKb: intOption(values['slab-min-kb'], 'slab-min-kb'),
        progress: (done, total) => progress.update(`${done}/${total} files`),
      });
      progress.done();
      const failures = reportableFailures(reader);
      if (values.format === 'json') io.stdout.write(JSON.stringify({ ...b, unreadable: failures }, null, 2) + '\n');
      else io.stdout.write(renderWhereText(b, failures, top ?? 5));
      return 0;
    } catch (e) {
      progress.done();
      if (e instanceof WhereError) {
        io.stderr.write(`memtriage where: ${e.message}\n`);
        return 2;
      }
      throw e;
    } finally {
      await reader.close();
    }
  },
};
