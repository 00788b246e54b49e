import type { Line, Problem } from '../../model/common.js';
import type { TraceArgStats, TraceProbe, TraceSnapshotIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { claimed, frame, isBlank, problem, promptCommand, runsTool } from './util/lines.js';

// ftrace's text output (tracing/trace, trace_pipe, trace-cmd report without its CPU column):
//   "            java-2657537 [001] .... 637715.048983: myprobe: (nvos_create_alloc+0x0/0x1a0 [nvidia]) arg1=0x20"
// comm-pid (comm may hold spaces and dashes; "<...>" when the saved-cmdlines table lost the name),
// an optional "(  tgid)" column (record-tgid), [cpu], the irq/preempt flags (4 characters before
// 4.19ish, 5 since; absent with the irq-info option off), seconds, the event name, then its body.
// A kprobe body is "(symbol+off/size [module]) name=value …", a kretprobe "(caller+off/size <- symbol)".
const EVENT = /^\s*(.+)-(\d+)\s+(?:\(\s*(?:\d+|-+)\)\s+)?\[(\d{3,})\]\s+(?:([a-zA-Z.0-9]{4,5})\s+)?(\d+\.\d+):\s+([\w.:-]+):\s?(.*)$/;
const KPROBE = /^\(([\w.$]+)\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[([\w-]+)\])?(?: <- ([\w.$]+))?\)\s*(.*)$/;
const ARG = /([\w.$-]+)=("(?:[^"\\]|\\.)*"|\S+)/g;
// The paster's cut: "...", "....", ".... 省略若干", "[...]".
const ELISION = /^\s*(?:\.{3,}|\[\.\.\.\]|…)/;
const TOOL = /^(cat|head|tail|less)\s.*tracing\/trace(_pipe)?\b|^(trace-cmd|perf)\s/;

function isEvent(t: string): boolean {
  return t.includes('[') && t.includes(': ') && EVENT.test(t);
}

function detect(lines: readonly Line[], i: number): number {
  const t = lines[i].text;
  let j = i;
  if (t.includes('trac') && runsTool(t, TOOL)) j++;
  else if (ELISION.test(t) && i + 1 < lines.length && isEvent(lines[i + 1].text)) j++;
  if (j >= lines.length || !isEvent(lines[j].text)) return 0;
  // Events, the tracer's "#" header lines and the paster's elisions; blanks only between events.
  while (j < lines.length) {
    const u = lines[j].text;
    if (isEvent(u) || ELISION.test(u) || u.startsWith('#') || (isBlank(lines[j]) && j + 1 < lines.length && isEvent(lines[j + 1].text))) j++;
    else break;
  }
  return claimed(lines, i, j);
}

/** "0x20" → 32n, "-5" → -5n; null for strings, "(fault)" and anything else. */
function bigValue(v: string): bigint | null {
  if (/^0x[0-9a-fA-F]+$/.test(v) || /^-?\d+$/.test(v)) return BigInt(v);
  return null;
}

interface Acc { sum: bigint; min: bigint; max: bigint; count: number }

function parse(lines: readonly Line[]) {
  const problems: Problem[] = [];
  const probes = new Map<string, TraceProbe & { acc: Map<string, Acc> }>();
  const tasks = new Map<number, { pid: number; comm: string | null; events: number }>();
  let command: string | null = null;
  let events = 0;
  let elisionLine: number | null = null;
  let first: number | null = null;
  let last: number | null = null;
  for (const l of lines) {
    const t = l.text;
    const m = EVENT.exec(t);
    if (!m) {
      if (ELISION.test(t)) elisionLine ??= l.line;
      else if (command === null && events === 0 && runsTool(t, TOOL)) command = promptCommand(t) ?? t.trim();
      else if (!isBlank(l) && !t.startsWith('#')) problems.push(problem(l, `trace line not understood: ${t.trim()}`));
      continue;
    }
    events++;
    const [comm, pid, ts, name, body] = [m[1].trim(), Number(m[2]), Number(m[5]), m[6], m[7]];
    first ??= ts;
    last = ts;
    const task = tasks.get(pid) ?? { pid, comm: null, events: 0 };
    task.events++;
    if (comm !== '<...>') task.comm ??= comm;
    tasks.set(pid, task);
    const k = KPROBE.exec(body);
    const symbol = k ? (k[3] ?? k[1]) : null;
    const module = k ? (k[2] ?? null) : null;
    const key = `${name}\u0000${symbol ?? ''}\u0000${module ?? ''}`;
    const p = probes.get(key) ?? { probe: name, symbol, module, events: 0, args: {}, line: l.line, acc: new Map<string, Acc>() };
    probes.set(key, p);
    p.events++;
    for (const a of (k ? k[4] : body).matchAll(ARG)) {
      const v = bigValue(a[2]);
      if (v === null) {
        if (a[2] === '(fault)') problems.push(problem(l, `${a[1]} is "(fault)": the probe could not read it, so it is left out of the sums`, 'info'));
        continue;
      }
      const acc = p.acc.get(a[1]);
      if (!acc) p.acc.set(a[1], { sum: v, min: v, max: v, count: 1 });
      else Object.assign(acc, { sum: acc.sum + v, min: v < acc.min ? v : acc.min, max: v > acc.max ? v : acc.max, count: acc.count + 1 });
    }
  }
  if (events === 0) return { incidents: [], problems };
  const safe = (b: bigint) => b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= -BigInt(Number.MAX_SAFE_INTEGER);
  const incident: TraceSnapshotIncident = {
    kind: 'trace_snapshot', ...frame(lines, 0, lines.length - 1, 'trace'), command, events,
    probes: [...probes.values()].map(({ acc, ...p }) => ({
      ...p,
      args: Object.fromEntries([...acc].map(([n, a]): [string, TraceArgStats] => [n, {
        sum: Number(a.sum), min: Number(a.min), max: Number(a.max), count: a.count, exact: safe(a.sum) && safe(a.min) && safe(a.max),
      }])),
    })),
    tasks: [...tasks.values()], firstTimestampSec: first, lastTimestampSec: last, elided: elisionLine !== null, elisionLine,
  };
  return { incidents: [incident], problems };
}

export const trace: SectionParser = {
  id: 'trace',
  description: 'ftrace text output (kprobe and tracepoint event lines), summed per probe and argument',
  detect,
  parse,
};
