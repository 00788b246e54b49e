import type { FindingBase } from '../finding.js';

/** `guard-storm`: A thrash storm the guard caught. */
export interface GuardStormFinding extends FindingBase {
  rule: 'guard-storm';
  data?: GuardStormData;
}

export type GuardStormData = {
  cgroup: string;
  reason: string;
  memSomePercent1s: number | null;
  majorFaultsPerSecHeld: number | null;
  heldMs: number | null;
  victim: { pid: number; comm: string; basis: string; why: string } | null;
};
