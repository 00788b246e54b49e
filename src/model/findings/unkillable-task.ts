import type { FindingBase } from '../finding.js';

/** `unkillable-task`: Tasks the OOM killer may not or cannot kill (oom_score_adj -1000, D state). */
export interface UnkillableTaskFinding extends FindingBase {
  rule: 'unkillable-task';
  data?: UnkillableTaskData;
}

export type UnkillableTaskData = {
  /** Protected tasks (oom_score_adj −1000 or OOM_DISABLE). */
  tasks: ({ comm: string; pid: number | null; oomScoreAdj: number; field: string; rssPages: number | null; reports: number } | { comm: string; pid: number | null; source: string })[];
  /** Tasks in uninterruptible sleep, which a kill does not end. */
  dStateTasks?: number;
  counted?: number | null;
};
