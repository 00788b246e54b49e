export { accountMeminfo, type MeminfoExtras } from './meminfo.js';
export { accountMemInfo } from './mem-info.js';
export { MEMINFO_TO_GET, missingMeminfo } from './generations.js';
export type { Accounting, Holder, HugePool } from './types.js';
