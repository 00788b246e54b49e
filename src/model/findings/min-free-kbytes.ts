import type { FindingBase } from '../finding.js';

/** `min-free-kbytes`: vm.min_free_kbytes too small for what the machine asks of it. */
export interface MinFreeKbytesFinding extends FindingBase {
  rule: 'min-free-kbytes';
  data?: MinFreeKbytesData;
}

export type MinFreeKbytesData = {
  currentMinFreeKb: number | null;
  defaultMinFreeKb: number | null;
  suggestedMinFreeKb: number | null;
  totalKb: number | null;
  reasons: number;
};
