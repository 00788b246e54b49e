import type { FindingBase } from '../finding.js';

/** `manual-oom`: An OOM kill asked for by hand (sysrq f). */
export interface ManualOomFinding extends FindingBase {
  rule: 'manual-oom';
  data?: ManualOomData;
}

export type ManualOomData = {
  /**
   * -1: the order sysrq f passes from 4.4 on, no allocation asked for it. Kernels before 4.4 print
   * order=0 for sysrq f (told by moom_callback instead); null when the header line was cut.
   */
  order: number | null;
  sysrq: boolean;
  invoker: string | null;
  victimPid: number | null;
  victimComm: string | null;
  /** Manual OOM kills told alike (order -1, or the pre-4.4 moom_callback) as one finding: how many, the first and last. */
  reports?: number;
  firstIncident?: number;
  lastIncident?: number;
};
