import type { Analysis } from '../model/analysis.js';
import { details } from './incident-details.js';
import { shortPath } from './short-path.js';
import { oneLine, when } from './incident-summary.js';
import { PLAIN, type Style } from './style.js';

function where(a: Analysis, input: number, line: number): string {
  return `${shortPath(a.inputs[input]?.path ?? '?')}:${line}`;
}

/** The report a person reads top-down at 3 am: verdict, findings, timeline, details, problems. */
export function renderText(a: Analysis, s: Style = PLAIN): string {
  const out: string[] = [];
  const n = (x: number, w: string): string => `${x} ${w}${x === 1 ? '' : 's'}`;
  out.push(s.bold(`memtriage: ${n(a.inputs.length, 'input')}, ${n(a.incidents.length, 'incident')}, ${n(a.findings.length, 'finding')}`));
  if (a.verdict) out.push('', s.bold('VERDICT'), ...wrap(a.verdict, 98).map((l) => `  ${l}`));
  if (a.findings.length) {
    out.push('', s.bold('FINDINGS'));
    for (const f of a.findings) {
      const sev = f.severity === 'critical' ? s.red('critical') : f.severity === 'warning' ? s.yellow('warning') : s.dim('info');
      out.push(`  [${sev}] ${s.bold(f.title)} ${s.dim(`(${f.rule})`)}`);
      out.push(...wrap(f.explanation, 96).map((l) => `      ${l}`));
      for (const adv of f.advice ?? []) out.push(...wrap(`→ ${adv}`, 96).map((l, i) => `      ${i ? '  ' : ''}${l}`));
      for (const e of f.evidence.slice(0, 6)) out.push(s.dim(`      ${where(a, e.input, e.line)}: ${e.text.trim().slice(0, 200)}`));
    }
  }
  if (a.incidents.length) {
    out.push('', s.bold('TIMELINE'));
    for (const i of timelineOrder(a)) {
      const inc = a.incidents[i];
      out.push(`  #${i + 1} ${s.cyan(when(inc) || '-')}  ${s.dim(where(a, inc.input, inc.line))}  ${oneLine(inc)}`);
    }
    out.push('', s.bold('INCIDENTS'));
    a.incidents.forEach((inc, i) => {
      const d = details(inc);
      if (!d.length) return;
      out.push(`  #${i + 1} ${inc.kind} ${s.dim(`${where(a, inc.input, inc.line)}-${inc.endLine}`)}`);
      out.push(...d.map((l) => `      ${l}`));
      // The same record printed again elsewhere (console and syslog copies): one incident, every place shown.
      const copies = 'copies' in inc ? inc.copies : undefined;
      if (copies?.length) out.push(`      ${s.dim(`same record also at ${copies.map((c) => `${where(a, c.input, c.line)}-${c.endLine}`).join(', ')}`)}`);
    });
  } else {
    out.push('', 'No OOM kill, allocation failure, hang or kernel error was found in the input.');
  }
  if (a.problems.length) {
    out.push('', s.bold('PROBLEMS READING THE INPUT'));
    for (const p of a.problems) out.push(`  ${where(a, p.input, p.line)}: ${p.message}`);
  }
  return out.join('\n') + '\n';
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

/** Chronological when every incident has a wall clock; otherwise the order of the inputs. */
function timelineOrder(a: Analysis): number[] {
  const idx = a.incidents.map((_, i) => i);
  if (a.incidents.every((x) => x.time != null)) idx.sort((x, y) => a.incidents[x].time!.localeCompare(a.incidents[y].time!) || x - y);
  return idx;
}
