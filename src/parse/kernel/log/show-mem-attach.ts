import type { KernelIncident, PageAllocFailureIncident } from '../../../model/kernel-incidents.js';
import { attachMemInfo } from '../alloc/failure.js';

/**
 * warn_alloc() prints its Mem-Info apart from the failure header when the ratelimit suppressed
 * callbacks ("warn_alloc_show_mem: 3 callbacks suppressed"), and pasted logs split them too
 * (seed 000). A lone Mem-Info right next to a failure that has none, within 10 s, is its Mem-Info:
 * it is moved into the failure and leaves the list. `incidents` is sorted by line.
 */
export function attachShowMem(incidents: KernelIncident[]): void {
  for (let i = 0; i < incidents.length; i++) {
    const sm = incidents[i];
    if (sm.kind !== 'show_mem') continue;
    const near = [incidents[i - 1], incidents[i + 1]].find(
      (x): x is PageAllocFailureIncident => x?.kind === 'page_alloc_failure' && x.memInfoReport == null &&
        (x.uptimeSec == null || sm.uptimeSec == null || Math.abs(x.uptimeSec - sm.uptimeSec) <= 10));
    if (!near || !sm.memInfoReport) continue;
    attachMemInfo(near, { memInfoReport: sm.memInfoReport, memInfo: sm.memInfo, zones: sm.zones });
    near.memInfoLine = sm.line;
    incidents.splice(i--, 1);
  }
}
