import type { EvidenceLine } from '../model/common.js';
import type { Finding, Severity } from '../model/finding.js';
import type { DriverSuspectFinding } from '../model/findings/driver-suspect.js';
import type { Incident } from '../model/incident.js';
import type { StackFrame } from '../model/kernel-incidents.js';
import { formatKb } from '../model/units.js';
import { optionsOf, type Rule, type RuleContext, type RuleOptions } from './types.js';
import { DRIVERS, allocFunctionOf, baseSymbol, driverOfFrame, driverOfModule, driverOfSlab, matchOf, type AllocFunction, type DriverPattern, type Match, type MatchRatios } from './util/drivers.js';
import { lineAt, pct } from './util/snapshot-lines.js';
import { evidenceNear, kb, uniqueEvidence } from './util/text.js';
import { showsKubernetes } from './util/kubernetes.js';
import { isLarge, largestUnaccounted, type Unaccounted } from './util/unaccounted.js';
import { unaccountedMemory } from './unaccounted-memory.js';

/** slabtop and slabinfo never print the page size; x86-64 and most arm64 kernels use 4 KiB. */
const ASSUMED_PAGE_KB = 4;

interface Clues {
  slabs: { name: string; objects: number; cacheKb: number | null; estimateKb: number | null; ev: EvidenceLine | null; index: number }[];
  frames: { fn: string; module: string | null; unreliable: boolean; what: string; ev: EvidenceLine | null; index: number }[];
  loaded: { name: string; ev: EvidenceLine | null; index: number }[];
  /** kprobes on the driver's allocation functions, with the page-count argument summed when one was fetched. */
  probes: {
    symbol: string; module: string | null; alloc: AllocFunction; events: number; arg: string | null; pagesSum: number | null;
    elided: boolean; elisionEv: EvidenceLine | null; tasks: string[]; ev: EvidenceLine | null; index: number;
  }[];
  /** funccount rows of the driver's allocation (and release) functions. */
  counts: { name: string; count: number; free: boolean; pattern: string | null; ev: EvidenceLine | null; index: number }[];
}

/**
 * The argument holding the page count: one named after the parameter ("num_pages"), else the only
 * numeric one — kprobe_events names unnamed fetch args arg1, arg2… in the order given, so the name
 * says nothing about which parameter it fetched (seed 001's arg1 is num_pages, fetched from %si).
 */
function pagesArg(args: Record<string, { sum: number; exact: boolean }>, alloc: AllocFunction): string | null {
  if (!alloc.pagesParam) return null;
  if (args[alloc.pagesParam.name]) return alloc.pagesParam.name;
  const names = Object.keys(args);
  return names.length === 1 && /^arg\d+$/.test(names[0]) ? names[0] : null;
}

function stacksOf(inc: Incident): StackFrame[][] {
  // Read once: callTrace is unpacked into fresh frames at each read (packed-frames.ts).
  const trace = 'callTrace' in inc ? inc.callTrace : undefined;
  if (Array.isArray(trace)) return [trace];
  if ('tasks' in inc && Array.isArray(inc.tasks)) return inc.tasks.map((t) => ('frames' in t ? t.frames : []));
  if (inc.kind === 'crash_bt') return [inc.frames];
  return [];
}

