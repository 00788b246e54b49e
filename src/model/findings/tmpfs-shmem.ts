import type { FindingBase } from '../finding.js';
import type { HolderShareData } from './shared.js';

/** `tmpfs-shmem`: tmpfs / shared memory holding the memory. */
export interface TmpfsShmemFinding extends FindingBase {
  rule: 'tmpfs-shmem';
  data?: HolderShareData;
}
