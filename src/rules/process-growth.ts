import type { Finding } from '../model/finding.js';
import type { ProcessRow } from '../model/snapshot-incidents.js';
import { formatKb } from '../model/units.js';
import { optionsOf, type Rule, type RuleContext, type RuleOptions } from './types.js';
import { lineAt, pct } from './util/snapshot-lines.js';
import { orderPair, processSnapshots, type ProcessSnapshot } from './util/snapshot-order.js';
import { uniqueEvidence } from './util/text.js';


/** Kernel threads ("[kswapd0]") own no user memory; a process is known by its command line. */
const key = (p: ProcessRow): string | null => (/^\[.*\]$/.test(p.command) ? null : p.command.trim());

function totalKb(s: ProcessSnapshot): number | null {
  if (s.kind !== 'top_snapshot') return null;
  if (s.mem.totalKb != null) return s.mem.totalKb;
  return s.mem.usedKb != null && s.mem.freeKb != null ? s.mem.usedKb + s.mem.freeKb : null;
}

function byCommand(s: ProcessSnapshot): Map<string, ProcessRow[]> {
  const m = new Map<string, ProcessRow[]>();
  for (const p of s.processes) { const k = key(p); if (k) m.set(k, [...(m.get(k) ?? []), p]); }
  return m;
}

const sum = (rows: ProcessRow[], f: 'rssKb' | 'vszKb'): number | null => (rows.every((r) => r[f] != null) ? rows.reduce((s, r) => s + (r[f] ?? 0), 0) : null);
const shown = (rows: ProcessRow[], f: 'rssKb' | 'vszKb'): string => rows.map((r) => (f === 'vszKb' && r.vszText && !/^\d+$/.test(r.vszText) ? `${r.vszText} (${r.vszKb} kB)` : `${r[f]} kB`)).join(' + ');

export const processGrowth: Rule = {
  meta: {
    id: 'process-growth', role: 'cause', precedence: 20, severity: 'warning', description: 'Between two snapshots of the same machine (top, ps), which process grew, matched by command line.',
    // Growth that matters: 32 MiB and 1.5× at least, and 5 % of RAM when the screens say how much there is.
    options: {
      minGrowthKb: { default: 32 * 1024, description: 'growth below this many kB is not reported' },
      minFactor: { default: 1.5, description: 'the later size must be at least this multiple of the earlier' },
      minRamShare: { default: 0.05, description: 'growth must be at least this share of RAM (when known)' },
      criticalRamShare: { default: 0.25, description: 'critical when the growth is at least this share of RAM' },
    },
  },
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const op = optionsOf(processGrowth.meta, options);
    const snaps = processSnapshots(ctx.incidents);
    if (snaps.length < 2) return [];
    // Compare the calmest and the most pressed screen of one kind (top with top, ps with ps).
    const kind = snaps.filter((s) => s.inc.kind === 'top_snapshot').length >= 2 ? 'top_snapshot' : 'ps_snapshot';
    const same = snaps.filter((s) => s.inc.kind === kind);
    if (same.length < 2) return [];
    const o = orderPair(same[0], same[same.length - 1]);
    if (!o) return [];
    const [a, b] = [o.earlier.inc, o.later.inc];
    const ram = totalKb(b) ?? totalKb(a);
    const before = byCommand(a); const after = byCommand(b);
    const grown: { cmd: string; field: 'rssKb' | 'vszKb'; fromKb: number; toKb: number; ra: ProcessRow[]; rb: ProcessRow[] }[] = [];
    for (const [cmd, rb] of after) {
      const ra = before.get(cmd);
      if (!ra) continue;
      const field = sum(ra, 'rssKb') != null && sum(rb, 'rssKb') != null ? 'rssKb' : 'vszKb';
      const fromKb = sum(ra, field); const toKb = sum(rb, field);
      if (fromKb == null || toKb == null) continue;
      const delta = toKb - fromKb;
      if (delta < op.minGrowthKb || toKb < fromKb * op.minFactor || (ram != null && delta < ram * op.minRamShare)) continue;
      grown.push({ cmd, field, fromKb, toKb, ra, rb });
    }
    grown.sort((x, y) => (y.toKb - y.fromKb) - (x.toKb - x.fromKb));
    const basis = o.basis === 'time'
      ? 'The snapshots are ordered by the time they were taken.'
      : `The snapshots carry no time, so they are ordered by memory pressure: the one with less free memory (free + buffers + cache) is taken as the later, abnormal state. That is an assumption: if the calm screen was taken after a restart, read "grew" as "was this much bigger when memory ran out".`;
    return grown.map((g) => {
      const what = g.field === 'rssKb' ? 'resident memory (RSS)' : 'virtual size (VSZ)';
      const pids = `pid ${g.ra.map((r) => r.pid).join('/')} → ${g.rb.map((r) => r.pid).join('/')}`;
      const restarted = g.ra.length === 1 && g.rb.length === 1 && g.ra[0].pid !== g.rb[0].pid;
      const explanation = [
        `${g.cmd} grew from ${shown(g.ra, g.field)} to ${shown(g.rb, g.field)} of ${what}: +${formatKb(g.toKb - g.fromKb)}, ${(g.toKb / Math.max(g.fromKb, 1)).toFixed(0)}× (${pids}; matched by command line, since pids change).`,
        ram != null ? `That is ${pct(g.toKb - g.fromKb, ram)} of the ${formatKb(ram)} the screens show.` : '',
        restarted ? `The pid differs between the screens, so the process was restarted in between.` : '',
        basis,
        g.field === 'vszKb' ? 'VSZ counts address space, not memory in use; busybox top shows no RSS, but a large VSZ growth in a daemon that normally stays small is the usual sign of a leak.' : '',
        'This points at the process to look at; it does not prove it caused the memory shortage alone (compare with the other findings).',
      ].filter(Boolean).join(' ');
      return {
        rule: 'process-growth', severity: ram != null && g.toKb - g.fromKb >= ram * op.criticalRamShare ? 'critical' : 'warning',
        title: `${g.cmd} grew from ${formatKb(g.fromKb)} to ${formatKb(g.toKb)} (${g.field === 'rssKb' ? 'RSS' : 'VSZ'}) between the two snapshots`,
        explanation,
        incidents: [o.earlier.index, o.later.index],
        evidence: uniqueEvidence([...g.ra.map((r) => lineAt(ctx, a.input, r.line, g.cmd)), ...g.rb.map((r) => lineAt(ctx, b.input, r.line, g.cmd))]),
        data: {
          command: g.cmd, metric: g.field === 'rssKb' ? 'rss' : 'vsz', fromKb: g.fromKb, toKb: g.toKb, growthKb: g.toKb - g.fromKb,
          pidsBefore: g.ra.map((r) => r.pid), pidsAfter: g.rb.map((r) => r.pid), orderBasis: o.basis, totalKb: ram,
        },
        advice: ['Watch the process over time (ps -o pid,rss,vsz,cmd every minute) to confirm a leak, and restart it as a stop-gap; cap it with a memory cgroup (systemd MemoryMax=) so it fails alone.'],
      } satisfies Finding;
    });
  },
};
