import type { FindingBase } from '../finding.js';

/** `program-memory`: One program (all its instances) holding most of the memory. */
export interface ProgramMemoryFinding extends FindingBase {
  rule: 'program-memory';
  data?: ProgramMemoryData;
}

export type ProgramMemoryData = {
  program: string;
  instances: number;
  rssPages: number;
  rssKb: number;
  tableRssPages: number;
  totalKb: number;
  pids: number[];
  victimIsOne: boolean;
  /** Global OOM kills with the same story told as one finding (the last in detail): how many, the first and last. */
  reports?: number;
  firstIncident?: number;
  lastIncident?: number;
};
