/** The OOM killer's report: from "invoked oom-killer" (or, when cut, its first kill line) to "Killed process". */
import type { IncidentBase, StackFrame, ZoneInfo, MemInfoReport } from '../../../model/kernel-incidents.js';
import type { KernelInfo } from '../../../model/common.js';
import type { MemcgInfo, ProcessTable, SlabUsage, Trigger, Victim } from './parts.js';
import { formatKb, limitText } from '../../../model/units.js';
import { HEADER_RE, KILLED_RE, OOM_GROUP_RE } from './lines.js';
import { parseOomReport } from './report.js';
import { kernelText, memoryLines } from '../common/text.js';
import type { KernelKind } from '../kind.js';

export interface OomKillIncident extends IncidentBase {
  kind: 'oom_kill';
  kernel: KernelInfo;
  trigger: Trigger;
  /** CONSTRAINT_NONE, CONSTRAINT_MEMCG… from the oom-kill: line, or null when the log has none. */
  constraint: string | null;
  /** oom_memcg path for a cgroup OOM (or the v1 "limit of" path), else null. */
  memcg: string | null;
  taskMemcg: string | null;
  /** True for "Memory cgroup out of memory" / CONSTRAINT_MEMCG reports. */
  cgroupOom: boolean;
  victim: Victim;
  /**
   * Every process this OOM event killed, the victim first. More than one when the cgroup has
   * memory.oom.group set: the kernel then kills the whole group ("Tasks in /grp are going to be
   * killed due to memory.oom.group set"), one "Killed process" line each; a pid printed twice is listed once.
   */
  victims: Victim[];
  /**
   * Triggered by hand (sysrq f, "Manual OOM execution"; the header says order=-1): a person or a
   * watchdog asked the kernel to kill, memory need not have run out.
   */
  manual: boolean;
  /** The cgroup whose memory.oom.group made the kernel kill all its tasks, else null. */
  oomGroup: string | null;
  /** "kill" when a process was killed; "panic" when vm.panic_on_oom made the kernel panic instead. */
  outcome?: 'kill' | 'panic';
  memInfo: Record<string, number> | null;
  memInfoReport: MemInfoReport | null;
  zones: ZoneInfo[];
  processTable: ProcessTable | null;
  memcgInfo: MemcgInfo | null;
  /** The "Unreclaimable slab info:" table (4.15+), largest first; null when the report has none. */
  unreclaimableSlab?: SlabUsage[] | null;
  callTrace: StackFrame[];
  hardware: string | null;
  pageSizeKb: number | null;
}

