import type { Analysis } from '../model/analysis.js';
import { copiesLine } from './copies.js';
import { details } from './incident-details.js';
import { shortPath } from './short-path.js';
import { oneLine } from './incident-summary.js';
import { PLAIN, type Style } from './style.js';
import { terminalSafe as t } from './terminal-safe.js';
import { countText, filterText, timeline } from './timeline.js';

/**
 * "file:line" for a report: each input's short path made terminal-safe once (it heads every
 * timeline and incident line). A line number is digits: escaping the path alone gives the same
 * text as escaping "path:line".
 */
function placer(a: Analysis): (input: number, line: number) => string {
  const paths = new Map<number, string>();
  return (input, line) => {
    let p = paths.get(input);
    if (p === undefined) paths.set(input, p = t(shortPath(a.inputs[input]?.path ?? '?')));
    return `${p}:${line}`;
  };
}

/** Lines are handed out in batches this big, so a report of 50,000 incidents is never one string. */
const BATCH = 512;

/**
 * The report a person reads top-down at 3 am: verdict, findings, timeline, details, problems.
 * Yields the report in pieces (the CLI writes them as they come); every piece of input text is
 * shown terminal-safe (control bytes escaped) before any colour is added.
 */
export function* renderTextChunks(a: Analysis, s: Style = PLAIN): Generator<string> {
  const where = placer(a);
  let out: string[] = [];
  const flush = function* (): Generator<string> {
    if (out.length) yield out.join('\n') + '\n';
    out = [];
  };
  const add = (lines: Iterable<string>): void => { for (const l of lines) out.push(l); };
  const n = (x: number, w: string): string => `${x} ${w}${x === 1 ? '' : 's'}`;
  const c = countText(a);
  out.push(s.bold(`memtriage: ${n(a.inputs.length, 'input')}, ${n(c.events, 'incident')}${c.snapshots ? `, ${n(c.snapshots, 'snapshot')}` : ''}, ${n(a.findings.length, 'finding')}`));
  const ft = filterText(a);
  if (ft) out.push(t(ft));
  if (a.verdict) { out.push('', s.bold('VERDICT')); add(wrap(t(a.verdict), 98).map((l) => `  ${l}`)); }
  if (a.findings.length) {
    out.push('', s.bold('FINDINGS'));
    for (const f of a.findings) {
      const sev = f.severity === 'critical' ? s.red('critical') : f.severity === 'warning' ? s.yellow('warning') : s.dim('info');
      out.push(`  [${sev}] ${s.bold(t(f.title))} ${s.dim(`(${t(f.rule)})`)}`);
      add(wrap(t(f.explanation), 96).map((l) => `      ${l}`));
      for (const adv of f.advice ?? []) add(wrap(`→ ${t(adv)}`, 96).map((l, i) => `      ${i ? '  ' : ''}${l}`));
      for (const e of f.evidence.slice(0, 6)) out.push(s.dim(`      ${where(e.input, e.line)}: ${t(e.text.trim().slice(0, 200))}`));
      if (out.length >= BATCH) yield* flush();
    }
  }
  if (a.incidents.length) {
    out.push('', s.bold('TIMELINE'));
    const tl = timeline(a);
    for (const i of tl.order) {
      const inc = a.incidents[i];
      out.push(`  #${i + 1} ${s.cyan(t(tl.stamp(inc)) || '-')}  ${s.dim(where(inc.input, inc.line))}  ${t(oneLine(inc))}`);
      if (out.length >= BATCH) yield* flush();
    }
    out.push('', s.bold('INCIDENTS'));
    for (const [i, inc] of a.incidents.entries()) {
      const d = details(inc);
      if (!d.length) continue;
      out.push(`  #${i + 1} ${inc.kind} ${s.dim(`${where(inc.input, inc.line)}-${inc.endLine}`)}`);
      for (const l of d) out.push(`      ${t(l)}`);
      // The same record printed again elsewhere (console and syslog copies): one incident, every place shown.
      const copies = 'copies' in inc ? inc.copies : undefined;
      if (copies?.length) out.push(`      ${s.dim(copiesLine(copies, (c) => `${where(c.input, c.line)}-${c.endLine}`))}`);
      if (out.length >= BATCH) yield* flush();
    }
  } else if (!a.filter) {
    out.push('', 'No OOM kill, allocation failure, hang or kernel error was found in the input.');
  }
  if (a.problems.length) {
    out.push('', s.bold('PROBLEMS READING THE INPUT'));
    for (const p of a.problems) {
      out.push(`  ${where(p.input, p.line)}: ${t(p.message)}`);
      if (out.length >= BATCH) yield* flush();
    }
  }
  yield* flush();
}

export function renderText(a: Analysis, s: Style = PLAIN): string {
  return [...renderTextChunks(a, s)].join('');
}

export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let cur = '';
    for (const w of para.split(/\s+/)) {
      if (cur && cur.length + 1 + w.length > width) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
    }
    lines.push(cur);
  }
  return lines;
}
