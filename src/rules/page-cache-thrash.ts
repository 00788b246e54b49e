import type { EvidenceLine } from '../model/common.js';
import type { Finding } from '../model/finding.js';
import type { PageCacheThrashData } from '../model/findings/page-cache-thrash.js';
import type { Incident } from '../model/incident.js';
import type { StackFrame } from '../model/kernel-incidents.js';
import { optionsOf, type Rule, type RuleContext, type RuleOptions } from './types.js';
import { lineAt, lineIn, pct } from './util/snapshot-lines.js';
import { headroomKb, orderPair } from './util/snapshot-order.js';
import { showsKubernetes } from './util/kubernetes.js';
import { kb } from './util/text.js';

interface Signal { side: 'pressure' | 'thrash'; key: string; text: string; index: number; evidence: (EvidenceLine | null)[]; data: Omit<PageCacheThrashData, 'signals'> }

const KSWAPD = /^\[?kswapd\d*\]?$/;
const RECLAIM = /^(shrink_\w+|balance_pgdat|kswapd)$/;
/** Daemons whose code must stay resident for the node to keep working, most telling first. */
const CRITICAL = ['kubelet', 'containerd', 'dockerd', 'crio', 'sshd', 'systemd', 'systemd-journald', 'systemd-logind', 'systemd-udevd', 'dbus-daemon', 'NetworkManager', 'chronyd', 'rsyslogd'];
const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** Made once (a regular expression literal inside the callback was a new object per frame). */
const FAULT = /^(filemap_fault|\w+_filemap_fault|do_read_fault|__do_fault)$/;

function faults(frames: readonly StackFrame[]): StackFrame | null {
  return frames.find((f) => FAULT.test(f.fn)) ?? null;
}

