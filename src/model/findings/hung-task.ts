import type { FindingBase } from '../finding.js';
import type { WaitKind } from './shared.js';

/** `hung-task`: A task blocked in D state past hung_task_timeout_secs. */
export interface HungTaskFinding extends FindingBase {
  rule: 'hung-task';
  data?: HungTaskData;
}

export type HungTaskData = {
  comm: string;
  pid: number;
  blockedSec: number;
  reports: number;
  waitKind: WaitKind | null;
  waitFunction: string | null;
  stackKnown: boolean;
};
