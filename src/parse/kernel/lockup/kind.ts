/** The soft-lockup watchdog: "BUG: soft lockup - CPU#N stuck for Ns! [comm:pid]". */
import type { SoftLockupIncident } from '../../../model/kernel-incidents.js';
import { parseSoftLockup } from './parse.js';
import { stackLines } from '../common/text.js';
import { kernelKind } from '../kind.js';

export const lockup = kernelKind<SoftLockupIncident>({
  id: 'lockup',
  incidentKinds: ['soft_lockup'],
  markers: ['soft lockup'],
  start: /BUG: soft lockup - CPU#\d+ stuck for/,
  tolerance: 2,
  belongs: () => false,
  endsHere: () => false,
  read: (lines) => [parseSoftLockup(lines)],
  summary: (k) => `soft lockup: CPU#${k.cpu} stuck ${k.seconds} s in ${k.comm} (pid ${k.pid})`,
  details: (k) => stackLines(k.kernel, k.callTrace),
});