function signals(ctx: RuleContext, op: RuleOptions): Signal[] {
  const out: Signal[] = [];
  // The first signal of a key stands. A key already there is skipped before its evidence is read:
  // a flapping node's hundreds of sysrq l dumps each searched their lines for "PC is at" (issue 10).
  const keys = new Set<string>();
  const has = (key: string): boolean => keys.has(key);
  const add = (s: Signal): void => { if (!keys.has(s.key)) { keys.add(s.key); out.push(s); } };
  const tops: { index: number; inc: Extract<Incident, { kind: 'top_snapshot' }> }[] = [];
  let noProcessIo: { index: number; inc: Incident } | null = null;
  ctx.incidents.forEach((inc, index) => {
    if (inc.kind === 'pidstat_snapshot') {
      const rows = inc.intervals.flatMap((i) => i.rows.map((r) => ({ r })));
      const k = rows.filter(({ r }) => KSWAPD.test(r.command) && (r.cpuPercent ?? 0) >= op.kswapdCpuPercent).sort((a, b) => (b.r.cpuPercent ?? 0) - (a.r.cpuPercent ?? 0))[0];
      if (k) add({ side: 'pressure', key: 'kswapd-cpu', index, text: `${k.r.command} (pid ${k.r.pid}) used ${k.r.cpuPercent} % CPU in one interval (pidstat -u), the busiest task: kswapd is the kernel thread that reclaims memory in the background.`, evidence: [lineAt(ctx, inc.input, k.r.line, k.r.command)], data: { kswapdCpuPercent: k.r.cpuPercent } });
      const io = inc.intervals.filter((i) => i.columns.includes('kB_rd/s'));
      if (io.length && io.every((i) => i.rows.length === 0)) noProcessIo = { index, inc };
    } else if (inc.kind === 'top_snapshot') {
      tops.push({ index, inc });
      const k = inc.processes.find((p) => KSWAPD.test(p.command) && (p.cpuPercent ?? 0) >= op.kswapdCpuPercent);
      if (k) add({ side: 'pressure', key: 'kswapd-cpu', index, text: `${k.command} used ${k.cpuPercent} % CPU (top).`, evidence: [lineAt(ctx, inc.input, k.line, k.command)], data: { kswapdCpuPercent: k.cpuPercent } });
      const iow = inc.cpu.iowaitPercent;
      if (iow != null && iow >= op.iowaitPercent) add({ side: 'thrash', key: `iowait-top-${index}`, index, text: `top shows ${iow} % iowait with ${inc.cpu.idlePercent ?? '?'} % idle.`, evidence: [lineIn(ctx, inc, 'CPU:') ?? lineIn(ctx, inc, '%Cpu')], data: { topIowaitPercent: iow } });
    } else if (inc.kind === 'mpstat_snapshot') {
      const all = inc.intervals.filter((i) => !i.average).flatMap((i) => i.rows.filter((r) => r.cpu === 'all' && r.iowaitPercent != null));
      if (all.length && all.every((r) => (r.iowaitPercent ?? 0) >= op.iowaitPercent)) {
        const v = all.map((r) => r.iowaitPercent!);
        add({ side: 'thrash', key: 'iowait-mpstat', index, text: `mpstat shows ${Math.min(...v)}–${Math.max(...v)} % iowait on all CPUs in every interval.`, evidence: [lineAt(ctx, inc.input, all[0].line, 'all')], data: { mpstatIowaitPercent: Math.max(...v) } });
      }
    } else if (inc.kind === 'iostat_snapshot') {
      const devs = inc.intervals.filter((i) => !i.sinceBoot).flatMap((i) => i.devices).filter((d) => (d.utilPercent ?? 0) >= op.diskUtilPercent && (d.readKbPerSec ?? 0) > op.readWriteRatio * (d.writeKbPerSec ?? 0));
      const top = devs.sort((a, b) => (b.readKbPerSec ?? 0) - (a.readKbPerSec ?? 0))[0];
      if (top) add({ side: 'thrash', key: 'disk-reads', index, text: `${top.device} was reading ${top.readKbPerSec} kB/s (${top.readsPerSec} reads/s, ${top.utilPercent} % util) and writing almost nothing (iostat).`, evidence: [lineAt(ctx, inc.input, top.line, top.device)], data: { device: top.device, readKbPerSec: top.readKbPerSec, utilPercent: top.utilPercent } });
    } else if (inc.kind === 'sysrq_backtrace') {
      if (has('kswapd-stack')) return;
      for (const t of inc.tasks.filter((x) => KSWAPD.test(x.comm))) {
        const f = t.frames.find((x) => RECLAIM.test(x.fn) && x.fn !== 'kswapd');
        if (!f && !(t.pc && RECLAIM.test(t.pc))) continue;
        add({ side: 'pressure', key: 'kswapd-stack', index, text: `sysrq l caught ${t.comm} on CPU ${t.cpu ?? '?'} in ${t.pc ?? f!.fn}${t.frames.some((x) => x.fn === 'shrink_node') ? ' ← shrink_node' : ''}: reclaiming pages.`, evidence: [t.pc ? lineIn(ctx, inc, `PC is at ${t.pc}`) : null, ...t.frames.filter((x) => x.fn === 'shrink_node').map((x) => lineAt(ctx, inc.input, x.line, x.fn))], data: {} });
      }
    } else if (inc.kind === 'sysrq_blocked' || inc.kind === 'sysrq_show_state') {
      const blocked = inc.tasks.filter((t) => t.state == null || t.state.startsWith('D'));
      const inFault = blocked.map((t) => ({ t, f: faults(t.frames) })).filter((x) => x.f);
      if (inFault.length) add({ side: 'thrash', key: `filemap-${index}`, index, text: `${inFault.length === blocked.length ? `Every blocked task (${blocked.length}) is` : `${inFault.length} of ${blocked.length} blocked tasks are`} waiting in ${inFault[0].f!.fn}, reading a page of a mapped file (program code or data) back from disk: ${inFault.map((x) => `${x.t.comm} ${x.t.pid ?? ''}`.trim()).join(', ')}.`, evidence: inFault.slice(0, 3).map((x) => lineAt(ctx, inc.input, x.f!.line, x.f!.fn)), data: { blockedTasks: blocked.length, tasksInFilemapFault: inFault.length } });
    } else if (inc.kind === 'meminfo_snapshot' && inc.memTotalKb) {
      if (inc.memAvailableKb != null && inc.memAvailableKb < inc.memTotalKb * op.memAvailableShare) add({ side: 'pressure', key: 'memavailable', index, text: `MemAvailable is ${kb(inc.memAvailableKb)} of ${kb(inc.memTotalKb)} (${pct(inc.memAvailableKb, inc.memTotalKb)}).`, evidence: [lineIn(ctx, inc, 'MemAvailable:', true)], data: { memAvailableKb: inc.memAvailableKb } });
      // A small cache on an idle machine with memory to spare is no pressure: it just has not been filled.
      const spare = inc.memAvailableKb ?? inc.memFreeKb;
      if (spare != null && spare < inc.memTotalKb * op.spareShare && inc.cachedKb != null && inc.cachedKb + (inc.buffersKb ?? 0) < inc.memTotalKb * op.cacheShare) add({ side: 'pressure', key: 'cache-small', index, text: `The page cache is down to ${kb(inc.cachedKb)} (Cached), ${pct(inc.cachedKb, inc.memTotalKb)} of RAM.`, evidence: [lineIn(ctx, inc, 'Cached:', true)], data: { cachedKb: inc.cachedKb } });
    } else if (inc.kind === 'pagecache_residency') {
      const hit = inc.files.filter((f) => f.percent != null && f.percent < op.evictedPercent && CRITICAL.includes(base(f.path))).sort((a, b) => CRITICAL.indexOf(base(a.path)) - CRITICAL.indexOf(base(b.path)));
      if (hit.length) add({ side: 'thrash', key: 'residency', index, text: `The page-cache residency table shows the code of critical programs evicted: ${hit.slice(0, 5).map((f) => `${base(f.path)} ${f.percent} % cached (${f.cachedPages} of ${f.pages} pages)`).join(', ')}; every time they run, their code is read back from disk.`, evidence: hit.slice(0, 3).map((f) => lineAt(ctx, inc.input, f.line, f.path)), data: { evicted: hit.map((f) => ({ path: f.path, percent: f.percent })) } });
    }
  });
  if (tops.length >= 2) {
    const o = orderPair(tops[0], tops[tops.length - 1]);
    const [a, b] = o ? [o.earlier.inc, o.later.inc] : [null, null];
    if (a && b && a.mem.cachedKb && b.mem.cachedKb != null && b.mem.cachedKb < a.mem.cachedKb * op.cacheCollapseShare) {
      add({ side: 'pressure', key: 'cache-collapse', index: o!.later.index, text: `Between the two top screens the page cache fell from ${a.mem.cachedKb}K to ${b.mem.cachedKb}K cached${o!.basis === 'pressure' ? ' (the screens carry no time; the one with less free memory is taken as the bad state)' : ''}.`, evidence: [lineIn(ctx, a, 'Mem:'), lineIn(ctx, b, 'Mem:')], data: { cachedBeforeKb: a.mem.cachedKb, cachedAfterKb: b.mem.cachedKb } });
    }
  } else if (tops.length === 1 && tops[0].inc.mem.cachedKb != null) {
    const t = tops[0].inc; const h = headroomKb(t); const total = (t.mem.usedKb ?? 0) + (t.mem.freeKb ?? 0);
    if (h != null && total > 0 && (t.mem.freeKb ?? 0) < total * op.spareShare && t.mem.cachedKb! < total * op.cacheShare) add({ side: 'pressure', key: 'cache-small', index: tops[0].index, text: `top shows only ${t.mem.cachedKb}K cached of ${total}K.`, evidence: [lineIn(ctx, t, 'Mem:')], data: { cachedKb: t.mem.cachedKb } });
  }
  const disk = out.find((s) => s.key === 'disk-reads');
  const npi = noProcessIo as { index: number; inc: Incident } | null;
  if (disk && npi) {
    disk.text += ' Yet pidstat -d listed no process doing file IO in any interval: the reads are page faults and readahead done on the tasks\' behalf, not read() calls.';
    disk.evidence.push(lineIn(ctx, npi.inc, 'kB_rd/s'));
  }
  return out;
}

