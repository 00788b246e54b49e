import type { OomKillIncident } from '../../../model/kernel-incidents.js';
import type { Problem } from '../../../model/common.js';
import type { KernelLine } from '../../types.js';
import { TraceBuilder } from '../common/call-trace.js';
import { NO_KERNEL, parseCpuLine } from '../common/cpu-line.js';
import { MemcgBuilder } from './memcg-lines.js';
import { decodeGfp } from '../common/gfp/index.js';
import { MemInfoBuilder } from '../common/mem-info.js';
import { OOM_GROUP_RE, parseHeader, parseKilled, parseOomKillLine, SELECT_RE } from './lines.js';
import { TaskTableBuilder } from './task-table.js';
import { UnreclaimableSlabBuilder } from './unreclaimable-slab.js';
import { baseOf } from '../common/block-base.js';
import { inferPageSizeKb } from './page-size.js';
import { defineCallTrace } from '../common/packed-frames.js';

/** One OOM-killer report (its lines as grouped by the block splitter) → an oom_kill incident. */
export function parseOomReport(lines: readonly KernelLine[], problems: Problem[]): OomKillIncident {
  const first = lines[0];
  // Fields named one by one, not spread: a spread copies the base object's hidden class, and once
  // the copy site has seen several of them V8 gives every incident a class of its own (≈ 0.75 KB
  // each: 37 MB on 50,000 reports, issue 10).
  const b = baseOf('oom_kill', lines);
  const inc: OomKillIncident = {
    kind: b.kind, input: b.input, line: b.line, endLine: b.endLine, time: b.time, timeText: b.timeText, uptimeSec: b.uptimeSec, partial: b.partial,
    kernel: { ...NO_KERNEL },
    trigger: { comm: null, pid: null, gfpMask: null, gfpFlags: null, order: null, oomScoreAdj: null, nodemask: null, line: null },
    constraint: null, memcg: null, taskMemcg: null, cgroupOom: false,
    victim: { pid: null, comm: null, totalVmKb: null, anonRssKb: null, fileRssKb: null, shmemRssKb: null, pgtablesKb: null, uid: null, oomScoreAdj: null, score: null, reaped: null, line: null },
    victims: [], oomGroup: null, manual: false,
    memInfo: null, memInfoReport: null, zones: [], processTable: null, memcgInfo: null,
  } as Omit<OomKillIncident, 'callTrace' | 'hardware' | 'pageSizeKb'> as OomKillIncident;
  // The call trace is packed once the report is read (common/packed-frames.ts), in its place among the keys.
  defineCallTrace(inc, []);
  inc.hardware = null;
  inc.pageSizeKb = null;
  const trace = new TraceBuilder();
  const mem = new MemInfoBuilder(first.line);
  const tasks = new TaskTableBuilder();
  const memcg = new MemcgBuilder();
  const slab = new UnreclaimableSlabBuilder();
  let killedSeen = false;

  for (const l of lines) {
    const msg = l.msg;
    if (memcg.addStat(msg)) continue;
    const header = parseHeader(msg, l.line);
    if (header) { inc.trigger = header; continue; }
    const cpu = parseCpuLine(msg);
    if (cpu) {
      inc.kernel = cpu.kernel;
      if (inc.trigger.pid == null) inc.trigger.pid = cpu.pid;
      if (inc.trigger.comm == null) inc.trigger.comm = cpu.comm;
      continue;
    }
    if (msg.startsWith('Hardware name: ')) { inc.hardware = msg.slice(15).trim(); continue; }
    if (trace.add(msg, l.line)) continue;
    if (tasks.add(msg, l.line)) continue;
    if (memcg.add(msg, l.line)) continue;
    if (slab.add(msg, l.line)) continue;
    if (mem.add(msg, l.line)) continue;
    const kv = parseOomKillLine(msg);
    if (kv) {
      inc.constraint = kv.constraint ?? null;
      inc.memcg = kv.oom_memcg ?? null;
      inc.taskMemcg = kv.task_memcg ?? null;
      if (inc.trigger.nodemask == null && kv.nodemask) inc.trigger.nodemask = kv.nodemask;
      continue;
    }
    const sel = SELECT_RE.exec(msg);
    if (sel) {
      inc.victim.pid ??= Number(sel[1]);
      inc.victim.comm ??= sel[2];
      inc.victim.score = Number(sel[3]);
      if (/^\s*Memory cgroup/.test(msg)) inc.cgroupOom = true;
      continue;
    }
    const group = OOM_GROUP_RE.exec(msg);
    if (group) { inc.oomGroup = group[1]; continue; }
    const killed = parseKilled(msg, l.line);
    if (killed && killedSeen) {
      const { cgroupOom: _, ...victim } = killed;
      if (!inc.victims.some((v) => v.pid === victim.pid)) inc.victims.push(victim);
      continue;
    }
    if (killed) {
      const { cgroupOom, ...victim } = killed;
      // The selected process may differ from the one killed ("or sacrifice child"); the score
      // printed on the selection line belongs to the selected one.
      const score = inc.victim.pid === victim.pid ? inc.victim.score : null;
      inc.victim = { ...victim, score };
      inc.victims = [inc.victim];
      inc.cgroupOom ||= cgroupOom;
      killedSeen = true;
      inc.outcome = 'kill';
    }
  }
  inc.callTrace = trace.finish();
  // Kernels before 4.6 print the mask bare: names from the gfp table of the version on the CPU line.
  if (inc.trigger.gfpFlags == null && inc.trigger.gfpMask) {
    inc.trigger.gfpFlags = decodeGfp(inc.trigger.gfpMask, inc.kernel.version);
    if (inc.trigger.gfpFlags) inc.trigger.gfpFlagsDecoded = true;
  }
  inc.processTable = tasks.build();
  inc.unreclaimableSlab = slab.seen ? [...slab.caches].sort((a, b) => b.totalKb - a.totalKb) : null;
  if (memcg.seen) inc.memcgInfo = memcg.result();
  if (inc.memcg == null && memcg.info.limitOf) inc.memcg = memcg.info.limitOf;
  if (inc.constraint === 'CONSTRAINT_MEMCG') inc.cgroupOom = true;
  if (mem.hasContent()) {
    inc.memInfoReport = mem.report;
    inc.memInfo = mem.memInfo;
    inc.zones = mem.zones;
  }
  // ≤5.x "Killed process" lines print no oom_score_adj/UID; the task table row of the same pid does.
  const row = inc.processTable?.all.find((r) => r.pid === inc.victim.pid);
  if (row) {
    inc.victim.oomScoreAdj ??= row.oomScoreAdj;
    inc.victim.uid ??= row.uid;
  }
  // sysrq f calls out_of_memory() with order -1 ("kworker/0:1 invoked oom-killer: …, order=-1")
  // since 4.4. Before, moom_callback passed GFP_KERNEL and order 0, like a real request: there only
  // the work item tells ("Workqueue: events moom_callback" from 3.x, or a moom_callback frame).
  inc.manual = inc.trigger.order === -1 || inc.callTrace.some((f) => f.fn === 'moom_callback') ||
    lines.some((l) => mayTellManual(l.msg) && (/^\s*Workqueue: \S+ moom_callback\b/.test(l.msg) || /^\s*(?:sysrq: )?(?:SysRq : )?Manual OOM execution/i.test(l.msg)));
  inc.pageSizeKb = inferPageSizeKb(inc);
  if (inc.trigger.line == null) {
    inc.partial = true;
    problems.push({ input: first.input, line: first.line, severity: 'info',
      message: `OOM report ending at line ${lines[lines.length - 1].line} starts without its "invoked oom-killer" header: the input holds only its last lines` });
  }
  if (!killedSeen) {
    inc.partial = true;
    problems.push({ input: first.input, line: lines[lines.length - 1].line, severity: 'warning',
      message: `OOM report starting at line ${first.line} ends at line ${lines[lines.length - 1].line} without its "Killed process" line: it was cut off; what was read is reported` });
  }
  return inc;
}

/**
 * Whether a line can be one of the two that tell a manual kill: both patterns start, after any
 * whitespace, with W, S or M (either case for the second). Every line of every report was tried
 * against both, one of them case-insensitive (issue 10). A line starting with whitespace or a
 * character beyond ASCII is left to the patterns.
 */
function mayTellManual(msg: string): boolean {
  const c = msg.charCodeAt(0);
  return !(c > 0x20 && c < 0x7f) || c === 0x57 || c === 0x53 || c === 0x73 || c === 0x4d || c === 0x6d; // W S s M m
}
