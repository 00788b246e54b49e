import type { FindingBase } from '../finding.js';
import type { WaitKind } from './shared.js';

/** `lock-convoy`: Tasks queued on one lock whose owner waits for memory. */
export interface LockConvoyFinding extends FindingBase {
  rule: 'lock-convoy';
  data?: LockConvoyData;
}

export type LockConvoyData = {
  /** From a crash dump: the lock and its owner. */
  lock?: string | null;
  lockAddress?: string | null;
  ownerTask?: string;
  ownerPid: number | null;
  ownerComm?: string | null;
  ownerWait?: string | null;
  ownerWaitKind?: WaitKind | null;
  waiters: number | null;
  unTasks?: number | null;
  waiterComms?: (string | null)[];
  lockTakenIn?: string | null;
  /** From stack dumps alone: the blocked tasks that wait for memory. */
  memoryWaiters?: { comm: string; pid: number | null }[];
};
