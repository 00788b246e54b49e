import type { SlabCache } from '../model/snapshot-incidents.js';
import { parseModules, parseSpaceKv } from './proc-text.js';

/**
 * A reason memory may be missing from every counter. `kb` is what the evidence measures (null
 * when a driver tells nothing); `estimate` marks a figure that rests on an assumption.
 */
export interface Suspect {
  name: string;
  kb: number | null;
  estimate: boolean;
  evidence: string;
  why: string;
}

export interface SuspectInputs {
  modules: string | null;
  vmstat: Record<string, number> | null;
  meminfoCounters: Record<string, number>;
  arcstats: string | null;
  nvidiaGpus: string[] | null;
  slabCaches: SlabCache[];
  sockstat: string | null;
  pageSizeKb: number;
}

// Drivers that allocate pages straight from the buddy allocator (alloc_pages, dma_alloc_*) and
// report them in no /proc/meminfo counter, or that take pages away from the guest.
const MODULES: [RegExp, string][] = [
  [/^nvidia$/, 'NVIDIA driver: pinned host memory, UVM and page-table caches are allocated with alloc_pages and appear in no counter'],
  [/^(amdgpu|radeon)$/, 'AMD GPU driver: TTM system-memory buffers (GTT) appear in no counter'],
  [/^(i915|xe|nouveau)$/, 'GPU driver: buffer objects live in TTM or shmem pages (the latter show in Shmem)'],
  [/^(virtio_balloon|vmw_balloon|hv_balloon|xen_balloon|xen-balloon)$/, 'memory balloon: the hypervisor asked for pages back; they stay in MemTotal unless the driver shrinks it'],
  [/^(zfs|spl)$/, 'ZFS: the ARC allocates its buffers outside the page cache (see the ARC size)'],
  [/^(vboxdrv|kvm)$/, 'hypervisor module: guest memory of VMs it runs may be pinned outside process RSS'],
];

const KB = 1024;

export function findSuspects(x: SuspectInputs): Suspect[] {
  const out: Suspect[] = [];
  for (const m of parseModules(x.modules ?? '')) {
    const hit = MODULES.find(([re]) => re.test(m.name));
    if (hit) out.push({ name: `module ${m.name}`, kb: null, estimate: false, evidence: `/proc/modules: ${m.name} loaded, used by ${m.refcount}`, why: hit[1] });
  }
  const balloonKb = x.meminfoCounters.balloonKb;
  if (balloonKb) out.push({ name: 'balloon', kb: balloonKb, estimate: false, evidence: `/proc/meminfo Balloon: ${balloonKb} kB`, why: 'pages inflated into the memory balloon, handed to the hypervisor' });
  const inflate = x.vmstat?.balloon_inflate ?? 0;
  const deflate = x.vmstat?.balloon_deflate ?? 0;
  if (inflate > deflate && !balloonKb) {
    out.push({ name: 'balloon', kb: (inflate - deflate) * x.pageSizeKb, estimate: true, evidence: `/proc/vmstat balloon_inflate ${inflate} − balloon_deflate ${deflate} pages`, why: 'net pages taken by the memory balloon since boot' });
  }
  if (x.arcstats) {
    const arc = parseSpaceKv(x.arcstats);
    if (arc.size !== undefined) out.push({ name: 'zfs arc', kb: Math.round(arc.size / KB), estimate: false, evidence: `/proc/spl/kstat/zfs/arcstats size ${arc.size} bytes`, why: 'the ZFS ARC caches file data outside the page cache; some of it shows as slab or vmalloc' });
  }
  if (x.nvidiaGpus && x.nvidiaGpus.length > 0) {
    out.push({ name: 'nvidia gpus', kb: null, estimate: false, evidence: `/proc/driver/nvidia/gpus: ${x.nvidiaGpus.length} GPU(s)`, why: 'an NVIDIA driver is active; its host allocations are invisible to meminfo' });
  }
  // Seed 001: nvidia_pte_cache held 8.6 M objects of 40 bytes (330 MB of slab) while 33.8 GiB was
  // missing. Each object there tracks one page the driver allocated, so objects × page size is
  // what the driver may hold outside every counter.
  for (const c of x.slabCaches) {
    if (!/^(nvidia|nv_|uvm|amdgpu|ttm|i915|zfs|zio|arc_)/.test(c.name) || !c.objects) continue;
    const pte = /pte/.test(c.name);
    out.push({
      name: `slab ${c.name}`, kb: pte ? c.objects * x.pageSizeKb : null, estimate: pte,
      evidence: `/proc/slabinfo ${c.name}: ${c.objects} objects`,
      why: pte ? 'if each object tracks one driver page (as nvidia_pte_cache does), this much is held by the driver' : 'a driver cache is active',
    });
  }
  const cmaUsed = (x.meminfoCounters.cmaTotalKb ?? 0) - (x.meminfoCounters.cmaFreeKb ?? 0);
  if (cmaUsed > 0) out.push({ name: 'cma', kb: cmaUsed, estimate: true, evidence: `/proc/meminfo CmaTotal − CmaFree = ${cmaUsed} kB`, why: 'CMA pages used by drivers (dma_alloc_coherent) are in no counter; movable user pages borrowed there are counted elsewhere' });
  if (x.meminfoCounters.vmallocUsedKb === 0) out.push({ name: 'vmalloc', kb: null, estimate: false, evidence: '/proc/meminfo VmallocUsed: 0 kB', why: 'kernels 4.4–5.2 print VmallocUsed as 0: vmalloc memory (module code, BPF, some drivers) falls into unaccounted' });
  // TCP/UDP buffers are page fragments outside slab; sockstat "mem" is in pages.
  const sockPages = [...(x.sockstat ?? '').matchAll(/^(TCP|UDP|FRAG)\w*:.*\bmem (\d+)/gm)].reduce((a, m) => a + Number(m[2]), 0);
  if (sockPages > 0) out.push({ name: 'socket buffers', kb: sockPages * x.pageSizeKb, estimate: false, evidence: `/proc/net/sockstat mem ${sockPages} pages`, why: 'network buffers not yet read by applications sit in page fragments outside slab' });
  return out.sort((a, b) => (b.kb ?? -1) - (a.kb ?? -1));
}
