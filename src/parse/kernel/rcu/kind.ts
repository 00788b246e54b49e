/** RCU stalls: self-detected, detected on other CPUs/tasks, and expedited grace periods. */
import type { RcuStallIncident } from '../../../model/kernel-incidents.js';
import { parseRcuStall } from './parse.js';
import { stackLines } from '../common/text.js';
import { kernelKind } from '../kind.js';

export const rcu = kernelKind<RcuStallIncident>({
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
  read: (lines) => [parseRcuStall(lines)],
  summary: (k) => `${k.expedited ? 'expedited ' : ''}RCU stall${k.flavor ? ` (${k.flavor})` : ''}${k.cpus.length ? ` on CPU ${k.cpus.join(',')}` : ''}`,
  details: (k) => stackLines(k.kernel, k.callTrace),
});
