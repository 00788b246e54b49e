import { memo } from './memo.js';

/**
 * Drivers known to hold large amounts of memory outside the meminfo counters, as data (like
 * node-problem-detector's patterns): how to recognise each in slab caches, stack frames and
 * module lists, and what it does with the memory, in words for the person on call.
 */
export interface DriverPattern {
  driver: string;
  /** Module names as printed in brackets or in "Modules linked in:". */
  modules: RegExp;
  /** Function names of the driver (built-in or when frames carry no module). */
  functions: RegExp | null;
  /** Slab caches the driver creates. */
  slabs: RegExp | null;
  /**
   * Slab caches whose every object stands for one page the driver pinned (nvidia's PTE cache:
   * one entry per page of a pinned user or GPU buffer), so objects × page size estimates the memory.
   */
  pagePerObject: RegExp | null;
  /**
   * The driver's page-allocation entry points, for kprobe traces and funccount tables. `pagesParam`
   * is the parameter (1-based) that holds the page count, named as in the driver's source.
   */
  allocFunctions?: AllocFunction[];
  /** The matching release functions: funccount counts calls, so frees in the same window matter. */
  freeFunctions?: string[];
  what: string;
}

export interface AllocFunction {
  fn: string;
  pagesParam: { index: number; name: string } | null;
}

export const DRIVERS: DriverPattern[] = [
  {
    driver: 'nvidia', modules: /^nvidia(_uvm|_drm|_modeset|_peermem)?$/, functions: /^(nv_\w+|nvidia_\w+|uvm_\w+|_nv\d+rm|nvos_\w+)$/,
    slabs: /^nvidia_/, pagePerObject: /^nvidia_pte_cache/,
    // open-gpu-kernel-modules: nvos_create_alloc(struct device *dev, NvU64 num_pages) and
    // nv_alloc_pages(nv_state_t *nv, NvU32 page_count, …); nv_alloc_pages goes on to
    // nv_alloc_contig_pages or nv_alloc_system_pages (seed 001: 7463 + 728 = 8191 calls of it).
    allocFunctions: [
      { fn: 'nvos_create_alloc', pagesParam: { index: 2, name: 'num_pages' } },
      { fn: 'nv_alloc_pages', pagesParam: { index: 2, name: 'page_count' } },
      { fn: 'nv_alloc_contig_pages', pagesParam: null },
      { fn: 'nv_alloc_system_pages', pagesParam: null },
    ],
    freeFunctions: ['nvos_free_alloc', 'nv_free_pages', 'nv_free_contig_pages', 'nv_free_system_pages'],
    what: 'the NVIDIA driver pins pages for GPU buffers (CUDA, EGL/OpenGL, UVM) taking them straight from the page allocator: they appear in no meminfo counter and are charged to no memory cgroup',
  },
  {
    driver: 'virtio_balloon', modules: /^virtio_balloon$/, functions: /^(virtballoon_\w+|balloon_page_\w+|fill_balloon|leak_balloon)$/,
    slabs: null, pagePerObject: null,
    what: 'the virtio balloon driver inflates on the hypervisor\'s request: it allocates guest pages and hands them back to the host, so the guest keeps "RAM" it cannot use and no counter inside the guest shows it',
  },
  {
    driver: 'vmw_balloon', modules: /^vmw_balloon$/, functions: /^vmballoon_\w+$/, slabs: null, pagePerObject: null,
    what: 'the VMware balloon driver returns guest pages to the ESXi host; no counter inside the guest shows them',
  },
  {
    driver: 'hv_balloon', modules: /^hv_balloon$/, functions: /^(hv_balloon_\w+|balloon_up|balloon_down)$/, slabs: null, pagePerObject: null,
    what: 'the Hyper-V dynamic memory driver returns guest pages to the host; no counter inside the guest shows them',
  },
  {
    driver: 'amdgpu/ttm', modules: /^(amdgpu|radeon|ttm)$/, functions: /^(amdgpu_\w+|radeon_\w+|ttm_\w+)$/, slabs: /^(amdgpu_|ttm_)/, pagePerObject: null,
    what: 'the AMD GPU driver (through TTM) allocates system memory for GPU buffers from the page allocator; it shows in no meminfo counter',
  },
  {
    driver: 'i915', modules: /^i915$/, functions: /^i915_\w+$/, slabs: /^i915_/, pagePerObject: null,
    what: 'the Intel GPU driver backs GPU objects with shmem or pinned pages; pinned objects cannot be reclaimed',
  },
  {
    driver: 'zfs', modules: /^(zfs|spl)$/, functions: /^(arc_\w+|spl_\w+|zio_\w+|dbuf_\w+)$/, slabs: /^(zio_(data_)?buf_\d+|arc_buf\w*|dnode_t|dmu_buf_impl_t|spl_\w+)$/, pagePerObject: null,
    what: 'ZFS keeps its cache (the ARC) in kernel memory of its own (slab or vmalloc), not in the page cache: it is not counted in Cached, and it shrinks only when ZFS is asked to',
  },
];

// Module and function names repeat across thousands of call traces: each is matched once (memo.ts).
const byModule = new Map<string, DriverPattern | null>();
const byFunction = new Map<string, DriverPattern | null>();

export function driverOfModule(name: string): DriverPattern | null {
  return memo(byModule, name, () => DRIVERS.find((d) => d.modules.test(name)) ?? null);
}

export function driverOfFrame(fn: string, module: string | null): DriverPattern | null {
  if (module) return driverOfModule(module);
  return memo(byFunction, fn, () => DRIVERS.find((d) => d.functions?.test(fn)) ?? null);
}

/** "nvos_free_alloc.isra.0" → "nvos_free_alloc": the compiler's clone suffixes, as kallsyms prints them. */
export function baseSymbol(name: string): string {
  return name.replace(/(\.(isra|constprop|part|cold|lto_priv)(\.\d+)?)+$/, '');
}

/** The driver and allocation function a traced or counted symbol is, or null. */
export function allocFunctionOf(symbol: string): { driver: DriverPattern; alloc: AllocFunction } | null {
  const fn = baseSymbol(symbol);
  for (const d of DRIVERS) {
    const alloc = d.allocFunctions?.find((a) => a.fn === fn);
    if (alloc) return { driver: d, alloc };
  }
  return null;
}

export function driverOfSlab(name: string): DriverPattern | null {
  return DRIVERS.find((d) => d.slabs?.test(name)) ?? null;
}

/** How well an estimate of a driver's memory matches what is missing. */
export type Match = 'strong' | 'partial' | 'weak' | 'exceeds' | 'unknown';

/** Ratios of estimate to missing memory (driver-suspect's options). */
export interface MatchRatios { exceedsRatio: number; strongRatio: number; partialRatio: number }

export function matchOf(estimateKb: number | null, missingKb: number | null, t: MatchRatios): Match {
  if (estimateKb == null || missingKb == null || missingKb <= 0) return 'unknown';
  const r = estimateKb / missingKb;
  if (r > t.exceedsRatio) return 'exceeds';
  if (r >= t.strongRatio) return 'strong';
  if (r >= t.partialRatio) return 'partial';
  return 'weak';
}
