import type { FindingBase } from '../finding.js';

/** `soft-lockup`: A CPU stuck in kernel code (watchdog soft lockup). */
export interface SoftLockupFinding extends FindingBase {
  rule: 'soft-lockup';
  data?: SoftLockupData;
}

export type SoftLockupData = {
  cpu: number;
  stuckSec: number;
  comm: string;
  pid: number;
  topFrames: string[];
  modules: string[];
  reclaiming: boolean;
  spinning: boolean;
};
