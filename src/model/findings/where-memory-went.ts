import type { FindingBase } from '../finding.js';
import type { AccountingSource, Culprit } from './shared.js';

/** `where-memory-went`: Where the memory went: the holders, biggest first, and the dominant one. */
export interface WhereMemoryWentFinding extends FindingBase {
  rule: 'where-memory-went';
  data?: WhereMemoryWentData;
}

export type WhereMemoryWentData = {
  source: AccountingSource;
  memcg?: string;
  limitKb?: number;
  totalKb?: number;
  holders: { id: string; kb: number; percent: number }[];
  dominant: string[];
  /** What the input names inside the dominant holder (a program, slab caches, a huge-page pool). */
  culprit: Culprit | null;
  unaccountedKb?: number | null;
  missing: string[];
  /**
   * OOM kills with the same story told as one finding (memcg: one cgroup, the same holder and program;
   * global: the same dominant holders, severity and culprit program): how many, the first and last.
   */
  reports?: number;
  firstIncident?: number;
  lastIncident?: number;
};
