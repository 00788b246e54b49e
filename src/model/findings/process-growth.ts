import type { FindingBase } from '../finding.js';

/** `process-growth`: A process that grew between two snapshots. */
export interface ProcessGrowthFinding extends FindingBase {
  rule: 'process-growth';
  data?: ProcessGrowthData;
}

export type ProcessGrowthData = {
  command: string;
  metric: 'rss' | 'vsz';
  fromKb: number;
  toKb: number;
  growthKb: number;
  pidsBefore: number[];
  pidsAfter: number[];
  /** How the two snapshots were ordered: by their clocks, or by memory pressure when they have none. */
  orderBasis: 'time' | 'pressure';
  totalKb: number | null;
};
