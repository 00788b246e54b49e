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
  /**
   * What shows mode 2: the sysctl, or a size the kernel refused that mode 0 would have granted
   * (no more than MemTotal + SwapTotal); null when neither does (the finding then says "likely").
   */
  strictFrom?: 'sysctl' | 'refused-size' | null;
  /** The sizes of the kernel's refusal lines (__vm_enough_memory), in bytes; null where the kernel did not print it (before 6.9). */
  refusedSizeBytes?: (number | null)[];
};
