import type { FindingBase } from '../finding.js';

/** `driver-suspect`: A driver that holds memory no counter shows (GPU, balloon, ZFS…). */
export interface DriverSuspectFinding extends FindingBase {
  rule: 'driver-suspect';
  data?: DriverSuspectData;
}

export type DriverSuspectData = {
  driver: string;
  evidence: string;
  /** How the driver's estimate compares with the unaccounted remainder. */
  match: 'strong' | 'partial' | 'weak' | 'exceeds' | 'unknown';
  estimateKb: number | null;
  unaccountedKb: number | null;
  slabCaches: { name: string; objects: number; cacheSizeKb: number | null; estimateKb: number | null }[];
  frames: { fn: string; module: string | null; unreliable: boolean }[];
  modules: string[];
  assumedPageSizeKb: number | null;
  kprobes: { symbol: string; module: string | null; events: number; arg: string | null; pagesSum: number | null; estimateKb: number | null; elided: boolean }[];
  funccount: { name: string; count: number; free: boolean }[];
};
