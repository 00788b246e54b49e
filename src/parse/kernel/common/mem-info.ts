import type { BuddyInfo, MemInfoReport, NodeInfo, ZoneInfo } from '../../../model/kernel-incidents.js';
import { counters } from './keys.js';
import { firstNonSpace } from '../../../read/blank.js';

// "Node 0 DMA32: 2150*4kB (UMEH) 2083*8kB (UMEH) 0*32kB … = 44288kB". Kernels built without NUMA
// print zone and buddy lines with no "Node N " ("DMA32 free:1852kB …", "DMA32: 1*4kB …"): they
// have exactly one node, node 0.
const ZONE_NAMES = '(?:DMA32|DMA|Normal|HighMem|Movable|Device)';
const BUDDY_RE = new RegExp(`^\\s*(?:Node (\\d+) (\\w+)|(${ZONE_NAMES})): (\\d+\\*\\d+kB.*?)(?:= (\\d+)kB)?\\s*$`);
const BUDDY_ENTRY_RE = /(\d+)\*(\d+)kB(?: \(([A-Z]+)\))?/g;
// "Node 0 DMA32 free:44288kB min:44336kB …" (zone) vs "Node 0 active_anon:…" (node)
const ZONE_RE = new RegExp(`^\\s*(?:Node (\\d+) (\\w+)|(${ZONE_NAMES})) free:`);
const NODE_RE = /^\s*Node (\d+) (?:active_anon|anon_|inactive_anon|isolated|mapped|active_file):?/;
const HUGE_RE = /^\s*Node (\d+) hugepages_total=(\d+) hugepages_free=(\d+) hugepages_surp=(\d+) hugepages_size=(\d+)kB/;
const RESERVE_RE = /^\s*lowmem_reserve\[\]:((?:\s+\d+)+)\s*$/;

type Totals = Pick<MemInfoReport, 'totalPagecachePages' | 'swapCachePages' | 'freeSwapKb' | 'totalSwapKb' | 'ramPages' | 'highMemPages' | 'reservedPages' | 'cmaReservedPages' | 'hwpoisonedPages'>;
const TOTALS: [RegExp, keyof Totals][] = [
  [/^\s*(\d+) total pagecache pages/, 'totalPagecachePages'],
  [/^\s*(\d+) pages in swap cache/, 'swapCachePages'],
  [/^\s*Free swap\s*=\s*(\d+)kB/, 'freeSwapKb'],
  [/^\s*Total swap\s*=\s*(\d+)kB/, 'totalSwapKb'],
  [/^\s*(\d+) pages RAM/, 'ramPages'],
  [/^\s*(\d+) pages HighMem/, 'highMemPages'],
  [/^\s*(\d+) pages reserved/, 'reservedPages'],
  [/^\s*(\d+) pages cma reserved/, 'cmaReservedPages'],
  [/^\s*(\d+) pages hwpoisoned/, 'hwpoisonedPages'],
];

export function parseBuddy(msg: string, line: number): { node: number; zone: string; buddy: BuddyInfo; pageSizeKb: number | null } | null {
  const b = BUDDY_RE.exec(msg);
  if (!b) return null;
  // Renumber the groups as if "Node N zone" were always printed.
  const m = [b[0], b[1] ?? '0', b[2] ?? b[3], b[4], b[5]];
  const counts: number[] = [];
  const types: (string | null)[] = [];
  let pageSizeKb: number | null = null;
  BUDDY_ENTRY_RE.lastIndex = 0;
  let e: RegExpExecArray | null;
  while ((e = BUDDY_ENTRY_RE.exec(m[3]))) {
    if (pageSizeKb == null) pageSizeKb = Number(e[2]); // order 0 is one page: the page size
    counts.push(Number(e[1]));
    types.push(e[3] ?? null);
  }
  let largest: number | null = null;
  counts.forEach((c, i) => { if (c > 0) largest = i; });
  const totalKb = m[4] != null ? Number(m[4]) : null;
  return { node: Number(m[1]), zone: m[2], pageSizeKb, buddy: { counts, types, largestFreeOrder: largest, totalKb, line } };
}

/**
 * Collects the lines of a show_mem() dump ("Mem-Info:" to "pages hwpoisoned") as they arrive.
 * add() returns false for a line that is not part of it, so the caller can try other readers.
 */
export class MemInfoBuilder {
  readonly report: MemInfoReport;
  /** The Mem-Info counters, in pages (the incident's `memInfo`). */
  readonly memInfo: Record<string, number> = {};
  /** Zone lines with their buddy lists (the incident's `zones`). */
  readonly zones: ZoneInfo[] = [];
  private inCounters = false;
  private lastZone: ZoneInfo | null = null;

  constructor(line: number) {
    this.report = {
      nodes: [], hugepages: [], totalPagecachePages: null, swapCachePages: null,
      freeSwapKb: null, totalSwapKb: null, ramPages: null, highMemPages: null, reservedPages: null,
      cmaReservedPages: null, hwpoisonedPages: null, pageSizeKb: null, line,
    };
  }

