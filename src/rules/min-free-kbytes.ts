import type { EvidenceLine } from '../model/common.js';
import type { Finding } from '../model/finding.js';
import type { StackFrame } from '../model/kernel-incidents.js';
import { formatKb } from '../model/units.js';
import { zoneBelowMin } from './zone-below-min.js';
import { optionsOf, type Rule, type RuleContext, type RuleOptions } from './types.js';
import { memoryReports } from './util/memory-reports.js';
import { lineAt, lineIn, pct } from './util/snapshot-lines.js';
import { headerEvidence, kb, uniqueEvidence } from './util/text.js';
import { checkZones } from './util/watermark.js';

interface Reason { text: string; index: number; evidence: (EvidenceLine | null)[] }

const ATOMIC = new Set(['GFP_ATOMIC', 'GFP_NOWAIT', '__GFP_ATOMIC', '__GFP_HIGH']);
const NET = /^(__netdev_alloc_skb|__napi_alloc_skb|napi_alloc_\w+|__alloc_skb|alloc_skb\w*|sk_stream_alloc_skb|tcp_\w+|skb_\w+|page_frag_alloc\w*)$/;
const allocating = (frames: readonly StackFrame[]): StackFrame | null => frames.find((f) => /^(__alloc_pages\w*|alloc_pages\w*)$/.test(f.fn)) ?? null;

/** The kernel's default: √(16 × lowmem in kB), as init_per_zone_wmark_min computes it (before clamping). */
const defaultMinKb = (ramKb: number): number => Math.floor(Math.sqrt(ramKb * 16));

