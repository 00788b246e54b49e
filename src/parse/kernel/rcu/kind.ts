/** RCU stalls: self-detected, detected on other CPUs/tasks, and expedited grace periods. */
import type { IncidentBase, StackFrame } from '../../../model/kernel-incidents.js';
import type { KernelInfo } from '../../../model/common.js';
import { parseRcuStall } from './parse.js';
import { stackLines } from '../common/text.js';
import type { KernelKind } from '../kind.js';

export interface RcuStallIncident extends IncidentBase {
  kind: 'rcu_stall';
  flavor: string | null;
  /** An expedited grace period stalled ("detected expedited stalls"): synchronize_rcu_expedited() callers wait. */
  expedited: boolean;
  cpus: number[];
  kernel: KernelInfo;
  callTrace: StackFrame[];
}

export const rcu: KernelKind<RcuStallIncident, 'rcu'> = {
  id: 'rcu',
  incidentKinds: ['rcu_stall'],
  markers: ['stall'],
  // Expedited grace periods (synchronize_rcu_expedited) report their own stalls:
  // "rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 0-.... } 5556 jiffies s: 57 root: 0x1/."
  start: /rcu_\w+ (?:self-)?detected (?:expedited )?stalls?|rcu: INFO: \w+ (?:self-)?detected (?:expedited )?stall|INFO: rcu_\w+ (?:self-)?detected stall/,
  tolerance: 3,
  // The per-CPU lines after the head ("rcu: \t0-....: …") are part of it; another head is the next stall.
  belongs: (_open, kind, msg) => kind === 'rcu' && !/detected (?:expedited )?stall/.test(msg),
  endsHere: () => false,
  asksOtherCpus: true,
  identity: (k) => JSON.stringify([k.flavor, k.expedited, k.cpus]),
  read: (lines) => [parseRcuStall(lines)],
  summary: (k) => `${k.expedited ? 'expedited ' : ''}RCU stall${k.flavor ? ` (${k.flavor})` : ''}${k.cpus.length ? ` on CPU ${k.cpus.join(',')}` : ''}`,
  details: (k) => stackLines(k.kernel, k.callTrace),
};
