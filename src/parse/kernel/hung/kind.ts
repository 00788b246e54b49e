/** "INFO: task X:pid blocked for more than N seconds" and the stack of the task. */
import type { HungTaskIncident } from '../../../model/kernel-incidents.js';
import { parseHungTask } from './parse.js';
import { stackLines } from '../common/text.js';
import { kernelKind } from '../kind.js';

export const hung = kernelKind<HungTaskIncident>({
  id: 'hung',
  incidentKinds: ['hung_task'],
  markers: ['blocked for more than'],
  start: /INFO: task .*:\d+ blocked for more than \d+ seconds/,
  tolerance: 1,
  belongs: () => false,
  endsHere: () => false,
  read: (lines) => [parseHungTask(lines)],
  summary: (k) => `hung task: ${k.comm} (pid ${k.pid}) blocked > ${k.seconds} s${k.state ? ` in state ${k.state}` : ''}`,
  details: (k) => stackLines(k.kernel, k.callTrace),
});