export const pageCacheThrash: Rule = {
  meta: {
    id: 'page-cache-thrash', role: 'mechanism', precedence: 10, severity: 'critical', description: 'Memory pressure evicting the page cache (program code included) faster than it is read back: high iowait that is not a disk problem.',
    options: {
      kswapdCpuPercent: { default: 20, description: 'kswapd at this % CPU (pidstat, top) is a pressure signal' },
      iowaitPercent: { default: 30, description: 'iowait from this % (top; mpstat in every interval) is a thrash signal' },
      diskUtilPercent: { default: 50, description: 'a disk this busy (iostat %util) …' },
      readWriteRatio: { default: 10, description: '… reading this many times more than it writes is a thrash signal' },
      memAvailableShare: { default: 0.05, description: 'MemAvailable below this share of MemTotal is a pressure signal' },
      spareShare: { default: 0.1, description: 'the cache counts as squeezed only while available (or free) memory is below this share …' },
      cacheShare: { default: 0.02, description: '… and the page cache below this share of RAM' },
      evictedPercent: { default: 10, description: 'a critical daemon\'s file cached below this % is evicted' },
      cacheCollapseShare: { default: 0.25, description: 'between two top screens, the cache fell below this share of what it was' },
    },
  },
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const s = signals(ctx, optionsOf(pageCacheThrash.meta, options));
    const pressure = s.filter((x) => x.side === 'pressure');
    const thrash = s.filter((x) => x.side === 'thrash');
    if (pressure.length === 0 || thrash.length === 0) return [];
    const stuck = thrash.some((x) => x.key.startsWith('filemap') || x.key === 'residency');
    const explanation = [
      `Memory pressure: ${pressure.map((x) => x.text).join(' ')}`,
      `Thrashing: ${thrash.map((x) => x.text).join(' ')}`,
      'This is page-cache thrashing under memory pressure, not a disk problem: with little memory left (and nothing else it can free), the kernel keeps dropping clean file pages, including the code of running programs, and the programs fault them straight back in, so the disk reads flat out and tasks sit in D state waiting for their own code.',
      'The OOM killer may never come: as long as reclaim keeps freeing some file pages, the kernel does not consider itself out of memory, so the machine can stay like this for hours (NotReady, unreachable, "hung") without a single OOM kill in the log.',
      'It does not mean the disk is slow or failing; the cause is whatever took the memory (see the other findings).',
    ].join(' ');
    return [{
      rule: 'page-cache-thrash', severity: stuck ? 'critical' : 'warning',
      title: 'Page-cache thrashing under memory pressure (not a disk problem)',
      explanation,
      incidents: [...new Set(s.map((x) => x.index))].sort((a, b) => a - b),
      evidence: s.flatMap((x) => x.evidence).filter((e): e is EvidenceLine => e != null),
      data: Object.assign({ signals: s.map((x) => x.key) }, ...s.map((x) => x.data)) as PageCacheThrashData,
      advice: [
        'Kill earlier than the kernel does: run a user-space OOM killer (earlyoom, oomd, systemd-oomd) that acts on memory pressure (PSI) or low MemAvailable, before the thrash starts.',
        'Lock the code of critical daemons in memory (mlockall in the daemon, or a tool such as prelockd), so reclaim cannot evict it.',
        `Do not trust cgroup limits for memory a driver allocates: it is charged to no cgroup, so reserve it explicitly${showsKubernetes(ctx) ? ' (kube-reserved/system-reserved)' : ''}.`,
      ],
    }];
  },
};