function collect(ctx: RuleContext): Map<DriverPattern, Clues> {
  const by = new Map<DriverPattern, Clues>();
  const get = (d: DriverPattern): Clues => by.get(d) ?? (by.set(d, { slabs: [], frames: [], loaded: [], probes: [], counts: [] }), by.get(d)!);
  ctx.incidents.forEach((inc, index) => {
    if (inc.kind === 'slab_snapshot') {
      for (const c of inc.caches) {
        const d = driverOfSlab(c.name);
        if (!d || !c.objects) continue;
        const estimateKb = d.pagePerObject?.test(c.name) ? c.objects * ASSUMED_PAGE_KB : c.cacheSizeKb ?? (c.cacheSizePages != null ? c.cacheSizePages * ASSUMED_PAGE_KB : null);
        get(d).slabs.push({ name: c.name, objects: c.objects, cacheKb: c.cacheSizeKb, estimateKb, ev: lineAt(ctx, inc.input, c.line, c.name), index });
      }
    }
    if (inc.kind === 'trace_snapshot') {
      for (const p of inc.probes) {
        const a = p.symbol ? allocFunctionOf(p.symbol) : null;
        if (!a || (p.module && !a.driver.modules.test(p.module))) continue;
        const arg = pagesArg(p.args, a.alloc);
        const tasks = inc.tasks.map((t) => `${t.comm ?? '<...>'} (pid ${t.pid})`);
        get(a.driver).probes.push({
          symbol: p.symbol!, module: p.module, alloc: a.alloc, events: p.events, arg, pagesSum: arg && p.args[arg].exact ? p.args[arg].sum : null,
          elided: inc.elided, elisionEv: inc.elisionLine != null ? ctx.evidence(inc.input, inc.elisionLine) : null, tasks,
          ev: lineAt(ctx, inc.input, p.line, p.symbol!), index,
        });
      }
    }
    if (inc.kind === 'funccount_snapshot') {
      for (const f of inc.functions) {
        const a = allocFunctionOf(f.name);
        const d = a?.driver ?? DRIVERS.find((x) => x.freeFunctions?.includes(baseSymbol(f.name)));
        if (d) get(d).counts.push({ name: f.name, count: f.count, free: !a, pattern: inc.pattern, ev: lineAt(ctx, inc.input, f.line, f.name), index });
      }
    }
    for (const frames of stacksOf(inc)) {
      // Made at the first driver frame: most call traces have none.
      let seen: Set<string> | null = null;
      for (const f of frames) {
        const d = driverOfFrame(f.fn, f.module);
        if (!d || seen?.has(d.driver)) continue;
        (seen ??= new Set()).add(d.driver);
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

const ORDINAL = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

/** Sentences for kprobes on the driver's allocation functions; compared with what is missing only when the trace is whole. */
function probeSentences(c: Clues, missing: Unaccounted | null, t: MatchRatios): string[] {
  const parts: string[] = [];
  for (const p of c.probes.slice(0, 2)) {
    const at = `kprobe on ${p.symbol}${p.module ? ` [${p.module}]` : ''}: ${p.events} events`;
    const from = p.tasks.length ? ` The calls came from ${p.tasks.slice(0, 3).join(', ')}${p.tasks.length > 3 ? ` and ${p.tasks.length - 3} more tasks` : ''}.` : '';
    const param = p.alloc.pagesParam;
    if (p.arg === null || p.pagesSum === null || !param) {
      parts.push(`${at}; no argument the page count (${param ? `${param.name}, its ${ORDINAL[param.index] ?? `#${param.index}`} parameter` : 'none known'}) could be read from was fetched, so the pages cannot be summed.${from}`);
      continue;
    }
    const kbSum = p.pagesSum * ASSUMED_PAGE_KB;
    const named = p.arg === param.name ? '' : ` (taking ${p.arg} as ${param.name}, the ${ORDINAL[param.index] ?? `#${param.index}`} parameter: the probe's definition is not in the input)`;
    parts.push(`${at}, ${p.arg} (pages) sums to ${p.pagesSum} pages = ${formatKb(kbSum)} with ${ASSUMED_PAGE_KB} KiB pages${named}.${from}`);
    if (p.elided) {
      parts.push(`The trace is an excerpt${p.elisionEv ? ` (line ${p.elisionEv.line}, "${p.elisionEv.text.trim()}", marks where lines were cut)` : ''}: the sum covers only the ${p.events} lines present, not the driver's total${missing ? ` (it is ${pct(kbSum, missing.unaccountedKb)} of the ${formatKb(missing.unaccountedKb)} outside the counters, a figure that says nothing about the lines that were cut)` : ''}. Sum ${p.arg} over the complete trace to compare it with the missing memory.`);
    } else if (missing) {
      const word = { strong: 'a strong match', partial: 'a partial match', weak: 'a weak match', exceeds: 'more than is missing: part of it was freed again', unknown: 'not comparable' }[matchOf(kbSum, missing.unaccountedKb, t)];
      parts.push(`That is ${pct(kbSum, missing.unaccountedKb)} of the ${formatKb(missing.unaccountedKb)} outside the counters: ${word}. These are allocations during the trace, not net of what was freed.`);
    }
  }
  return parts;
}

/** funccount rows: calls, not pages, so supporting evidence only, with the frees of the same window beside them. */
function countSentence(c: Clues): string | null {
  const allocs = c.counts.filter((x) => !x.free).sort((a, b) => b.count - a.count);
  if (!allocs.length) return null;
  const frees = c.counts.filter((x) => x.free).sort((a, b) => b.count - a.count);
  const list = (xs: Clues['counts']) => xs.map((x) => `${x.name} ${x.count}`).join(', ');
  return `funccount${allocs[0].pattern ? ` '${allocs[0].pattern}'` : ''} counted calls of the driver's allocation functions: ${list(allocs)}. That shows the driver allocating while it ran${frees.length ? `, but it counts calls, not pages, and its release functions ran in the same window (${list(frees)})` : ', but it counts calls, not pages'}: supporting evidence, not a measure of what the driver holds.`;
}

export const driverSuspect: Rule = {
  meta: { id: 'driver-suspect', role: 'cause', precedence: 10, subsumes: ['unaccounted-memory'], severity: 'warning', options: {
    criticalShare: { default: 0.25, description: 'critical when the memory the driver is matched to is at least this share of RAM' },
    strongRatio: { default: 0.75, description: 'the driver\'s estimate is a strong match from this share of the missing memory' },
    partialRatio: { default: 0.3, description: '… a partial match from this share (a weak one below)' },
    exceedsRatio: { default: 1.15, description: 'above this ratio the estimate exceeds what is missing (part of it was freed)' },
  }, description: 'Names the driver likely holding memory outside the counters (slab caches, call-trace frames, kprobe traces, funccount, loaded modules) and how well the numbers match.' },
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const op = optionsOf(driverSuspect.meta, options);
    const ratios: MatchRatios = { exceedsRatio: op.exceedsRatio, strongRatio: op.strongRatio, partialRatio: op.partialRatio };
    const clues = collect(ctx);
    // Without a clue there is no finding: the accounting per report below is not worth taking.
    if (clues.size === 0) return [];
    const missing: Unaccounted | null = largestUnaccounted(ctx.incidents, optionsOf(unaccountedMemory.meta) as Parameters<typeof isLarge>[1]);
    const out: DriverSuspectFinding[] = [];
    const hard = (c: Clues): boolean => c.slabs.length + c.frames.length + c.probes.length > 0;
    const anyHard = [...clues.values()].some(hard);
    for (const [d, c] of clues) {
      const strongest = [...c.slabs].sort((a, b) => (b.estimateKb ?? 0) - (a.estimateKb ?? 0))[0] ?? null;
      // A module in a list proves only that it was loaded: it names a suspect only when memory is missing.
      // So do funccount calls. Slab objects, call-trace frames and kprobe hits name it on their own.
      if (!hard(c) && (!missing || anyHard)) continue;
      if (!hard(c) && c.loaded.length === 0 && !c.counts.some((x) => !x.free)) continue;
      const wholeProbe = c.probes.find((p) => p.pagesSum != null && !p.elided) ?? null;
      const probeMatch: Match = matchOf(wholeProbe ? wholeProbe.pagesSum! * ASSUMED_PAGE_KB : null, missing?.unaccountedKb ?? null, ratios);
      const match: Match = matchOf(strongest?.estimateKb ?? null, missing?.unaccountedKb ?? null, ratios);
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
      parts.push(...probeSentences(c, missing, ratios));
      const counted = countSentence(c);
      if (counted) parts.push(counted);
      if (d.driver === 'virtio_balloon' && c.frames.some((f) => /oom_notify/.test(f.fn))) {
        parts.push('virtballoon_oom_notify is the balloon\'s OOM notifier: the OOM killer asked the balloon to give pages back before killing, and it could return at most its oom_pages (256 pages by default) and only if the host enabled deflate-on-oom. The killing went ahead, so the balloon kept the rest of what it had inflated.');
      }
      if (!strongest && !wholeProbe && missing) parts.push(`${formatKb(missing.unaccountedKb)} is held outside every counter (unaccounted-memory); the report does not print the driver's own size, so how much of it the driver holds cannot be measured from this input.`);
      if (!missing && !strongest) parts.push('Nothing in this input shows memory held outside the counters in an amount that matters, so this says only that the driver was allocating (or on the stack) when it happened, not that it holds the memory.');
      if (c.loaded.length) parts.push(`Loaded: ${c.loaded.map((m) => m.name).join(', ')}.`);
      parts.push(`What it does: ${d.what}.`);
      parts.push('This names a suspect from the evidence in hand; it does not prove the driver leaked. Confirm with the driver\'s own counters.');
      const severity: Severity = missing && (match === 'strong' || probeMatch === 'strong' || (!strongest && (c.frames.length || (c.probes.length && probeMatch !== 'weak')))) ? (missing.unaccountedKb >= missing.totalKb * op.criticalShare ? 'critical' : 'warning') : 'info';
      const probe = c.probes[0];
      const evidenceText = strongest ? `slab ${strongest.name} ${strongest.objects} objects` : c.frames.length ? `call trace ${c.frames[0].fn}${c.frames[0].module ? ` [${c.frames[0].module}]` : ''}`
        : probe ? `kprobe ${probe.symbol}${probe.module ? ` [${probe.module}]` : ''} ${probe.events} events` : c.loaded.length ? `module ${c.loaded.map((m) => m.name).join(', ')} loaded` : `funccount ${c.counts.filter((x) => !x.free).map((x) => `${x.name} ${x.count}`).join(', ')}`;
      out.push({
        rule: 'driver-suspect', severity,
        title: !missing && !strongest && !c.frames.length && probe ? `The ${d.driver} driver was allocating pages (kprobe on ${probe.symbol}${probe.module ? ` [${probe.module}]` : ''}: ${probe.events} events); this input shows no large amount of memory outside the counters`
          : !missing && !strongest ? `The ${d.driver} driver is in the call trace (${c.frames[0]?.fn ?? c.loaded[0]?.name}${c.frames[0]?.module ? ` [${c.frames[0].module}]` : ''}); this input shows no large amount of memory outside the counters`
          : `The ${d.driver} driver is the prime suspect${strongest?.estimateKb != null ? ` (${strongest.name}: ${strongest.objects} objects ≈ ${formatKb(strongest.estimateKb)})` : ''}${missing ? ` for ${formatKb(missing.unaccountedKb)} held outside the counters` : ''}`,
        explanation: parts.join(' '),
        incidents: [...new Set([...(missing ? [missing.index] : []), ...c.slabs.map((s) => s.index), ...c.frames.map((f) => f.index), ...c.probes.map((p) => p.index), ...c.counts.map((x) => x.index), ...c.loaded.map((m) => m.index)])],
        evidence: uniqueEvidence([...(missing ? missing.evidence(ctx).slice(0, 1) : []), strongest?.ev ?? null, ...c.frames.map((f) => f.ev),
          ...c.probes.flatMap((p) => [p.ev, p.elisionEv]), ...c.counts.filter((x) => !x.free).map((x) => x.ev), ...c.loaded.slice(0, 1).map((m) => m.ev)]),
        data: {
          driver: d.driver, evidence: evidenceText, match,
          estimateKb: strongest?.estimateKb ?? null, unaccountedKb: missing?.unaccountedKb ?? null,
          slabCaches: c.slabs.map((s) => ({ name: s.name, objects: s.objects, cacheSizeKb: s.cacheKb, estimateKb: s.estimateKb })),
          frames: c.frames.map((f) => ({ fn: f.fn, module: f.module, unreliable: f.unreliable })),
          modules: c.loaded.map((m) => m.name), assumedPageSizeKb: strongest && d.pagePerObject ? ASSUMED_PAGE_KB : null,
          kprobes: c.probes.map((p) => ({ symbol: p.symbol, module: p.module, events: p.events, arg: p.arg, pagesSum: p.pagesSum, estimateKb: p.pagesSum != null ? p.pagesSum * ASSUMED_PAGE_KB : null, elided: p.elided })),
          funccount: c.counts.map((x) => ({ name: x.name, count: x.count, free: x.free })),
        },
        advice: d.driver === 'nvidia'
          ? ['Check the driver\'s view (nvidia-smi, nvidia-smi --query-compute-apps) and which processes hold GPU contexts; restarting them returns the pinned pages.', showsKubernetes(ctx) ? 'Reserve this memory outside pod limits (kube-reserved/system-reserved): the driver\'s pages are not charged to any cgroup.' : 'Leave this memory out of every cgroup limit you plan with: the driver\'s pages are not charged to any cgroup.']
          : d.driver.endsWith('balloon') ? ['Check the balloon size on the hypervisor (virsh dommemstat, `info balloon` in the QEMU monitor, Proxmox ballooning settings) and give the guest a higher minimum or disable ballooning.']
          : undefined,
      });
    }
    return out.sort((a, b) => DRIVERS.findIndex((d) => d.driver === a.data?.driver) - DRIVERS.findIndex((d) => d.driver === b.data?.driver));
  },
};
