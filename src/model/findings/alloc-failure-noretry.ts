import type { FindingBase } from '../finding.js';

/** `alloc-failure-noretry`: An allocation that failed without retrying or calling the OOM killer. */
export interface AllocFailureNoretryFinding extends FindingBase {
  rule: 'alloc-failure-noretry';
  data?: AllocFailureNoretryData;
}

export type AllocFailureNoretryData = {
  order: number | null;
  gfpMask: string | null;
  gfpFlags: string[] | null;
  /** order above PAGE_ALLOC_COSTLY_ORDER (3): the allocator gives up early on such requests. */
  costly: boolean;
  reclaimedHard: boolean | null;
  oomKillerCalled: boolean | null;
  driver: string | null;
  driverFunction: string | null;
  modules: string[];
};