export const minFreeKbytes: Rule = {
  meta: {
    id: 'min-free-kbytes', role: 'context', precedence: 50, severity: 'info', description: 'Advice to raise vm.min_free_kbytes, only where free memory fell below min repeatedly or atomic/network allocations failed with little free memory.',
    options: {
      minLowReports: { default: 2, description: 'memory reports with a zone at or below min, from which the reserve is said to be hit again and again' },
      crashFreeShare: { default: 0.01, description: 'a crash dump with free memory below this share of RAM and a task stuck allocating' },
    },
  },
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const op = optionsOf(minFreeKbytes.meta, options);
    const atMin = optionsOf(zoneBelowMin.meta).atMinShare; // zone-below-min's definition of "at min"
    const reasons: Reason[] = [];
    let ramKb: number | null = null;
    let currentMinKb: number | null = null;
    const reports = memoryReports(ctx.incidents);
    const low = reports.filter((r) => checkZones(r, atMin).checks.some((c) => c.level === 'below-min' || c.level === 'at-min'));
    for (const r of reports) {
      const mins = r.zones.map((z) => z.minKb);
      if (mins.every((m) => m != null)) currentMinKb = mins.reduce((s, m) => s + (m ?? 0), 0);
      if (r.zones.every((z) => z.managedKb != null)) ramKb = r.zones.reduce((s, z) => s + (z.managedKb ?? 0), 0);
    }
    if (low.length >= op.minLowReports) reasons.push({ text: `${low.length} memory reports show a zone at or below its min watermark: free memory hit the kernel's reserve again and again.`, index: low[0].index, evidence: low.slice(0, 3).map((r) => headerEvidence(ctx, r.incident)) });
    ctx.incidents.forEach((inc, index) => {
      if (inc.kind === 'page_alloc_failure') {
        const atomic = inc.gfpFlags?.some((f) => ATOMIC.has(f)) ?? false;
        const net = inc.callTrace.find((f) => NET.test(f.fn));
        const tight = memoryReports([inc]).some((r) => checkZones(r, atMin).checks.some((c) => c.level !== 'ok'));
        if ((atomic || net) && tight) reasons.push({ text: `An ${atomic ? 'atomic ' : ''}allocation${net ? ` from the network path (${net.fn})` : ''} by ${inc.comm ?? '?'} failed while free memory was below the low watermark: atomic requests cannot wait for reclaim, and only the reserve above min can serve them.`, index, evidence: [headerEvidence(ctx, inc), net ? lineAt(ctx, inc.input, net.line, net.fn) : null] });
      } else if (inc.kind === 'crash_kmem' && inc.totalMemPages && inc.freePages != null && inc.pageSizeKb) {
        ramKb = inc.totalMemPages * inc.pageSizeKb;
        if (inc.freePages >= inc.totalMemPages * op.crashFreeShare) return;
        const stuck = ctx.incidents.find((x) => x.kind === 'crash_bt' && allocating(x.frames));
        if (!stuck || stuck.kind !== 'crash_bt') return;
        const f = allocating(stuck.frames)!;
        reasons.push({ text: `Free memory was ${kb(inc.freePages * inc.pageSizeKb)} (${pct(inc.freePages, inc.totalMemPages)} of ${formatKb(ramKb)}) when the dump was taken, and ${stuck.comm ?? 'a task'} (pid ${stuck.pid}) was waiting in ${f.fn}: allocations were stalling with almost nothing free.`, index, evidence: [lineIn(ctx, inc, 'FREE'), lineAt(ctx, stuck.input, f.line, f.fn)] });
      } else if (inc.kind === 'zoneinfo_snapshot') {
        const below = inc.zones.filter((z) => z.freePages != null && z.minPages != null && z.freePages < z.minPages);
        if (below.length && low.length >= 1) reasons.push({ text: `/proc/zoneinfo also shows ${below.map((z) => `${z.zone} free ${z.freePages} < min ${z.minPages} pages`).join(', ')}.`, index, evidence: below.map((z) => lineAt(ctx, inc.input, z.line, z.zone)) });
      }
    });
    if (reasons.length === 0) return [];
    const target = ramKb != null ? Math.round(ramKb / 100) : null;
    const def = ramKb != null ? defaultMinKb(ramKb) : null;
    const explanation = [
      ...reasons.map((r) => r.text),
      currentMinKb != null ? `The zones' min watermarks add up to ${kb(currentMinKb)}, which is what vm.min_free_kbytes is set to now.` : def != null ? `The kernel's default for ${formatKb(ramKb)} is about √(16 × RAM in kB) = ${kb(def)} (capped on large machines).` : '',
      `vm.min_free_kbytes sets the min watermark: the memory only atomic allocations (interrupts, network receive) and the kernel's reclaim may use, and the low/high watermarks at which kswapd wakes and stops scale with it.`,
      target != null ? `Raising it to about 1 % of RAM (${kb(target)}) keeps a larger reserve for atomic allocations and makes kswapd start reclaiming earlier, before tasks have to reclaim themselves.` : 'Raising it to about 1 % of RAM keeps a larger reserve for atomic allocations and makes kswapd start reclaiming earlier.',
      `What it costs: that memory stays free and is lost to applications and the page cache, and kswapd reclaims sooner and more often. Set too high (several % of RAM) it causes early reclaim and OOM kills of its own. It does not fix what used the memory: do it once memory use is under control.`,
    ].filter(Boolean).join(' ');
    return [{
      rule: 'min-free-kbytes', severity: 'info',
      title: `Consider raising vm.min_free_kbytes${target != null ? ` to about 1 % of RAM (${formatKb(target)})` : ''} once memory use is under control`,
      explanation,
      incidents: [...new Set(reasons.map((r) => r.index))],
      evidence: uniqueEvidence(reasons.flatMap((r) => r.evidence)),
      data: { currentMinFreeKb: currentMinKb, defaultMinFreeKb: currentMinKb == null ? def : null, suggestedMinFreeKb: target, totalKb: ramKb, reasons: reasons.length },
      advice: [target != null ? `sysctl -w vm.min_free_kbytes=${target} (and persist it in /etc/sysctl.d/), after the cause of the memory shortage is fixed.` : 'sysctl -w vm.min_free_kbytes=<1 % of RAM in kB>, after the cause of the memory shortage is fixed.'],
    }];
  },
};
