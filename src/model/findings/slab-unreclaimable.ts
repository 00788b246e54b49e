import type { FindingBase } from '../finding.js';
import type { HolderShareData } from './shared.js';

/** `slab-unreclaimable`: Unreclaimable slab holding the memory. */
export interface SlabUnreclaimableFinding extends FindingBase {
  rule: 'slab-unreclaimable';
  data?: HolderShareData;
}
