import type { Line } from '../model/common.js';
import type { Incident } from '../model/incident.js';
import type { MeminfoSnapshotIncident, SlabSnapshotIncident, VmstatSnapshotIncident } from '../model/snapshot-incidents.js';
import { meminfo } from '../parse/sections/meminfo.js';
import { procVmstat } from '../parse/sections/proc-vmstat.js';
import { slabinfo } from '../parse/sections/slabinfo.js';
import type { SectionParser } from '../parse/types.js';

/**
 * A live /proc file is just another input: it goes through the same section parsers `analyze`
 * uses, so the live side and a pasted snapshot can never disagree about what a line means.
 */
function toLines(text: string): Line[] {
  const parts = text.split('\n');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ input: 0, line: i + 1, text: t }));
}

function run<K extends Incident['kind']>(parser: SectionParser, text: string | null, kind: K): Extract<Incident, { kind: K }> | null {
  if (text == null) return null;
  const lines = toLines(text);
  if (lines.length === 0 || parser.detect(lines, 0) === 0) return null;
  const found = parser.parse(lines).incidents.find((i) => i.kind === kind);
  return (found as Extract<Incident, { kind: K }>) ?? null;
}

export function parseMeminfo(text: string | null): MeminfoSnapshotIncident | null {
  return run(meminfo, text, 'meminfo_snapshot');
}

export function parseSlabinfo(text: string | null): SlabSnapshotIncident | null {
  return run(slabinfo, text, 'slab_snapshot');
}

export function parseVmstat(text: string | null): VmstatSnapshotIncident | null {
  return run(procVmstat, text, 'vmstat_snapshot');
}

/**
 * Free pages parked on per-cpu lists ("count:" under "pagesets" in /proc/zoneinfo). They are not
 * in MemFree (NR_FREE_PAGES drops when the buddy allocator hands a batch to a CPU list), and on a
 * many-core box they reach hundreds of MiB. The shared zoneinfo parser skips these lines.
 */
export function perCpuListPages(zoneinfoText: string | null): number | null {
  if (zoneinfoText == null) return null;
  let pages = 0;
  let seen = false;
  for (const m of zoneinfoText.matchAll(/^\s+count:\s+(\d+)\s*$/gm)) {
    pages += Number(m[1]);
    seen = true;
  }
  return seen ? pages : null;
}

/**
 * Page size of the machine that wrote these files, from one counter printed twice: in kB by
 * meminfo and in pages by vmstat (AnonPages = nr_anon_pages × page size). Not MemFree against
 * nr_free_pages: kernels with lazily initialised memory count the uninitialised part in MemFree
 * only (this 6.18 host: 24 GB vs 4.6 GB).
 */
export function pageSizeKbFrom(mem: MeminfoSnapshotIncident | null, vm: VmstatSnapshotIncident | null): number | null {
  if (!mem || !vm) return null;
  const pairs: [number | null, number | undefined][] = [
    [mem.anonPagesKb, vm.counters.nr_anon_pages],
    [mem.shmemKb, vm.counters.nr_shmem],
    [mem.pageTablesKb, vm.counters.nr_page_table_pages],
  ];
  for (const [kb, pages] of pairs) {
    if (kb && pages) return 2 ** Math.round(Math.log2(kb / pages));
  }
  return null;
}
