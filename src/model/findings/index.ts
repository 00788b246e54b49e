/**
 * The finding of each rule, one file per rule id (test/rules/registry.test.ts checks the list
 * against src/rules/). `Finding` is their union on `rule`, so the JSON schema gives each rule's
 * `data` its own shape.
 */
import type { AllocFailureNoretryFinding } from './alloc-failure-noretry.js';
import type { DriverSuspectFinding } from './driver-suspect.js';
import type { DriverWarningFinding } from './driver-warning.js';
import type { FragmentationFinding } from './fragmentation.js';
import type { GuardStormFinding } from './guard-storm.js';
import type { HugepagePoolFinding } from './hugepage-pool.js';
import type { HungTaskFinding } from './hung-task.js';
import type { LockConvoyFinding } from './lock-convoy.js';
import type { ManualOomFinding } from './manual-oom.js';
import type { MemcgLimitFinding } from './memcg-limit.js';
import type { MinFreeKbytesFinding } from './min-free-kbytes.js';
import type { OvercommitFinding } from './overcommit.js';
import type { PageCacheThrashFinding } from './page-cache-thrash.js';
import type { PageTableBloatFinding } from './page-table-bloat.js';
import type { ProcessGrowthFinding } from './process-growth.js';
import type { ProgramMemoryFinding } from './program-memory.js';
import type { RepeatedOomVictimFinding } from './repeated-oom-victim.js';
import type { SlabUnreclaimableFinding } from './slab-unreclaimable.js';
import type { SoftLockupFinding } from './soft-lockup.js';
import type { StrictOvercommitFinding } from './strict-overcommit.js';
import type { SwapStateFinding } from './swap-state.js';
import type { TaintFinding } from './taint.js';
import type { TmpfsShmemFinding } from './tmpfs-shmem.js';
import type { UnaccountedMemoryFinding } from './unaccounted-memory.js';
import type { UnkillableTaskFinding } from './unkillable-task.js';
import type { WhereMemoryWentFinding } from './where-memory-went.js';
import type { ZoneBelowMinFinding } from './zone-below-min.js';

export type RuleFinding =
  | AllocFailureNoretryFinding
  | DriverSuspectFinding
  | DriverWarningFinding
  | FragmentationFinding
  | GuardStormFinding
  | HugepagePoolFinding
  | HungTaskFinding
  | LockConvoyFinding
  | ManualOomFinding
  | MemcgLimitFinding
  | MinFreeKbytesFinding
  | OvercommitFinding
  | PageCacheThrashFinding
  | PageTableBloatFinding
  | ProcessGrowthFinding
  | ProgramMemoryFinding
  | RepeatedOomVictimFinding
  | SlabUnreclaimableFinding
  | SoftLockupFinding
  | StrictOvercommitFinding
  | SwapStateFinding
  | TaintFinding
  | TmpfsShmemFinding
  | UnaccountedMemoryFinding
  | UnkillableTaskFinding
  | WhereMemoryWentFinding
  | ZoneBelowMinFinding;

/** Every rule id, as the findings carry it. */
export type RuleId = RuleFinding['rule'];

/** The rules that say one holder filled the machine (src/rules/util/holder-cause.ts), sharing one data shape. */
export type HolderShareFinding = HugepagePoolFinding | PageTableBloatFinding | SlabUnreclaimableFinding | TmpfsShmemFinding;
