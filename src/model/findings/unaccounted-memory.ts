import type { FindingBase } from '../finding.js';
import type { AccountingSource } from './shared.js';

/** `unaccounted-memory`: Memory no counter accounts for (a driver, a leak outside slab). */
export interface UnaccountedMemoryFinding extends FindingBase {
  rule: 'unaccounted-memory';
  data?: UnaccountedMemoryData;
}

export type UnaccountedMemoryData = {
  source: AccountingSource;
  totalKb: number | null;
  /** null when counters are missing: the remainder is then not computed (never from absent counters). */
  unaccountedKb: number | null;
  accountedKb?: number;
  unaccountedPercent?: number;
  /** The terms of the sum by the names the input prints, kB. */
  termsKb?: Record<string, number>;
  missing?: string[];
  pageSizeKb?: number;
  totalPages?: number;
  accountedPages?: number;
  unaccountedPages?: number;
  taskRssPages?: number | null;
  /** Global OOM kills with the same story (the same counters missing, or a remainder of the same severity) told as one finding: how many, the first and last. */
  reports?: number;
  firstIncident?: number;
  lastIncident?: number;
};
