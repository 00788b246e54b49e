import type { FindingBase } from '../finding.js';

/** `taint`: Kernel taint flags and the modules that set them. */
export interface TaintFinding extends FindingBase {
  rule: 'taint';
  data?: TaintData;
}

export type TaintData = {
  taints: string[];
  flags: { letter: string; meaning: string }[];
  taintedModules: { name: string; flags: string }[];
  changes: number;
};
