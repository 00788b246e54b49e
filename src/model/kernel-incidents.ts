import type { KernelInfo } from './common.js';

/** Fields every incident has. `line`/`endLine` are 1-based lines of its input. */
export interface IncidentBase {
  kind: string;
  input: number;
  line: number;
  endLine: number;
  /** Wall clock as ISO 8601 (no zone unless the log printed one) when the log has it with a year, else null. */
  time: string | null;
  /** The wall-clock text as printed ("Jun 12 03:24:24"), also when its year is unknown; null if none. */
  timeText: string | null;
  /** Kernel timestamp (seconds since boot) when present, else null. */
  uptimeSec: number | null;
  /** True when the report was cut off (input ended or another report began before its last line). */
  partial: boolean;
  /**
   * Other places the same record was printed (the console copy and the syslog copy of one OOM,
   * `dmesg` typed on a serial console): merged into this incident, their lines kept as evidence.
   * Absent when the record was seen once.
   */
  copies?: { input: number; line: number; endLine: number }[];
  /**
   * "wall": read from a wall broadcast of the record (rsyslog's `*.emerg :omusrmsg:*` echo on a
   * terminal: one line, a copy of a record the kernel log holds). Absent otherwise.
   */
  echo?: 'wall';
}

/** One frame of a call trace, any architecture's spelling. */
export interface StackFrame {
  fn: string;
  /** "+0x23/0x50" as printed, or null. */
  offset: string | null;
  /** Module in brackets after the frame ("nvme"), or null for built-in code. */
  module: string | null;
  /** Printed with a leading "?": the unwinder was not sure this frame is real. */
  unreliable: boolean;
  line: number;
}

export interface ZoneInfo {
  node: number;
  zone: string;
  freeKb: number | null;
  minKb: number | null;
  lowKb: number | null;
  highKb: number | null;
  managedKb: number | null;
  presentKb: number | null;
  /** free below min: the allocator may not use this zone except for atomic/reserve requests. */
  belowMin: boolean | null;
  /** lowmem_reserve[] printed after the zone line, in pages; null when absent. */
  lowmemReservePages: number[] | null;
  /** Every other key:value counter of the zone line, unit in the name (activeAnonKb, pagesScanned). */
  counters: Record<string, number>;
  buddy: BuddyInfo | null;
  line: number;
}

export interface BuddyInfo {
  /** Free blocks per order, 0..N. */
  counts: number[];
  /** Migrate-type letters printed per order ("UMEH"), null where none printed. */
  types: (string | null)[];
  /** Highest order with at least one free block; null when every count is 0. */
  largestFreeOrder: number | null;
  totalKb: number | null;
  line: number;
}

export interface NodeInfo {
  node: number;
  counters: Record<string, number>;
  allUnreclaimable: boolean | null;
  line: number;
}

/** The `Mem-Info:` section and what follows it (nodes, zones, buddy lists, totals). */
/**
 * What the `Mem-Info:` section says besides its counters and zones, which the incident carries
 * itself (`memInfo`, `zones`: one copy each, in the model and in the JSON).
 */
export interface MemInfoReport {
  nodes: NodeInfo[];
  hugepages: { node: number; totalPages: number; freePages: number; surplusPages: number; sizeKb: number; line: number }[];
  totalPagecachePages: number | null;
  swapCachePages: number | null;
  freeSwapKb: number | null;
  totalSwapKb: number | null;
  ramPages: number | null;
  highMemPages: number | null;
  reservedPages: number | null;
  cmaReservedPages: number | null;
  hwpoisonedPages: number | null;
  /** Page size the report implies (from its buddy lists), or null when it cannot be told. */
  pageSizeKb: number | null;
  line: number;
}

// Each kernel report kind declares its incident type in its own module (src/parse/kernel/<kind>/kind.ts);
// the union of them all is derived from the kinds' registry. Re-exported here so that readers of the
// model (rules, reports, accounting) keep one place to import from.
export type { KernelIncident } from '../parse/kernel/registry.js';
export type { OomKillIncident } from '../parse/kernel/oom/kind.js';
export type { Trigger, Victim, TaskRow, ProcessTable, MemcgInfo, SlabUsage } from '../parse/kernel/oom/parts.js';
export type { PageAllocFailureIncident } from '../parse/kernel/alloc/kind.js';
export type { HungTaskIncident } from '../parse/kernel/hung/kind.js';
export type { SoftLockupIncident } from '../parse/kernel/lockup/kind.js';
export type { RcuStallIncident } from '../parse/kernel/rcu/kind.js';
export type { KernelErrorIncident } from '../parse/kernel/error/kind.js';
export type { SysrqIncident, TaskStack } from '../parse/kernel/sysrq/kind.js';
