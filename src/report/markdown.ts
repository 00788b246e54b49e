import type { Analysis } from '../model/analysis.js';
import { copiesLine } from './copies.js';
import { details } from './incident-details.js';
import { shortPath } from './short-path.js';
import { oneLine } from './incident-summary.js';
import { terminalSafe as t } from './terminal-safe.js';
import { countText, filterText, timeline } from './timeline.js';

const SEV_ICON = { critical: '🔴', warning: '🟠', info: '🔵' } as const;
const BATCH = 512;

function where(a: Analysis, input: number, line: number): string {
  return `${shortPath(a.inputs[input]?.path ?? '?')}:${line}`;
}

/** Escapes what would break a table cell or start Markdown syntax inside a cell. */
function cell(s: string): string {
  return t(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * For pasting into a ticket: verdict, findings with evidence blocks, timeline table. Yields the
 * report in pieces; input text is shown with control bytes escaped (it is also read in terminals).
 */
export function* renderMarkdownChunks(a: Analysis): Generator<string> {
  let out: string[] = ['## memtriage report', ''];
  const flush = function* (): Generator<string> {
    if (out.length) yield out.join('\n') + '\n';
    out = [];
  };
  const c = countText(a);
  out.push(`Inputs: ${a.inputs.map((i) => `\`${t(shortPath(i.path))}\` (${i.type}, ${i.format}, ${i.lines} lines)`).join(', ')}`, '');
  out.push(`${c.events} incident${c.events === 1 ? '' : 's'}${c.snapshots ? `, ${c.snapshots} snapshot${c.snapshots === 1 ? '' : 's'}` : ''}, ${a.findings.length} finding${a.findings.length === 1 ? '' : 's'}.`, '');
  const ft = filterText(a);
  if (ft) out.push(t(ft), '');
  if (a.verdict) out.push('### Verdict', '', t(a.verdict), '');
  if (a.findings.length) {
    out.push('### Findings', '');
    for (const f of a.findings) {
      out.push(`#### ${SEV_ICON[f.severity]} ${t(f.title)} \`${t(f.rule)}\``, '', t(f.explanation), '');
      for (const adv of f.advice ?? []) out.push(`- ${t(adv)}`);
      if (f.advice?.length) out.push('');
      if (f.evidence.length) {
        out.push('```');
        for (const e of f.evidence.slice(0, 12)) out.push(t(`${where(a, e.input, e.line)}: ${e.text.trim()}`).replace(/```/g, '`\u200b``'));
        out.push('```', '');
      }
      if (out.length >= BATCH) yield* flush();
    }
  }
  if (a.incidents.length) {
    out.push('### Timeline', '', '| # | when | where | what |', '|---|---|---|---|');
    const tl = timeline(a);
    for (const i of tl.order) {
      const inc = a.incidents[i];
      out.push(`| ${i + 1} | ${cell(tl.stamp(inc) || '-')} | ${cell(where(a, inc.input, inc.line))} | ${cell(oneLine(inc))} |`);
      if (out.length >= BATCH) yield* flush();
    }
    out.push('');
    out.push('<details><summary>Incident details</summary>', '');
    for (const [i, inc] of a.incidents.entries()) {
      const d = details(inc);
      if (!d.length) continue;
      out.push(`**#${i + 1} ${inc.kind}**`, '');
      for (const l of d) out.push(`- ${t(l)}`);
      const copies = 'copies' in inc ? inc.copies : undefined;
      if (copies?.length) out.push(`- ${copiesLine(copies, (c) => `${t(shortPath(a.inputs[c.input]?.path ?? '?'))}:${c.line}-${c.endLine}`)}`);
      out.push('');
      if (out.length >= BATCH) yield* flush();
    }
    out.push('</details>', '');
  } else if (!a.filter) out.push('No OOM kill, allocation failure, hang or kernel error was found in the input.', '');
  if (a.problems.length) {
    out.push('### Problems reading the input', '');
    for (const p of a.problems) {
      out.push(`- \`${t(where(a, p.input, p.line))}\`: ${t(p.message)}`);
      if (out.length >= BATCH) yield* flush();
    }
    out.push('');
  }
  yield* flush();
}

export function renderMarkdown(a: Analysis): string {
  return [...renderMarkdownChunks(a)].join('');
}
