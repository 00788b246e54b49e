import { hostname, machine, release, type, version } from 'node:os';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BundleWriter } from '../live/bundle-writer.js';
import { collect } from '../live/collect.js';
import { readKernelLog } from '../live/kmsg.js';
import { reportableFailures } from '../live/reader.js';
import { RealReader } from '../live/real-reader.js';
import { createResidency } from '../live/residency.js';
import { BUNDLE_SCHEMA } from '../read/bundle.js';
import { progressLine } from './cache.js';
import { type CliIO, type Command } from './command.js';
import { intOption } from './options.js';
import { checkOutputPath } from './output.js';
import { SUMMARIES } from './registry.js';

const HELP = `Usage: memtriage collect [-o FILE] [--max-processes N] [--timeout-ms N]

Captures this machine's memory state into one bundle to analyze later or elsewhere:
  memtriage analyze memtriage-HOST-DATE.tar.gz

The bundle is a .tar.gz (open it with tar xzf). Members are named after their source:
  manifest.json            schema "memtriage/bundle@1", host, kernel, time, every member,
                           and every source that could not be read, with the reason
  kmsg.log | dmesg.log     the kernel log (/dev/kmsg, else the dmesg command)
  proc/meminfo, proc/vmstat, proc/zoneinfo, proc/buddyinfo, proc/pagetypeinfo,
  proc/slabinfo, proc/pressure/{memory,io,cpu}, proc/swaps, proc/modules, proc/uptime, …
  proc/sys/vm/…, proc/sys/kernel/…   min_free_kbytes, overcommit_*, swappiness,
                           watermark_scale_factor, vm.panic_on_oom, …
  proc/PID/status          every process
  proc/PID/{smaps_rollup,oom_score,oom_score_adj,cgroup,cmdline}   the 200 largest
  sys/fs/cgroup/…/memory.*  memory cgroup files (v1 and v2)
  residency.txt|.json      page-cache residency of critical daemons' binaries and libraries
  uname.txt, where.json    kernel identity; the \`memtriage where\` breakdown at that moment

Built for a machine in trouble: every /proc read has a timeout (a process stuck on its mm lock
can block reads of its files for minutes); what fails is listed in the manifest, never fatal.
The bundle is written to a temp file and renamed, so FILE never holds a partial bundle.
Run as root for the full picture (kernel log, slabinfo, other users' processes).

Options:
  -o, --output FILE     where to write ("-": standard output) (default ./memtriage-HOST-YYYYmmdd-HHMMSS.tar.gz); a new
                        name or a regular file (devices, directories and symlinks are refused)
  --max-processes N     keep the status of at most N processes (default: every process;
                        the number skipped is written in manifest.json and said on stderr)
  --timeout-ms N        per-read timeout (default 3000)

Example:
  sudo memtriage collect -o /var/tmp/node17.tar.gz
`;

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

export const collectCommand: Command = {
  name: 'collect',
  summary: SUMMARIES.collect,
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseArgs({
      args: argv, allowPositionals: false,
      options: { output: { type: 'string', short: 'o' }, 'max-processes': { type: 'string' }, 'timeout-ms': { type: 'string' } },
    });
    const maxProcesses = intOption(values['max-processes'], 'max-processes');
    const timeoutMs = intOption(values['timeout-ms'], 'timeout-ms');
    const created = new Date();
    // "-o -": the bundle is built in the temp directory and copied to standard output at the end.
    const toStdout = values.output === '-';
    const out = toStdout ? join(tmpdir(), `memtriage-${process.pid}-${stamp(created)}.tar.gz`) : resolve(values.output ?? `memtriage-${hostname()}-${stamp(created)}.tar.gz`);
    // A device, directory or symlink is refused before anything is collected (and again before
    // the rename): `collect -o /dev/stdout` as root once replaced the device node with the bundle.
    try {
      checkOutputPath(out);
    } catch (e) {
      io.stderr.write(`memtriage collect: ${(e as Error).message}\n`);
      return 2;
    }
    const writer = new BundleWriter(out, process.pid, () => checkOutputPath(out));
    try {
      await writer.start();
    } catch (e) {
      io.stderr.write(`memtriage collect: ${out}: cannot write next to it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose another place with -o\n`);
      return 2;
    }
    const reader = new RealReader({ timeoutMs });
    const progress = progressLine(io.stderr, 'collecting');
    try {
      let residency = null;
      let pageSize: number | undefined;
      const nativeErrors: { path: string; code: string; message: string }[] = [];
      try {
        ({ residency, pageSize } = await createResidency());
      } catch (e) {
        nativeErrors.push({ path: 'residency.txt', code: 'ENATIVE', message: (e as Error).message });
      }
      await writer.add('uname.txt', `${type()} ${hostname()} ${release()} ${version()} ${machine()}\n`);
      const { kernelLogErrors, processes } = await collect(reader, (n, t) => writer.add(n, t), {
        residency, pageSize, kernelLog: () => readKernelLog(), maxProcesses,
        progress: (step) => progress.update(step),
      });
      const unreadable = [...kernelLogErrors, ...nativeErrors, ...reportableFailures(reader)];
      const manifest = {
        schema: BUNDLE_SCHEMA, tool: 'memtriage collect', createdAt: created.toISOString(), host: hostname(),
        kernel: release(), arch: machine(), uid: process.getuid?.() ?? null, pageSize: pageSize ?? null,
        members: writer.members(), unreadable, processes,
      };
      await writer.finish(JSON.stringify(manifest, null, 2) + '\n');
      progress.done();
      if (toStdout) {
        try {
          for await (const c of createReadStream(out)) await new Promise<void>((res) => (io.stdout.write(c) ? res() : io.stdout.once('drain', () => res())));
        } finally {
          await rm(out, { force: true });
        }
      } else io.stdout.write(`${out}\n`);
      io.stderr.write(`memtriage collect: ${manifest.members.length + 1} members, ${unreadable.length} sources unreadable (listed in manifest.json)\n`);
      if (processes.skipped) io.stderr.write(`memtriage collect: ${processes.skipped} of ${processes.total} processes skipped (--max-processes ${maxProcesses}); their memory cannot be attributed from this bundle\n`);
      return 0;
    } catch (e) {
      progress.done();
      await writer.abort();
      io.stderr.write(`memtriage collect: ${out}: ${(e as Error).message}\n`);
      return 2;
    } finally {
      await reader.close();
    }
  },
};
