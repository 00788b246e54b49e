export { accountMeminfo, type MeminfoExtras } from './meminfo.js';
export { accountMemInfo, type MemInfoExtras, type MemInfoParts } from './mem-info.js';
export { MEMINFO_TO_GET, missingMeminfo } from './generations.js';
export type { Accounting, Holder, HugePool } from './types.js';
export { accountMemcg } from './memcg.js';
