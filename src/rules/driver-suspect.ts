import type { EvidenceLine } from '../model/common.js';
import type { Finding, Severity } from '../model/finding.js';
import type { Incident } from '../model/incident.js';
import type { StackFrame } from '../model/kernel-incidents.js';
import { formatKb } from '../model/units.js';
import type { Rule, RuleContext } from './types.js';
import { DRIVERS, driverOfFrame, driverOfModule, driverOfSlab, matchOf, type DriverPattern, type Match } from './util/drivers.js';
import { lineAt, pct } from './util/snapshot-lines.js';
import { evidenceNear, kb, uniqueEvidence } from './util/text.js';
import { isLarge, unaccountedReports, type Unaccounted } from './util/unaccounted.js';

/** slabtop and slabinfo never print the page size; x86-64 and most arm64 kernels use 4 KiB. */
const ASSUMED_PAGE_KB = 4;

interface Clues {
  slabs: { name: string; objects: number; cacheKb: number | null; estimateKb: number | null; ev: EvidenceLine | null; index: number }[];
  frames: { fn: string; module: string | null; unreliable: boolean; what: string; ev: EvidenceLine | null; index: number }[];
  loaded: { name: string; ev: EvidenceLine | null; index: number }[];
}

function stacksOf(inc: Incident): StackFrame[][] {
  if ('callTrace' in inc && Array.isArray(inc.callTrace)) return [inc.callTrace];
  if ('tasks' in inc && Array.isArray(inc.tasks)) return inc.tasks.map((t) => ('frames' in t ? t.frames : []));
  if (inc.kind === 'crash_bt') return [inc.frames];
  return [];
}

function collect(ctx: RuleContext): Map<DriverPattern, Clues> {
  const by = new Map<DriverPattern, Clues>();
  const get = (d: DriverPattern): Clues => by.get(d) ?? (by.set(d, { slabs: [], frames: [], loaded: [] }), by.get(d)!);
  ctx.incidents.forEach((inc, index) => {
    if (inc.kind === 'slab_snapshot') {
      for (const c of inc.caches) {
        const d = driverOfSlab(c.name);
        if (!d || !c.objects) continue;
        const estimateKb = d.pagePerObject?.test(c.name) ? c.objects * ASSUMED_PAGE_KB : c.cacheSizeKb ?? (c.cacheSizePages != null ? c.cacheSizePages * ASSUMED_PAGE_KB : null);
        get(d).slabs.push({ name: c.name, objects: c.objects, cacheKb: c.cacheSizeKb, estimateKb, ev: lineAt(ctx, inc.input, c.line, c.name), index });
      }
    }
    for (const frames of stacksOf(inc)) {
      const seen = new Set<string>();
      for (const f of frames) {
        const d = driverOfFrame(f.fn, f.module);
        if (!d || seen.has(d.driver)) continue;
        seen.add(d.driver);
        get(d).frames.push({ fn: f.fn, module: f.module, unreliable: f.unreliable, what: inc.kind.replace(/_/g, ' '), ev: lineAt(ctx, inc.input, f.line, f.fn), index });
      }
    }
    if ('modules' in inc && Array.isArray(inc.modules)) {
      for (const m of inc.modules) {
        const d = driverOfModule(m.name);
        if (d && !get(d).loaded.some((x) => x.name === m.name)) get(d).loaded.push({ name: m.name, ev: evidenceNear(ctx, inc.input, inc.line, 'Modules linked in:', Math.min(inc.endLine - inc.line, 40)), index });
      }
    }
  });
  return by;
}

