import type { FindingBase } from '../finding.js';

/** `page-cache-thrash`: Page-cache thrashing under memory pressure: the signals seen, with their numbers. */
export interface PageCacheThrashFinding extends FindingBase {
  rule: 'page-cache-thrash';
  data?: PageCacheThrashData;
}

export type PageCacheThrashData = {
  /** Keys of the signals seen (kswapd-cpu, disk-reads, filemap-N, memavailable…). */
  signals: string[];
  kswapdCpuPercent?: number | null;
  topIowaitPercent?: number | null;
  mpstatIowaitPercent?: number | null;
  device?: string;
  readKbPerSec?: number | null;
  utilPercent?: number | null;
  blockedTasks?: number;
  tasksInFilemapFault?: number;
  memAvailableKb?: number | null;
  cachedKb?: number | null;
  evicted?: { path: string; percent: number | null }[];
  cachedBeforeKb?: number | null;
  cachedAfterKb?: number | null;
};
