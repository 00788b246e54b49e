import type { FindingBase } from '../finding.js';

/** `manual-oom`: An OOM kill asked for by hand (sysrq f). */
export interface ManualOomFinding extends FindingBase {
  rule: 'manual-oom';
  data?: ManualOomData;
}

export type ManualOomData = {
  /** -1: the order sysrq f passes, no allocation asked for it. */
  order: number;
  sysrq: boolean;
  invoker: string | null;
  victimPid: number | null;
  victimComm: string | null;
};