export const driverSuspect: Rule = {
  meta: { id: 'driver-suspect', severity: 'warning', description: 'Names the driver likely holding memory outside the counters (slab caches, call-trace frames, loaded modules) and how well the numbers match.' },
  check(ctx: RuleContext): Finding[] {
    const missing: Unaccounted | null = unaccountedReports(ctx.incidents).filter(isLarge).sort((a, b) => b.unaccountedKb - a.unaccountedKb)[0] ?? null;
    const out: Finding[] = [];
    const clues = collect(ctx);
    const anyHard = [...clues.values()].some((c) => c.slabs.length || c.frames.length);
    for (const [d, c] of clues) {
      const strongest = [...c.slabs].sort((a, b) => (b.estimateKb ?? 0) - (a.estimateKb ?? 0))[0] ?? null;
      // A module in a list proves only that it was loaded: it names a suspect only when memory is missing.
      if (!strongest && c.frames.length === 0 && (!missing || anyHard)) continue;
      if (!strongest && c.frames.length === 0 && c.loaded.length === 0) continue;
      const match: Match = matchOf(strongest?.estimateKb ?? null, missing?.unaccountedKb ?? null);
      const parts: string[] = [];
      if (strongest) {
        const per = d.pagePerObject?.test(strongest.name);
        parts.push(`The slab cache ${strongest.name} holds ${strongest.objects} objects${strongest.cacheKb != null ? ` (${kb(strongest.cacheKb)} of slab)` : ''}${per ? `; each stands for one page the driver pinned, so with one ${ASSUMED_PAGE_KB} KiB page behind each (the usual x86-64 page size; slabtop does not print it) that is ${kb(strongest.estimateKb!)}` : ''}.`);
        if (missing) {
          const word = { strong: 'a strong match', partial: 'a partial match: the driver explains part of it', weak: 'a weak match: it explains only a small part', exceeds: 'more than is missing, so not every object pins a page', unknown: 'not comparable' }[match];
          parts.push(`${formatKb(missing.unaccountedKb)} is held outside every counter (unaccounted-memory); the estimate is ${pct(strongest.estimateKb ?? 0, missing.unaccountedKb)} of that: ${word}.`);
        }
      }
      for (const f of c.frames.slice(0, 3)) {
        parts.push(`The ${f.what} call trace runs through ${f.fn}${f.module ? ` [${f.module}]` : ''}${f.unreliable ? ' (printed with "?": the unwinder was not sure of the frame, but it found the driver\'s address on the stack)' : ''}.`);
      }
      if (d.driver === 'virtio_balloon' && c.frames.some((f) => /oom_notify/.test(f.fn))) {
        parts.push('virtballoon_oom_notify is the balloon\'s OOM notifier: the OOM killer asked the balloon to give pages back before killing, and it could return at most its oom_pages (256 pages by default) and only if the host enabled deflate-on-oom. The killing went ahead, so the balloon kept the rest of what it had inflated.');
      }
      if (!strongest && missing) parts.push(`${formatKb(missing.unaccountedKb)} is held outside every counter (unaccounted-memory); the report does not print the driver's own size, so how much of it the driver holds cannot be measured from this input.`);
      if (!missing && !strongest) parts.push('Nothing in this input shows memory held outside the counters in an amount that matters, so this says only that the driver was allocating (or on the stack) when it happened, not that it holds the memory.');
      if (c.loaded.length) parts.push(`Loaded: ${c.loaded.map((m) => m.name).join(', ')}.`);
      parts.push(`What it does: ${d.what}.`);
      parts.push('This names a suspect from the evidence in hand; it does not prove the driver leaked. Confirm with the driver\'s own counters.');
      const severity: Severity = missing && (match === 'strong' || (!strongest && c.frames.length)) ? (missing.unaccountedKb >= missing.totalKb * 0.25 ? 'critical' : 'warning') : 'info';
      const evidenceText = strongest ? `slab ${strongest.name} ${strongest.objects} objects` : c.frames.length ? `call trace ${c.frames[0].fn}${c.frames[0].module ? ` [${c.frames[0].module}]` : ''}` : `module ${c.loaded.map((m) => m.name).join(', ')} loaded`;
      out.push({
        rule: 'driver-suspect', severity,
        title: !missing && !strongest ? `The ${d.driver} driver is in the call trace (${c.frames[0]?.fn ?? c.loaded[0]?.name}${c.frames[0]?.module ? ` [${c.frames[0].module}]` : ''}); this input shows no large amount of memory outside the counters`
          : `The ${d.driver} driver is the prime suspect${strongest?.estimateKb != null ? ` (${strongest.name}: ${strongest.objects} objects ≈ ${formatKb(strongest.estimateKb)})` : ''}${missing ? ` for ${formatKb(missing.unaccountedKb)} held outside the counters` : ''}`,
        explanation: parts.join(' '),
        incidents: [...new Set([...(missing ? [missing.index] : []), ...c.slabs.map((s) => s.index), ...c.frames.map((f) => f.index), ...c.loaded.map((m) => m.index)])],
        evidence: uniqueEvidence([...(missing ? missing.evidence(ctx).slice(0, 1) : []), strongest?.ev ?? null, ...c.frames.map((f) => f.ev), ...c.loaded.slice(0, 1).map((m) => m.ev)]),
        data: {
          driver: d.driver, evidence: evidenceText, match,
          estimateKb: strongest?.estimateKb ?? null, unaccountedKb: missing?.unaccountedKb ?? null,
          slabCaches: c.slabs.map((s) => ({ name: s.name, objects: s.objects, cacheSizeKb: s.cacheKb, estimateKb: s.estimateKb })),
          frames: c.frames.map((f) => ({ fn: f.fn, module: f.module, unreliable: f.unreliable })),
          modules: c.loaded.map((m) => m.name), assumedPageSizeKb: strongest && d.pagePerObject ? ASSUMED_PAGE_KB : null,
        },
        advice: d.driver === 'nvidia'
          ? ['Check the driver\'s view (nvidia-smi, nvidia-smi --query-compute-apps) and which processes hold GPU contexts; restarting them returns the pinned pages.', 'Reserve this memory outside pod limits (kube-reserved/system-reserved): the driver\'s pages are not charged to any cgroup.']
          : d.driver.endsWith('balloon') ? ['Check the balloon size on the hypervisor (virsh dommemstat, `info balloon` in the QEMU monitor, Proxmox ballooning settings) and give the guest a higher minimum or disable ballooning.']
          : undefined,
      });
    }
    return out.sort((a, b) => DRIVERS.findIndex((d) => d.driver === a.data?.driver) - DRIVERS.findIndex((d) => d.driver === b.data?.driver));
  },
};
