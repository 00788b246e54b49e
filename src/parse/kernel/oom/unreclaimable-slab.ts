import type { SlabUsage } from '../../../model/kernel-incidents.js';

// "Unreclaimable slab info:" (4.15+, dump_unreclaimable_slab(), printed by the OOM killer when
// unreclaimable slab exceeds the user-space LRU pages), then "Name  Used  Total" and one line per
// unreclaimable cache: "kmalloc-cg-4k         416752KB     416752KB" (sizes in KiB, "KB").
const HEAD_RE = /^\s*Unreclaimable slab info:\s*$/;
const COLUMNS_RE = /^\s*Name\s+Used\s+Total\s*$/;
const ROW_RE = /^\s*(\S+)\s+(\d+)KB\s+(\d+)KB\s*$/;

export class UnreclaimableSlabBuilder {
  readonly caches: SlabUsage[] = [];
  seen = false;
  private inTable = false;

  add(msg: string, line: number): boolean {
    if (HEAD_RE.test(msg)) { this.seen = true; this.inTable = true; return true; }
    if (!this.inTable) return false;
    if (COLUMNS_RE.test(msg)) return true;
    const m = ROW_RE.exec(msg);
    if (m) { this.caches.push({ name: m[1], usedKb: Number(m[2]), totalKb: Number(m[3]), line }); return true; }
    this.inTable = false;
    return false;
  }
}
