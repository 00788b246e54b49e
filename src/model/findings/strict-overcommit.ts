import type { FindingBase } from '../finding.js';

/** `strict-overcommit`: Allocations refused by strict overcommit (vm.overcommit_memory=2). */
export interface StrictOvercommitFinding extends FindingBase {
  rule: 'strict-overcommit';
  data?: StrictOvercommitData;
}

export type StrictOvercommitData = {
  overcommitMemory: number | null;
  overcommitRatio: number | null;
  commitLimitKb: number | null;
  committedAsKb: number | null;
  programs: (string | null)[];
};
