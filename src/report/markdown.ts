import type { Analysis } from '../model/analysis.js';
import { details } from './incident-details.js';
import { shortPath } from './short-path.js';
import { oneLine, when } from './incident-summary.js';

const SEV_ICON = { critical: '🔴', warning: '🟠', info: '🔵' } as const;

function where(a: Analysis, input: number, line: number): string {
  return `${shortPath(a.inputs[input]?.path ?? '?')}:${line}`;
}

/** Escapes what would break a table cell or start Markdown syntax inside a cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** For pasting into a ticket: verdict, findings with evidence blocks, timeline table. */
export function renderMarkdown(a: Analysis): string {
  const out: string[] = ['## memtriage report', ''];
  out.push(`Inputs: ${a.inputs.map((i) => `\`${shortPath(i.path)}\` (${i.type}, ${i.format}, ${i.lines} lines)`).join(', ')}`, '');
  if (a.verdict) out.push('### Verdict', '', a.verdict, '');
  if (a.findings.length) {
    out.push('### Findings', '');
    for (const f of a.findings) {
      out.push(`#### ${SEV_ICON[f.severity]} ${f.title} \`${f.rule}\``, '', f.explanation, '');
      for (const adv of f.advice ?? []) out.push(`- ${adv}`);
      if (f.advice?.length) out.push('');
      if (f.evidence.length) {
        out.push('```');
        for (const e of f.evidence.slice(0, 12)) out.push(`${where(a, e.input, e.line)}: ${e.text.trim()}`);
        out.push('```', '');
      }
    }
  }
  if (a.incidents.length) {
    out.push('### Timeline', '', '| # | when | where | what |', '|---|---|---|---|');
    a.incidents.forEach((inc, i) => out.push(`| ${i + 1} | ${cell(when(inc) || '-')} | ${cell(where(a, inc.input, inc.line))} | ${cell(oneLine(inc))} |`));
    out.push('');
    out.push('<details><summary>Incident details</summary>', '');
    a.incidents.forEach((inc, i) => {
      const d = details(inc);
      if (d.length) out.push(`**#${i + 1} ${inc.kind}**`, '', ...d.map((l) => `- ${l}`), '');
    });
    out.push('</details>', '');
  } else out.push('No OOM kill, allocation failure, hang or kernel error was found in the input.', '');
  if (a.problems.length) {
    out.push('### Problems reading the input', '');
    for (const p of a.problems) out.push(`- \`${where(a, p.input, p.line)}\`: ${p.message}`);
    out.push('');
  }
  return out.join('\n');
}
