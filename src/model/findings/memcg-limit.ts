import type { FindingBase } from '../finding.js';

/** `memcg-limit`: An OOM kill inside a memory cgroup that hit its limit. */
export interface MemcgLimitFinding extends FindingBase {
  rule: 'memcg-limit';
  data?: MemcgLimitData;
}

export type MemcgLimitData = {
  memcg: string | null;
  limitKb: number | null;
  usageKb: number | null;
  failcnt: number | null;
  memswLimitKb: number | null;
  kmemUsageKb: number | null;
  /** What the cgroup's memory.stat says it held, kB. */
  anonKb?: number | null;
  fileKb?: number | null;
  shmemKb?: number | null;
  swapKb?: number | null;
  kernelKb?: number | null;
  workingsetRefaultFile: number | null;
  victimPid: number | null;
  victimComm: string | null;
  victimAnonRssKb: number | null;
  victimPercentOfLimit: number | null;
  /** The victim's swap entries in kB (task table's swapents × page size), where printed. */
  victimSwapKb?: number | null;
  tasks: number | null;
  /** Repeated kills of one program in one cgroup told as one finding: how many, which, the limits seen. */
  kills?: number;
  pids?: (number | null)[];
  limitsKb?: (number | null)[];
  firstIncident?: number;
  lastIncident?: number;
};
