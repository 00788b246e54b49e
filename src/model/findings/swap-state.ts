import type { FindingBase } from '../finding.js';

/** `swap-state`: Swap full, or none, when the OOM killer ran. */
export interface SwapStateFinding extends FindingBase {
  rule: 'swap-state';
  data?: SwapStateData;
}

export type SwapStateData = {
  totalSwapKb: number;
  freeSwapKb: number;
  victimSwapKb: number | null;
  /** Global OOM kills with the same swap state told as one finding (the last in detail): how many, the first and last. */
  reports?: number;
  firstIncident?: number;
  lastIncident?: number;
};