  add(msg: string, line: number): boolean {
    const r = this.report;
    // Every line of a report that no other reader took comes here (registers, "Call Trace:"…):
    // each anchored pattern is tried only when the line's first character can start it.
    const c = firstNonSpace(msg); // 0 for a blank line: no pattern's first character
    // -1 beyond ASCII: maybe a space the patterns' \s takes (DEL too, as ever: no pattern starts with it).
    const any = c < 0 || c > 0x7e;
    const zoneOrNode = any || c === N || c === D || c === H || c === M; // Node N, DMA32/DMA/Normal/HighMem/Movable/Device
    if ((any || c === M) && /^\s*Mem-Info:/.test(msg)) { this.inCounters = true; return true; }
    let m: RegExpExecArray | null;
    if (zoneOrNode && (m = ZONE_RE.exec(msg))) { this.inCounters = false; this.addZone(Number(m[1] ?? 0), m[2] ?? m[3], msg, line); return true; }
    if ((any || c === L) && (m = RESERVE_RE.exec(msg))) {
      if (this.lastZone) this.lastZone.lowmemReservePages = m[1].trim().split(/\s+/).map(Number);
      return true;
    }
    if ((any || c === N) && (m = HUGE_RE.exec(msg))) {
      r.hugepages.push({ node: Number(m[1]), totalPages: Number(m[2]), freePages: Number(m[3]), surplusPages: Number(m[4]), sizeKb: Number(m[5]), line });
      return true;
    }
    const b = zoneOrNode ? parseBuddy(msg, line) : null;
    if (b) { this.addBuddy(b); return true; }
    if ((any || c === N) && NODE_RE.test(msg)) { this.inCounters = false; this.addNode(msg, line); return true; }
    // The totals' nine patterns only where one can start: a digit, "Free swap" or "Total swap".
    if (any || (c >= 0x30 && c <= 0x39) || c === F || c === T) for (const [re, key] of TOTALS) if ((m = re.exec(msg))) { r[key] = Number(m[1]); return true; }
    // (The unanchored "callbacks suppressed" alone: in one pattern with the others it scanned every line.)
    if (msg.includes('callbacks suppressed') || ((any || c === S || c === N || c === C || c === W) && /^\s*(?:Swap cache stats:|Node \d+ \w+ per-cpu:|CPU\s+\d+: hi:|warn_alloc_show_mem:)/.test(msg))) return true;
    // Counter lines right after "Mem-Info:": "active_anon:125187 inactive_anon:2602 isolated_anon:0"
    if (this.inCounters && /^\s*[a-z_]+:\d+/.test(msg)) { Object.assign(this.memInfo, counters(msg, 'Pages')); return true; }
    return false;
  }

  private addZone(node: number, zone: string, msg: string, line: number): void {
    const c = counters(msg.replace(/^\s*(?:Node \d+ )?\w+ (?=free:)/, ''), '');
    const take = (k: string): number | null => { const v = c[k]; delete c[k]; return v ?? null; };
    const z: ZoneInfo = {
      node, zone, freeKb: take('freeKb'), minKb: take('minKb'), lowKb: take('lowKb'), highKb: take('highKb'),
      managedKb: take('managedKb'), presentKb: take('presentKb'), belowMin: null, lowmemReservePages: null,
      counters: c, buddy: null, line,
    };
    if (/all_unreclaimable\? yes/.test(msg)) c.allUnreclaimable = 1;
    z.belowMin = z.freeKb != null && z.minKb != null ? z.freeKb < z.minKb : null;
    this.zones.push(z);
    this.lastZone = z;
  }

  private addBuddy(b: NonNullable<ReturnType<typeof parseBuddy>>): void {
    if (this.report.pageSizeKb == null) this.report.pageSizeKb = b.pageSizeKb;
    const z = this.zones.find((x) => x.node === b.node && x.zone === b.zone && x.buddy == null);
    if (z) { z.buddy = b.buddy; return; }
    // A paste that starts at the buddy lines has no watermark line for the zone: the zone is
    // still known, with its free lists, and its watermarks unknown.
    this.zones.push({
      node: b.node, zone: b.zone, freeKb: null, minKb: null, lowKb: null, highKb: null, managedKb: null, presentKb: null,
      belowMin: null, lowmemReservePages: null, counters: {}, buddy: b.buddy, line: b.buddy.line,
    });
  }

  private addNode(msg: string, line: number): void {
    const m = /^\s*Node (\d+) (.*)$/.exec(msg);
    if (!m) return;
    const n: NodeInfo = { node: Number(m[1]), counters: counters(m[2], ''), allUnreclaimable: null, line };
    const u = /all_unreclaimable\? (yes|no)/.exec(msg);
    if (u) n.allUnreclaimable = u[1] === 'yes';
    this.report.nodes.push(n);
  }

  /** True once any real content was read (not only the "Mem-Info:" line). */
  hasContent(): boolean {
    const r = this.report;
    return Object.keys(this.memInfo).length > 0 || this.zones.length > 0 || r.nodes.length > 0 || r.ramPages != null;
  }
}

// First characters of the anchored patterns above.
const [C, D, F, H, L, M, N, S, T, W] = [...'CDFHlMNSTw'].map((ch) => ch.charCodeAt(0));
