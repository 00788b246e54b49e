import type { Finding } from '../model/finding.js';
import { optionsOf, type Rule, type RuleContext } from './types.js';
import { zoneBelowMin } from './zone-below-min.js';
import { describeRequest, memoryReports } from './util/memory-reports.js';
import { checkOrder, checkZones, type OrderCheck, type ZoneCheck } from './util/watermark.js';
import { evidenceNear, headerEvidence, kb, uniqueEvidence, when } from './util/text.js';

/**
 * Fires only when a high-order request met the watermark but found no free block big enough:
 * the one case where fragmentation, not a shortage of free pages, decided. Order 0 never fires
 * (any single page serves it); zone-below-min says so for order-0 OOMs.
 */
export const fragmentation: Rule = {
  meta: { id: 'fragmentation', role: 'mechanism', precedence: 40, severity: 'warning', description: 'A high-order request failed although free memory was above the watermark: no free block of its order or larger.' },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const r of memoryReports(ctx.incidents)) {
      const order = r.request?.order;
      if (order == null || order === 0 || r.pageSizeKb == null) continue;
      const version = 'kernel' in r.incident ? r.incident.kernel?.version ?? null : null;
      // "At min" is zone-below-min's threshold (its default): a zone at min fails on the watermark, not on blocks.
      const judged = checkZones(r, optionsOf(zoneBelowMin.meta).atMinShare).checks
        .map((c) => ({ c, oc: checkOrder(c, order, r.pageSizeKb, version) }))
        .filter((x): x is { c: ZoneCheck; oc: OrderCheck } => x.oc != null);
      const frag = judged.filter((x) => x.oc.verdict === 'fragmentation');
      if (frag.length === 0) continue;
      const wm = judged.filter((x) => x.oc.verdict === 'watermark');
      const passed = judged.filter((x) => x.oc.verdict === 'ok');
      const ps = r.pageSizeKb;
      const blockKb = 2 ** order * ps;
      const algo = frag[0].oc.algorithm === 'since-4.4'
        ? 'Since Linux 4.4 the check is: the zone must be above its min watermark as for a single page, and at least one free block of the requested order or larger must exist.'
        : 'Before Linux 4.4 the check discounts, order by order, the free pages in blocks smaller than the request and halves min at each step; the free memory left in large enough blocks fell below that.';
      const inc = r.incident;
      const explanation = [
        `The ${r.what}${when(inc)} was an ${describeRequest(r.request!)}: it needed one contiguous free block of 2^${order} pages (${blockKb} kB).`,
        algo,
        ...frag.map(({ c, oc }) => `Node ${c.zone.node} ${c.zone.zone} had ${kb(c.zone.freeKb ?? 0)} free, ${kb(c.marginKb ?? 0)} above min ${kb(c.zone.minKb ?? 0)}${c.reservePages ? ` after its lowmem_reserve of ${c.reservePages} pages` : ''}, but ${kb(oc.freeBelowOrderKb)} of it sat in blocks smaller than ${blockKb} kB and its largest free block was ${oc.largestUsableOrder == null ? 'none' : `order ${oc.largestUsableOrder} (${2 ** oc.largestUsableOrder * ps} kB)`}: fragmentation decided there, not the watermark.`),
        wm.length ? `In ${wm.map((x) => `${x.c.zone.zone} (node ${x.c.zone.node})`).join(', ')} the watermark decided: free memory was at or below min counting lowmem_reserve, so block sizes did not matter there.` : '',
        passed.length ? `${passed.map((x) => x.c.zone.zone).join(', ')} looked able to serve it when the report was printed; free lists change quickly, so fragmentation is likely but not certain.` : '',
        'This does not mean memory ran out: the free pages were there, only not contiguous. Compaction can assemble larger blocks; a driver that needs them often should fall back to smaller or vmalloc-backed buffers.',
      ].filter(Boolean).join(' ');
      out.push({
        rule: 'fragmentation', severity: passed.length ? 'info' : 'warning',
        title: `Order-${order} request failed on fragmentation in ${frag.map((x) => x.c.zone.zone).join(', ')}: free memory above min, no ${blockKb} kB block`,
        explanation,
        incidents: [r.index],
        evidence: uniqueEvidence([headerEvidence(ctx, inc), ...frag.flatMap(({ c }) => [
          evidenceNear(ctx, inc.input, c.zone.line, `${c.zone.zone} free:`, 0),
          c.zone.buddy ? evidenceNear(ctx, inc.input, c.zone.buddy.line, `Node ${c.zone.node} ${c.zone.zone}: `, 0) : null,
        ])]),
        data: {
          order, blockKb, pageSizeKb: ps, algorithm: frag[0].oc.algorithm,
          zones: judged.map(({ c, oc }) => ({ node: c.zone.node, zone: c.zone.zone, decided: oc.verdict, freeKb: c.zone.freeKb, minKb: c.zone.minKb, reservePages: c.reservePages, freeAtOrderKb: oc.freeAtOrderKb, freeBelowOrderKb: oc.freeBelowOrderKb, largestFreeOrder: oc.largestUsableOrder })),
        },
        advice: ['Check /proc/buddyinfo and /proc/pagetypeinfo over time; `echo 1 > /proc/sys/vm/compact_memory` compacts on demand.', 'Raising vm.min_free_kbytes keeps more free memory, which helps compaction find large blocks.'],
      });
    }
    return out;
  },
};
