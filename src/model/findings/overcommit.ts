import type { FindingBase } from '../finding.js';

/** `overcommit`: Committed_AS against CommitLimit and RAM + swap. */
export interface OvercommitFinding extends FindingBase {
  rule: 'overcommit';
  data?: OvercommitData;
}

export type OvercommitData = {
  committedKb: number;
  commitLimitKb: number;
  committedPercentOfLimit: number;
  committedPercentOfRamAndSwap: number | null;
  totalKb: number | null;
  swapTotalKb: number | null;
};
