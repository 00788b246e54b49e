import type { Finding } from '../model/finding.js';
import { formatKb } from '../model/units.js';
import { optionsOf, type Rule, type RuleContext, type RuleOptions } from './types.js';
import { describeRequest, memoryReports, type MemoryReport } from './util/memory-reports.js';
import { checkOrder, checkZones, type ZoneCheck } from './util/watermark.js';
import { evidenceNear, headerEvidence, kb, uniqueEvidence, when } from './util/text.js';
import { groupStories, type StoryItem } from './util/story-groups.js';
import type { ZoneBelowMinFinding } from '../model/findings/zone-below-min.js';

/** "…, 398.0 MiB of it CMA, which this unmovable request may not use" (empty when nothing was held back). */
function unusableSentence(c: ZoneCheck): string {
  const parts: string[] = [];
  if (c.unusable.cmaKb) parts.push(`${kb(c.unusable.cmaKb)} was CMA, which this unmovable request may not use (CMA pages serve only movable allocations, so that they can be migrated away when a device needs the area)`);
  if (c.unusable.highatomicKb) parts.push(`${kb(c.unusable.highatomicKb)} was in the highatomic reserve, kept for high-order atomic requests`);
  return parts.length ? ` Of its ${kb(c.zone.freeKb ?? 0)} free, ${parts.join(', and ')}: this request could use ${kb(c.usableFreeKb ?? 0)}.` : '';
}

/** Title suffix when free memory this request may not use is what put the zone below min. */
function heldBack(c: ZoneCheck): string {
  const held = (c.unusable.cmaKb ?? 0) + (c.unusable.highatomicKb ?? 0);
  if (held === 0 || c.marginKb == null || c.marginKb + held <= 0) return '';
  const what = c.unusable.cmaKb ? 'CMA, which this unmovable request may not use' : 'the highatomic reserve';
  return `: ${formatKb(held)} of its ${formatKb(c.zone.freeKb ?? 0)} free was ${what}`;
}

function zoneSentence(c: ZoneCheck): string {
  const held = unusableSentence(c);
  if (!held || c.reservePages) return zoneSentenceBase(c) + held;
  const z = c.zone;
  const margin = c.marginKb ?? 0;
  const vs = c.level === 'below-min' ? `${-margin} kB short of min ${kb(z.minKb ?? 0)}` : `against min ${kb(z.minKb ?? 0)}: at the min watermark (${margin} kB above)`;
  return `Node ${z.node} ${z.zone}:${held.replace(/\.$/, '')}, ${vs}.`;
}

function zoneSentenceBase(c: ZoneCheck): string {
  const z = c.zone;
  const name = `Node ${z.node} ${z.zone}`;
  const min = `min ${kb(z.minKb ?? 0)}`;
  const margin = c.marginKb ?? 0;
  const at = `at the min watermark (${margin} kB above, ${((100 * margin) / (z.minKb || 1)).toFixed(2)} %)`;
  if (c.reservePages && c.reserveKb != null) {
    const usable = c.usableFreeKb ?? 0;
    const head = `${name}: ${kb(z.freeKb ?? 0)} free, but ${kb(c.reserveKb)} (lowmem_reserve: ${c.reservePages} pages) is held back for requests that cannot use ${c.classZone}, so`;
    if (usable <= 0) return `${head} this request could use none of it.`;
    return c.level === 'below-min' ? `${head} this request could use ${kb(usable)}, ${-margin} kB short of ${min}.` : `${head} this request could use ${kb(usable)} against ${min}: ${at}.`;
  }
  return c.level === 'below-min'
    ? `${name}: free ${kb(z.freeKb ?? 0)} < ${min} (${-margin} kB short).`
    : `${name}: free ${kb(z.freeKb ?? 0)} vs ${min}: ${at}.`;
}

function orderSentences(r: MemoryReport, hit: ZoneCheck[], lead: ZoneCheck): string[] {
  const order = r.request?.order;
  if (order == null) return [];
  if (order === 0) {
    const b = lead.zone.buddy;
    const looks = b?.largestFreeOrder != null && r.pageSizeKb != null
      ? ` ${lead.zone.zone}'s largest free block was order ${b.largestFreeOrder} (${2 ** b.largestFreeOrder * r.pageSizeKb} kB): that looks fragmented, but it does not matter for a single page.`
      : '';
    return [`The request was order 0 (a single page), so fragmentation cannot be the cause: any one free page would have done, and the zone simply had too few free pages above its watermark.${looks}`];
  }
  const version = 'kernel' in r.incident ? r.incident.kernel?.version ?? null : null;
  const parts: string[] = [];
  for (const c of hit) {
    const oc = checkOrder(c, order, r.pageSizeKb, version);
    if (!oc || oc.largestUsableOrder == null || oc.largestUsableOrder < order || r.pageSizeKb == null) continue;
    parts.push(`${c.zone.zone} ${kb(oc.freeAtOrderKb)}`);
  }
  if (parts.length === 0 || r.pageSizeKb == null) return [];
  return [`Free memory in blocks of order ≥ ${order} (${2 ** order * r.pageSizeKb} kB or larger, the only blocks that can serve this request): ${parts.join('; ')}. Blocks of the requested size existed, so it failed on the watermark, not on fragmentation.`];
}

const OUTCOME: Record<string, string> = {
  oom_kill: 'the kernel could not take a page without reclaiming first, and when reclaim freed too little it called the OOM killer.',
  page_alloc_failure: 'the kernel could not take a page without reclaiming first, and when that did not free enough the request failed.',
};

/**
 * One report's story: the zones it found at or below min. The finding (≈ 2 KB of text and
 * evidence) is built only when written: a flapping node's thousands of OOMs held one each (issue 10).
 */