export const oom: KernelKind<OomKillIncident, 'oom'> = {
  id: 'oom',
  incidentKinds: ['oom_kill'],
  markers: ['invoked oom-killer', 'oom-kill:', 'Out of memory', 'Killed process', 'Memory cgroup out of memory'],
  start: /invoked oom-killer:|^\s*oom-kill:constraint=|^\s*(?:Out of memory(?: \([^)]*\))?|Memory cgroup out of memory): (?:[Kk]ill process|Killed process)|^\s*Killed process \d+/,
  // Another CPU's lines can land inside a long report (a task table of thousands of rows).
  tolerance: 8,
  // The selection and kill lines of the same report; a new "invoked oom-killer" is the next one.
  belongs: (_open, kind, msg) => (kind === 'oom' && !msg.includes('invoked oom-killer')) || kind === 'showmem',
  endsHere: (msg) => KILLED_RE.test(msg),
  // memory.oom.group: after its victim the kernel kills the rest of the group under "Tasks in /grp
  // are going to be killed due to memory.oom.group set", one "Killed process" line each.
  continuesAfterEnd: (open, msg) => OOM_GROUP_RE.test(msg) || (KILLED_RE.test(msg) && open.lines.some((l) => OOM_GROUP_RE.test(l.msg))),
  // The report's tail (node, zone, buddy lines, totals, the task table), when a paste starts in it.
  leading: {
    lines: /^\s*(?:\[\s*(?:\d+|pid)\s*\]\s+\S|Tasks state \(memory values in pages\):|Node \d+ |lowmem_reserve\[\]:|(?:DMA32|DMA|Normal|HighMem|Movable): \d+\*\d+kB|\d+ (?:total pagecache pages|pages in swap cache|pages RAM|pages HighMem|pages reserved|pages hwpoisoned|pages cma reserved)|Free swap  = |Total swap = |Swap cache stats: )/,
    unless: HEADER_RE,
  },
  // Copies of one record (console and syslog, a wall echo) merge into one incident (parse/dedup.ts).
  // By its victim, so a copy cut before its header still meets the whole one.
  identity(k) {
    const t = k.trigger, v = k.victim;
    if (v.pid != null) return JSON.stringify(['victim', v.pid, v.comm, v.totalVmKb, v.anonRssKb]);
    return t.comm == null ? null : JSON.stringify(['trigger', t.comm, t.pid, t.order, t.gfpMask]);
  },
  // A copy cut before its header starts later than the whole one; a report prints in well under 5 s.
  copySlackSec: 5,
  identityIsUnique: true,
  read: (lines, problems) => [parseOomReport(lines, problems)],
  summary(k) {
    const v = k.victim;
    const who = v.pid != null ? `${v.comm} (pid ${v.pid})` : 'unknown victim';
    const scope = k.manual ? 'manual OOM kill (sysrq f, not a shortage)' : k.cgroupOom ? `cgroup OOM${k.memcg ? ` in ${k.memcg}` : ''}` : 'OOM kill';
    const size = v.anonRssKb != null ? `, anon-rss ${formatKb(v.anonRssKb)}` : '';
    const by = k.trigger.comm ? `; triggered by ${k.trigger.comm}${k.trigger.order != null ? ` (order ${k.trigger.order})` : ''}` : '';
    if (k.outcome === 'panic') return `${scope}: the kernel panicked (vm.panic_on_oom) instead of killing${by}`;
    return `${scope}: killed ${who}${size}${by}${k.partial ? ' [report cut off]' : ''}`;
  },
  details(k) {
    const out: string[] = [];
    const kt = kernelText(k.kernel);
    if (kt) out.push(kt);
    const t = k.trigger;
    if (t.comm) out.push(`trigger: ${t.comm}${t.pid != null ? ` pid ${t.pid}` : ''}, order ${t.order ?? '?'}, gfp ${t.gfpMask ?? '?'}${t.gfpFlags ? ` (${t.gfpFlags.join('|')})` : ''}, oom_score_adj ${t.oomScoreAdj ?? '?'}`);
    if (k.constraint) out.push(`constraint: ${k.constraint}${k.memcg ? `, memcg ${k.memcg}` : ''}`);
    const v = k.victim;
    if (v.pid != null) out.push(`victim: ${v.comm} pid ${v.pid}, total-vm ${formatKb(v.totalVmKb)}, anon-rss ${formatKb(v.anonRssKb)}, file-rss ${formatKb(v.fileRssKb)}, shmem-rss ${formatKb(v.shmemRssKb)}${v.score != null ? `, score ${v.score}` : ''}`);
    if (k.oomGroup) out.push(`memory.oom.group of ${k.oomGroup}: killed ${k.victims.length} tasks (${k.victims.map((x) => `${x.comm} pid ${x.pid}, anon-rss ${formatKb(x.anonRssKb)}`).join('; ')})`);
    for (const c of k.memcgInfo?.counters ?? []) out.push(`cgroup ${c.name}: usage ${formatKb(c.usageKb)}, ${limitText(c.limitKb) === 'no limit' ? 'no limit' : `limit ${limitText(c.limitKb)}`}, failcnt ${c.failcnt}`);
    out.push(...memoryLines(k));
    const pt = k.processTable;
    if (pt) out.push(`tasks: ${pt.rows} listed, rss sum ${pt.sumRssPages} pages${k.pageSizeKb ? ` (${formatKb(pt.sumRssPages * k.pageSizeKb)})` : ''}; largest: ${pt.top.slice(0, 5).map((r) => `${r.comm} ${r.rssPages ?? '?'}`).join(', ')}`);
    return out;
  },
};
