/** Shapes more than one rule's finding data uses. */

/** What a blocked task waits for, told from the top of its stack. */
export type WaitKind = 'fuse' | 'memory' | 'io' | 'lock' | 'nfs';

/** What the shared accounting added up: a /proc/meminfo, a report's Mem-Info, or a cgroup's memory.stat. */
export type AccountingSource = 'meminfo' | 'mem-info' | 'memcg';

/** A zone's free memory against its watermarks. */
export type WatermarkLevel = 'below-min' | 'at-min' | 'below-low' | 'ok';

/** The numbers of a "this holder filled the machine" rule (huge pages, tmpfs, slab, page tables). */
export type HolderShareData = {
  holder: string;
  kb: number;
  /** The part that counts (slab: its unreclaimable part when the input splits it). */
  measuredKb: number;
  totalKb: number;
  percent: number;
  source: AccountingSource;
  /** Slab only, where the input splits it. */
  reclaimableKb?: number;
  unreclaimableKb?: number;
  /** Global OOM kills where the holder dominated alike told as one finding (the last in detail): how many, the first and last. */
  reports?: number;
  firstIncident?: number;
  lastIncident?: number;
};

/** What the input names inside the dominant holder of where-memory-went. */
export type Culprit = {
  /** anon: the program with the most resident memory. */
  program?: string;
  instances?: number;
  rssPages?: number;
  rssKb?: number;
  /** slab: the split and the largest caches. */
  reclaimableKb?: number;
  unreclaimableKb?: number;
  caches?: { name: string; kb: number; objects: number | null }[];
  /** hugetlb: the pools. */
  pools?: { node: number | null; sizeKb: number; totalPages: number; freePages: number; reservedPages: number | null; surplusPages: number | null }[];
  poolFreeKb?: number;
  /** Free and reserved by no mapping; null when the input prints no reserved count (an OOM report). */
  poolUnusedKb?: number | null;
};
