import type { FindingBase } from '../finding.js';

/** `repeated-oom-victim`: The same program killed by the OOM killer again and again. */
export interface RepeatedOomVictimFinding extends FindingBase {
  rule: 'repeated-oom-victim';
  data?: RepeatedOomVictimData;
}

export type RepeatedOomVictimData = {
  comm: string;
  kills: number;
  pids: (number | null)[];
  spanSec: number | null;
  meanIntervalSec: number | null;
  clock: 'time' | 'uptime' | null;
  anonRssKb: number[];
  memcgs: string[];
};
