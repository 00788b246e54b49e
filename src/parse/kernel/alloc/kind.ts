/** warn_alloc() reports: page allocation, vmemmap and vmalloc failures, with their Mem-Info. */
import type { PageAllocFailureIncident } from '../../../model/kernel-incidents.js';
import { formatKb } from '../../../model/units.js';
import { parseAllocFailure } from './failure.js';
import { kernelText, memoryLines } from '../common/text.js';
import { kernelKind } from '../kind.js';

export const alloc = kernelKind<PageAllocFailureIncident>({
  id: 'alloc',
  incidentKinds: ['page_alloc_failure'],
  markers: ['page allocation failure', 'vmemmap alloc failure', 'vmalloc error', 'vmalloc: allocation failure', 'vmalloc size'],
  start: /: page allocation failure[:.] order|vmemmap alloc failure: order|vmalloc error: size \d+|vmalloc: allocation failure[:,] |vmalloc size \d+ allocation failure/,
  tolerance: 2,
  belongs: (_open, kind) => kind === 'showmem',
  endsHere: () => false,
  read: (lines) => [parseAllocFailure(lines)],
  summary(k) {
    const who = `${k.comm ?? '?'}${k.pid != null ? ` (pid ${k.pid})` : ''}`;
    const gfp = k.gfpFlags ? k.gfpFlags.join('|') : k.gfpMask ?? '';
    if (k.variant.startsWith('vmalloc')) return `${k.variant}: ${who} asked for ${k.sizeBytes != null ? formatKb(Math.round(k.sizeBytes / 1024)) : '?'}${k.reason ? ` (${k.reason})` : ''} ${gfp}`;
    return `${k.variant}: ${who} order ${k.order ?? '?'} ${gfp}`;
  },
  details(k) {
    const kt = kernelText(k.kernel);
    return [...(kt ? [kt] : []), ...memoryLines(k)];
  },
});
