/** "INFO: task X:pid blocked for more than N seconds" and the stack of the task. */
import type { IncidentBase, StackFrame } from '../../../model/kernel-incidents.js';
import type { KernelInfo } from '../../../model/common.js';
import { parseHungTask } from './parse.js';
import { stackLines } from '../common/text.js';
import type { KernelKind } from '../kind.js';

export interface HungTaskIncident extends IncidentBase {
  kind: 'hung_task';
  comm: string;
  pid: number;
  seconds: number;
  state: string | null;
  kernel: KernelInfo;
  callTrace: StackFrame[];
}

export const hung: KernelKind<HungTaskIncident, 'hung'> = {
  id: 'hung',
  incidentKinds: ['hung_task'],
  markers: ['blocked for more than'],
  start: /INFO: task .*:\d+ blocked for more than \d+ seconds/,
  tolerance: 1,
  belongs: () => false,
  endsHere: () => false,
  identity: (k) => JSON.stringify([k.comm, k.pid, k.seconds]),
  read: (lines) => [parseHungTask(lines)],
  summary: (k) => `hung task: ${k.comm} (pid ${k.pid}) blocked > ${k.seconds} s${k.state ? ` in state ${k.state}` : ''}`,
  details: (k) => stackLines(k.kernel, k.callTrace),
};
