import type { SnapshotIncident } from '../model/snapshot-incidents.js';
import { formatKb } from '../model/units.js';

const pct = (x: number | null | undefined): string => (x == null ? '?' : `${x}%`);

/** One timeline line for a snapshot or crash incident: the few numbers a person looks at first. */
export function snapshotLine(s: SnapshotIncident): string {
  switch (s.kind) {
    case 'meminfo_snapshot':
      return `meminfo: MemTotal ${formatKb(s.memTotalKb)}, MemAvailable ${formatKb(s.memAvailableKb)}, MemFree ${formatKb(s.memFreeKb)}, Cached ${formatKb(s.cachedKb)}`;
    case 'slab_snapshot': {
      const top = [...s.caches].sort((a, b) => (b.objects ?? 0) - (a.objects ?? 0))[0];
      return `${s.source}: ${s.caches.length} caches${top ? `; most objects: ${top.name} (${top.objects})` : ''}`;
    }
    case 'top_snapshot': {
      const big = [...s.processes].sort((a, b) => (b.vszKb ?? 0) - (a.vszKb ?? 0))[0];
      return `${s.source}: free ${formatKb(s.mem.freeKb)}, cached ${formatKb(s.mem.cachedKb)}, iowait ${pct(s.cpu.iowaitPercent)}${big ? `; largest VSZ ${big.command.split(' ')[0]} ${big.vszText ?? formatKb(big.vszKb)}` : ''}`;
    }
    case 'pidstat_snapshot': {
      const rows = s.intervals.flatMap((i) => i.rows);
      const busiest = [...rows].sort((a, b) => (b.values['%CPU'] ?? 0) - (a.values['%CPU'] ?? 0))[0];
      return `pidstat: ${s.intervals.length} interval(s), ${rows.length} row(s)${busiest?.values['%CPU'] != null ? `; busiest ${busiest.command} ${busiest.values['%CPU']}% CPU` : ''}`;
    }
    case 'mpstat_snapshot': {
      const all = s.intervals.flatMap((i) => i.rows).filter((r) => r.cpu === 'all');
      return `mpstat: ${all.length} interval(s)${all.length ? `, iowait ${all.map((r) => pct(r.iowaitPercent)).join(' ')}` : ''}`;
    }
    case 'iostat_snapshot': {
      const devs = s.intervals.flatMap((i) => i.devices);
      const max = [...devs].sort((a, b) => (b.utilPercent ?? 0) - (a.utilPercent ?? 0))[0];
      return `iostat: ${s.intervals.length} report(s)${max ? `; busiest ${max.device} ${pct(max.utilPercent)} util, ${max.readKbPerSec ?? '?'} kB/s read` : ''}`;
    }
    case 'pagecache_residency':
      return `page-cache residency: ${s.files.length} file(s)`;
    case 'psi_snapshot':
      return `PSI${s.resource ? ` ${s.resource}` : ''}: some avg10 ${s.some?.avg10 ?? '?'}${s.full ? `, full avg10 ${s.full.avg10}` : ''}`;
    case 'crash_kmem':
      return `crash kmem -i: free ${s.freePages ?? '?'} of ${s.totalMemPages ?? '?'} pages; committed ${s.committedPercentOfLimit ?? '?'}% of the commit limit`;
    case 'crash_ps':
      return `crash ${s.command ?? 'ps'}: ${s.tasks.length} task(s)${s.filtered ? ' (filtered)' : ''}`;
    case 'crash_bt':
      return `crash bt: ${s.comm ?? '?'} pid ${s.pid ?? '?'}: ${s.frames.slice(0, 5).map((f) => f.fn).join(' < ')}`;
    case 'crash_sched_info':
      return `crash sched_info: ${s.comm ?? '?'} pid ${s.pid ?? '?'}, run_delay ${s.runDelayNs ?? '?'} ns`;
    case 'crash_struct':
      return `crash ${s.expression ?? 'struct'}: ${s.fields.slice(0, 3).map((f) => `${f.path} = ${f.value}`).join(', ')}`;
    case 'crash_count':
      return `crash "${s.command}": ${s.count}${s.entries != null && s.entries !== s.count ? ` lines = ${s.entries} entries` : ''}`;
    case 'sysctl_snapshot':
      return `sysctl: ${Object.keys(s.values).length} setting(s)${s.overcommitMemory != null ? `; vm.overcommit_memory = ${s.overcommitMemory}` : ''}${s.overcommitRatio != null ? `, ratio ${s.overcommitRatio}` : ''}`;
    case 'enomem_lines':
      return `allocation refused (ENOMEM): ${[...new Set(s.entries.map((e) => e.program ?? '?'))].join(', ')}`;
    case 'guard_decision':
      return `memtriage guard (${s.mode ?? '?'}): thrash storm in ${s.cgroup === '/' ? 'the whole machine' : `cgroup ${s.cgroup}`}: memory stall ${s.memSomePercent1s ?? '?'} % of the last second, ${s.majorFaultsPerSecHeld == null ? '?' : Math.round(s.majorFaultsPerSecHeld)} major faults/s held ${s.heldMs == null ? '?' : (s.heldMs / 1000).toFixed(1)} s; action: ${s.plannedAction ?? '?'}${s.victim ? ` (${s.victim.comm}, pid ${s.victim.pid})` : ''}`;
    case 'guard_series':
      return `memtriage guard samples: ${s.samples} over ${(s.spanMs / 1000).toFixed(1)} s; ${s.cgroups.map((c) => `${c.cgroup} peak stall ${c.peakMemSomePercent ?? '?'} %, ${c.peakMajorFaultsPerSec ?? '?'} major faults/s`).join('; ')}`;
    default:
      return `${s.kind} (${s.source})`;
  }
}
