import type { FindingBase } from '../finding.js';

/** `fragmentation`: A high-order request that failed for lack of large free blocks. */
export interface FragmentationFinding extends FindingBase {
  rule: 'fragmentation';
  data?: FragmentationData;
}

export type FragmentationData = {
  order: number;
  blockKb: number;
  pageSizeKb: number;
  /** The watermark check of the kernel generation: before 4.4 or since. */
  algorithm: 'before-4.4' | 'since-4.4';
  zones: {
    node: number;
    zone: string;
    decided: 'watermark' | 'fragmentation' | 'ok';
    freeKb: number | null;
    minKb: number | null;
    reservePages: number | null;
    freeAtOrderKb: number;
    freeBelowOrderKb: number;
    largestFreeOrder: number | null;
  }[];
};
