import type { FindingBase } from '../finding.js';
import type { HolderShareData } from './shared.js';

/** `hugepage-pool`: A huge-page pool holding memory no ordinary allocation may use. */
export interface HugepagePoolFinding extends FindingBase {
  rule: 'hugepage-pool';
  data?: HolderShareData;
}
