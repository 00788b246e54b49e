import type { FindingBase } from '../finding.js';
import type { HolderShareData } from './shared.js';

/** `page-table-bloat`: Page tables holding the memory. */
export interface PageTableBloatFinding extends FindingBase {
  rule: 'page-table-bloat';
  data?: HolderShareData;
}
