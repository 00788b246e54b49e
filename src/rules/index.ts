import type { Rule } from './types.js';
import { allocFailureNoretry } from './alloc-failure-noretry.js';
import { driverSuspect } from './driver-suspect.js';
import { driverWarning } from './driver-warning.js';
import { fragmentation } from './fragmentation.js';
import { hungTask } from './hung-task.js';
import { lockConvoy } from './lock-convoy.js';
import { memcgLimit } from './memcg-limit.js';
import { minFreeKbytes } from './min-free-kbytes.js';
import { overcommit } from './overcommit.js';
import { pageCacheThrash } from './page-cache-thrash.js';
import { guardStorm } from './guard-storm.js';
import { processGrowth } from './process-growth.js';
import { repeatedOomVictim } from './repeated-oom-victim.js';
import { softLockup } from './soft-lockup.js';
import { taint } from './taint.js';
import { unaccountedMemory } from './unaccounted-memory.js';
import { unkillableTask } from './unkillable-task.js';
import { whereMemoryWent } from './where-memory-went.js';
import { hugepagePool } from './hugepage-pool.js';
import { tmpfsShmem } from './tmpfs-shmem.js';
import { pageTableBloat } from './page-table-bloat.js';
import { slabUnreclaimable } from './slab-unreclaimable.js';
import { manualOom } from './manual-oom.js';
import { programMemory } from './program-memory.js';
import { swapState } from './swap-state.js';
import { strictOvercommit } from './strict-overcommit.js';
import { zoneBelowMin } from './zone-below-min.js';

/**
 * Every rule, explicitly listed. test/rules/registry.test.ts checks this list matches the folder.
 */
export const RULES: Rule[] = [
  zoneBelowMin,
  fragmentation,
  allocFailureNoretry,
  repeatedOomVictim,
  memcgLimit,
  hungTask,
  softLockup,
  taint,
  driverWarning,
  unaccountedMemory,
  driverSuspect,
  pageCacheThrash,
  processGrowth,
  lockConvoy,
  overcommit,
  unkillableTask,
  minFreeKbytes,
  whereMemoryWent,
  hugepagePool,
  tmpfsShmem,
  pageTableBloat,
  slabUnreclaimable,
  manualOom,
  programMemory,
  swapState,
  strictOvercommit,
  guardStorm,
];
