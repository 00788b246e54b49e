import type { Finding } from '../model/finding.js';
import type { PageAllocFailureIncident } from '../model/kernel-incidents.js';
import type { Rule, RuleContext } from './types.js';
import { chain, driverFrame, modulesOf, reliable } from './util/frames.js';
import { headerEvidence, uniqueEvidence, when } from './util/text.js';

/** PAGE_ALLOC_COSTLY_ORDER: above it the kernel gives up sooner and never OOM-kills for the request. */
const COSTLY_ORDER = 3;

interface Meaning { flag: string; reclaimedHard: boolean | null; oomKiller: boolean | null; text: string }

function meanings(inc: PageAllocFailureIncident): Meaning[] {
  const f = new Set(inc.gfpFlags ?? []);
  const out: Meaning[] = [];
  if (f.has('__GFP_NORETRY')) out.push({ flag: '__GFP_NORETRY', reclaimedHard: false, oomKiller: false, text: '__GFP_NORETRY: the caller asked the kernel to try one light round of reclaim and compaction and then give up; such a request never calls the OOM killer. The failure is the caller choosing to fail fast, not proof that memory was exhausted.' });
  if (f.has('__GFP_RETRY_MAYFAIL') || f.has('__GFP_REPEAT')) out.push({ flag: f.has('__GFP_RETRY_MAYFAIL') ? '__GFP_RETRY_MAYFAIL' : '__GFP_REPEAT', reclaimedHard: true, oomKiller: false, text: 'retry-but-may-fail: the kernel reclaimed hard and retried, but was told not to call the OOM killer; the caller handles the failure.' });
  if (f.has('__GFP_NOFAIL')) out.push({ flag: '__GFP_NOFAIL', reclaimedHard: true, oomKiller: null, text: '__GFP_NOFAIL: the kernel must keep retrying until it succeeds; a report for such a request means it stalled for a long time, and the task was stuck in the allocator meanwhile.' });
  if (f.has('__GFP_NOWARN')) out.push({ flag: '__GFP_NOWARN', reclaimedHard: null, oomKiller: null, text: '__GFP_NOWARN: the caller expected failures and asked for no warning; the same code may fail many more times silently.' });
  if (f.has('GFP_ATOMIC') || f.has('GFP_NOWAIT') || f.has('__GFP_ATOMIC')) out.push({ flag: f.has('GFP_NOWAIT') ? 'GFP_NOWAIT' : 'GFP_ATOMIC', reclaimedHard: false, oomKiller: false, text: 'atomic request: the caller could not sleep (interrupt or spinlock context), so the kernel did no reclaim at all and could not call the OOM killer; it only woke kswapd. GFP_ATOMIC may dip below min into the reserve, so its failure means even that reserve was used up or fragmented.' });
  if (inc.order != null && inc.order > COSTLY_ORDER) out.push({ flag: `order ${inc.order}`, reclaimedHard: false, oomKiller: false, text: `order ${inc.order} is a costly order (above PAGE_ALLOC_COSTLY_ORDER = ${COSTLY_ORDER}): the kernel retries such requests only while compaction makes progress and never calls the OOM killer for them.` });
  return out;
}

export const allocFailureNoretry: Rule = {
  meta: { id: 'alloc-failure-noretry', role: 'mechanism', precedence: 50, severity: 'warning', description: 'What the GFP flags and order of a failed allocation say about reclaim and the OOM killer, and which driver asked.' },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    ctx.incidents.forEach((inc, index) => {
      if (inc.kind !== 'page_alloc_failure') return;
      const m = meanings(inc);
      if (m.length === 0) return;
      const driver = driverFrame(inc.callTrace);
      const mods = modulesOf(inc.callTrace);
      const guessed = mods.filter((x) => !x.reliable).map((x) => x.module);
      const chainFrames = driver ? reliable(inc.callTrace).filter((f) => f.module === driver.module) : [];
      const oomKiller = m.some((x) => x.oomKiller === false) ? false : null;
      const reclaimedHard = m.some((x) => x.reclaimedHard === false) ? false : m.some((x) => x.reclaimedHard) ? true : null;
      const flags = inc.gfpFlags?.join('|') ?? inc.gfpMask ?? 'unknown flags';
      const explanation = [
        `${inc.comm ?? 'A task'}${inc.pid != null ? ` (pid ${inc.pid})` : ''} failed an order-${inc.order ?? '?'} allocation (${2 ** (inc.order ?? 0)} contiguous pages) with ${flags}${when(inc)}.`,
        ...m.map((x) => x.text),
        oomKiller === false ? 'So the kernel gave up without reclaiming hard or calling the OOM killer: no process was killed for this request, and the caller got an error (a driver may turn it into a failed ioctl or a crashed job).' : '',
        driver ? `The allocation came from the ${driver.module} module: ${chain(chainFrames)}.` : 'No module frame in the call trace: the allocation came from built-in kernel code.',
        guessed.length ? `${guessed.join(', ')} ${guessed.length > 1 ? 'appear' : 'appears'} only in frames marked "?" (the unwinder's guesses), so they are not counted as callers.` : '',
        'It does not mean the machine had no free memory; zone-below-min and fragmentation say which watermark or block size decided.',
      ].filter(Boolean).join(' ');
      out.push({
        rule: 'alloc-failure-noretry',
        severity: 'warning',
        title: `${driver?.module ?? inc.comm ?? 'An allocation'}: order-${inc.order ?? '?'} ${m.map((x) => x.flag).filter((f) => !/^order /.test(f)).join(' + ') || 'costly'} allocation failed${oomKiller === false ? ' without reclaiming hard or calling the OOM killer' : ''}`,
        explanation,
        incidents: [index],
        evidence: uniqueEvidence([headerEvidence(ctx, inc), driver ? ctx.evidence(inc.input, driver.line, driver.fn) : null]),
        data: { order: inc.order, gfpMask: inc.gfpMask, gfpFlags: inc.gfpFlags, costly: inc.order != null && inc.order > COSTLY_ORDER, reclaimedHard, oomKillerCalled: oomKiller, driver: driver?.module ?? null, driverFunction: driver?.fn ?? null, modules: mods.map((x) => x.module) },
        advice: driver ? [`Ask the ${driver.module} vendor whether this allocation can fall back to smaller or vmalloc-backed buffers; update the driver if a fix exists.`] : undefined,
      });
    });
    return out;
  },
};
