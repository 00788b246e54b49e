import { buildBreakdown, type Breakdown, type CachedFile } from './breakdown.js';
import { cgroupMounts, readCgroups } from './cgroups.js';
import { mappedFiles } from './mapped-files.js';
import { readProcesses } from './processes.js';
import { memoryMounts, onMount, parseMountinfo, vmallocStackPages } from './proc-text.js';
import type { ProcReader } from './reader.js';
import type { ResidencyFn } from './residency.js';
import { pageSizeKbFrom, parseMeminfo, parseSlabinfo, parseVmstat, perCpuListPages } from './snapshots.js';
import { findSuspects } from './suspects.js';

export interface WhereOptions {
  /** Measures page-cache residency; null leaves the page cache without per-file children. */
  residency?: ResidencyFn | null;
  maxProcesses?: number;
  /** Files whose residency is measured for the page-cache children. */
  maxFiles?: number;
  slabMinKb?: number;
  topN?: number;
  arch?: string;
  /** Reported while files are measured: (done, total). */
  progress?: (done: number, total: number) => void;
}

export class WhereError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

/**
 * Reads this machine (or a captured tree) through `reader` and builds the breakdown. Only
 * /proc/meminfo is required; everything else that fails narrows the answer and is listed in
 * reader.failures().
 */
export async function gatherWhere(reader: ProcReader, opts: WhereOptions = {}): Promise<Breakdown> {
  // The counters that must add up are sampled together, first, before this command's own work
  // (helpers, mmaps) moves pages around: pages hop between MemFree and the per-cpu lists in
  // batches, and a zoneinfo read even 200 ms later can be off by a hundred MiB on a busy box.
  const [meminfoText, zoneinfoText, vmstatText] = await reader.readFiles(['/proc/meminfo', '/proc/zoneinfo', '/proc/vmstat']);
  const meminfo = parseMeminfo(meminfoText);
  if (!meminfo || meminfo.memTotalKb == null) {
    throw new WhereError('/proc/meminfo', meminfoText == null ? '/proc/meminfo: cannot read it; is /proc mounted?' : '/proc/meminfo: no MemTotal line; not a meminfo file');
  }
  const vmstat = parseVmstat(vmstatText);
  const pageSizeKb = pageSizeKbFrom(meminfo, vmstat) ?? 4;
  const slab = parseSlabinfo(await reader.readFile('/proc/slabinfo'));
  const mounts = parseMountinfo((await reader.readFile('/proc/self/mountinfo')) ?? '');
  const vmallocinfo = await reader.readFile('/proc/vmallocinfo', 32 << 20);

  let skippedNote: string | null = null;
  const processes = await readProcesses(reader, {
    limit: opts.maxProcesses,
    skipped: (n, total) => { skippedNote = `${n} of ${total} processes not read (--max-processes ${opts.maxProcesses}): their memory shows as "not attributed to a process"`; },
  });
  const cgroups = await readCgroups(reader, cgroupMounts(mounts));

  const memMounts = memoryMounts(mounts);
  const tmpfs: { mount: string; usedKb: number }[] = [];
  for (const m of memMounts.slice(0, 64)) {
    const u = await reader.statfs(m.mountPoint);
    if (u) tmpfs.push({ mount: m.mountPoint, usedKb: Math.round(u.usedBytes / 1024) });
  }

  let cachedFiles: CachedFile[] | null = null;
  if (opts.residency) {
    // Largest processes first: their files are the ones worth naming.
    const pids = processes.filter((p) => !p.kernelThread).sort((a, b) => (b.rssKb ?? 0) - (a.rssKb ?? 0)).map((p) => p.pid);
    const files = await mappedFiles(reader, pids, opts.maxFiles ?? 1000);
    const points = memMounts.map((m) => m.mountPoint);
    cachedFiles = [];
    for (const [i, f] of files.entries()) {
      opts.progress?.(i, files.length);
      try {
        const r = opts.residency(f.openPath, f.path);
        // A file this user may not ask about (residency unknown) is not named, not guessed.
        if (r.cachedPages != null) cachedFiles.push({ path: f.path, cachedKb: r.cachedPages * pageSizeKb, shmem: onMount(f.path, points) });
      } catch {
        // Exited process or a file deleted since: it no longer holds cache we can name.
      }
    }
  }

  const nvidiaGpus = await reader.readdir('/proc/driver/nvidia/gpus');
  const suspects = findSuspects({
    modules: await reader.readFile('/proc/modules'),
    vmstat: vmstat?.counters ?? null,
    meminfoCounters: meminfo.counters,
    arcstats: await reader.readFile('/proc/spl/kstat/zfs/arcstats'),
    nvidiaGpus,
    slabCaches: slab?.caches ?? [],
    sockstat: await reader.readFile('/proc/net/sockstat'),
    pageSizeKb,
  });

  const b = buildBreakdown({
    meminfo, vmstat: vmstat?.counters ?? {}, pageSizeKb, slabCaches: slab?.caches ?? null, processes, cgroups,
    cachedFiles, tmpfs, arch: opts.arch ?? process.arch, suspects, slabMinKb: opts.slabMinKb, topN: opts.topN,
    vmallocStackKb: vmallocinfo == null ? null : vmallocStackPages(vmallocinfo) * pageSizeKb,
    pcpFreePages: perCpuListPages(zoneinfoText),
  });
  if (!vmstat) b.notes.push('/proc/vmstat unreadable: page size assumed 4 KiB');
  if (skippedNote) b.notes.push(skippedNote);
  const noPss = processes.filter((p) => p.anonSource === 'status').length;
  if (noPss > 0) b.notes.push(`${noPss} processes counted by RssAnon from status: smaps_rollup (PSS) was not readable for them`);
  return b;
}