function story(ctx: RuleContext, r: MemoryReport, op: RuleOptions): { key: string | null; finding: () => ZoneBelowMinFinding } | null {
  const { checks, limit } = checkZones(r, op.atMinShare);
  const hit = checks.filter((c) => c.level === 'below-min' || c.level === 'at-min');
  if (hit.length === 0) return null;
  const inc = r.incident;
  const top = checks.filter((c) => c.zone.zone === c.classZone);
  const lead = hit.find((c) => top.includes(c)) ?? [...hit].sort((a, b) => (b.zone.managedKb ?? 0) - (a.zone.managedKb ?? 0))[0];
  // The same story: the same zones at or below min (each with its level), CMA or the highatomic
  // reserve deciding it or not, in OOM kills alone (a group's title counts OOM kills).
  const key = inc.kind === 'oom_kill' ? JSON.stringify([hit.map((c) => [c.zone.node, c.zone.zone, c.level]), heldBack(lead) !== '']) : null;
  return { key, finding: () => {
    const ok = checks.filter((c) => c.level === 'ok' || c.level === 'below-low');
    const freeSum = checks.reduce((s, c) => s + (c.zone.freeKb ?? 0), 0);
    const unknownPage = checks.some((c) => c.reservePages && c.reserveKb == null);
    const intro = r.request
      ? `The ${r.what}${when(inc)} was an ${describeRequest(r.request)}; it could use zone${checks.length > 1 ? 's' : ''} ${checks.map((c) => `${c.zone.zone} (node ${c.zone.node})`).join(', ')}${limit ? '' : ' (its GFP flags are unknown, so every printed zone is assumed usable)'}.`
      : `This ${r.what} was not an allocation, so each zone is compared with its own min watermark (no lowmem_reserve applies).`;
    const explanation = [
      intro,
      'The kernel hands out a page from a zone only while that zone\'s free memory, minus what it holds back (lowmem_reserve) for requests that cannot use higher zones, stays above the zone\'s min watermark.',
      ...hit.map(zoneSentence),
      ok.length
        ? `${ok.map((c) => `${c.zone.zone} (node ${c.zone.node})`).join(', ')} still had ${ok.map((c) => kb(c.marginKb ?? 0)).join(', ')} above min, so the zones above do not explain the failure by themselves.`
        : r.request ? `Every zone this request could use was at or below min: ${OUTCOME[inc.kind] ?? ''}` : '',
      ...orderSentences(r, hit, lead),
      unknownPage ? 'The report does not show its page size, so lowmem_reserve (printed in pages) could not be converted to kB for some zones; those zones are compared without it.' : '',
      `This does not mean the machine had no free memory: ${kb(freeSum)} was still free in these zones. The min watermark is memory the kernel keeps for itself (atomic allocations and reclaim), and ordinary requests may not take it.`,
    ].filter(Boolean).join(' ');
    const evidence = uniqueEvidence([
      headerEvidence(ctx, inc),
      ...hit.flatMap((c) => [
        evidenceNear(ctx, inc.input, c.zone.line, `${c.zone.zone} free:`, 0),
        c.reservePages && c.zone.lowmemReservePages ? evidenceNear(ctx, inc.input, c.zone.line, `lowmem_reserve[]: ${c.zone.lowmemReservePages.join(' ')}`) : null,
      ]),
    ]);
    const fmt = (c: ZoneCheck) => ({
      node: c.zone.node, zone: c.zone.zone, level: c.level, freeKb: c.zone.freeKb, minKb: c.zone.minKb, lowKb: c.zone.lowKb,
      classZone: c.classZone, reservePages: c.reservePages, reserveKb: c.reserveKb, unusableCmaKb: c.unusable.cmaKb, unusableHighatomicKb: c.unusable.highatomicKb, usableFreeKb: c.usableFreeKb, marginKb: c.marginKb,
    });
    return {
      rule: 'zone-below-min',
      severity: r.request ? 'critical' : 'warning',
      title: `Zone ${lead.zone.zone} ${lead.level === 'below-min' ? `fell below its min watermark (${-(lead.marginKb ?? 0)} kB short)` : `was at its min watermark (${lead.marginKb} kB above)`}${heldBack(lead)}`,
      explanation,
      incidents: [r.index],
      evidence,
      data: { zone: lead.zone.zone, node: lead.zone.node, level: lead.level, freeKb: lead.zone.freeKb, minKb: lead.zone.minKb, marginKb: lead.marginKb, order: r.request?.order ?? null, pageSizeKb: r.pageSizeKb, zones: checks.map(fmt) },
    };
  } };
}

export const zoneBelowMin: Rule = {
  meta: {
    id: 'zone-below-min', role: 'mechanism', precedence: 30, severity: 'critical', description: 'A zone the allocation could use was at or below its min watermark, counting lowmem_reserve.',
    // The kernel fails the check at free <= min; within 1 % above, the zone was at min in practice
    // (free counts move between the failed check and the printout).
    options: {
      atMinShare: { default: 0.01, description: 'usable free within this share above min counts as at the min watermark' },
      groupReports: { default: 2, description: 'OOM kills with the same zones at or below min from which they are one finding' },
    },
  },
  check(ctx: RuleContext, options?: RuleOptions): Finding[] {
    const op = optionsOf(zoneBelowMin.meta, options);
    const items: StoryItem<ZoneBelowMinFinding>[] = [];
    for (const r of memoryReports(ctx.incidents)) {
      const s = story(ctx, r, op);
      if (s) items.push({ index: r.index, inc: r.incident, key: s.key, finding: () => story(ctx, r, op)!.finding() });
    }
    return groupStories(ctx, items, op.groupReports, (n, from, to) => `The same zones were at or below their min watermark at ${n} OOM kills, from ${from} to ${to}.`);
  },
};
