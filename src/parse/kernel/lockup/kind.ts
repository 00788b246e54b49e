/** The soft-lockup watchdog: "BUG: soft lockup - CPU#N stuck for Ns! [comm:pid]". */
import type { IncidentBase, StackFrame } from '../../../model/kernel-incidents.js';
import type { KernelInfo } from '../../../model/common.js';
import { parseSoftLockup } from './parse.js';
import { stackLines } from '../common/text.js';
import type { KernelKind } from '../kind.js';

export interface SoftLockupIncident extends IncidentBase {
  kind: 'soft_lockup';
  cpu: number;
  seconds: number;
  comm: string;
  pid: number;
  kernel: KernelInfo;
  callTrace: StackFrame[];
}

export const lockup: KernelKind<SoftLockupIncident, 'lockup'> = {
  id: 'lockup',
  incidentKinds: ['soft_lockup'],
  markers: ['soft lockup'],
  start: /BUG: soft lockup - CPU#\d+ stuck for/,
  tolerance: 2,
  belongs: () => false,
  endsHere: () => false,
  identity: (k) => JSON.stringify([k.cpu, k.seconds, k.comm, k.pid]),
  read: (lines) => [parseSoftLockup(lines)],
  summary: (k) => `soft lockup: CPU#${k.cpu} stuck ${k.seconds} s in ${k.comm} (pid ${k.pid})`,
  details: (k) => stackLines(k.kernel, k.callTrace),
};
