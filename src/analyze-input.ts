import type { InputInfo, Line, Problem } from './model/common.js';
import type { Incident } from './model/incident.js';
import { KernelLineAssembler } from './read/kernel-lines.js';
import { splitLines } from './read/lines.js';
import { KernelLogParser } from './parse/kernel/kernel-log.js';
import { SECTION_PARSERS } from './parse/sections/index.js';
import { runSections } from './parse/sections/run.js';
import type { KernelLine } from './parse/types.js';
import type { LineStore } from './read/line-store.js';

/** Section lines are read in batches this big, so memory stays bounded on huge console logs. */
const SECTION_BATCH = 20000;

export interface InputResult {
  info: InputInfo;
  incidents: Incident[];
  problems: Problem[];
}

/** Reads one input's lines through the kernel-log parser and the section parsers. */
export async function analyzeLines(path: string, index: number, chunks: AsyncIterable<Buffer>, store: LineStore): Promise<InputResult> {
  const asm = new KernelLineAssembler(index);
  const kernel = new KernelLogParser(store);
  const out = { incidents: [] as Incident[], problems: [] as Problem[] };
  const claimed = new Map<string, number>();
  let batch: Line[] = [];
  let lines = 0;
  let kernelLines = 0;
  let nonBlank = 0;
  const flush = (): void => {
    if (batch.length) runSections(SECTION_PARSERS, batch, out, claimed, (l) => store.add(l.input, l.line, l.text));
    batch = [];
  };
  const offer = (released: KernelLine[], given: number): void => {
    if (released.length < given) flush(); // a report sits between: sections must not span it
    for (const r of released) {
      // A line with a kernel timestamp/prefix is kernel noise; only bare lines can be sections.
      if (r.msg === r.text || r.msg === r.text.replace(/^(?:>\s?)+/, '')) batch.push({ input: r.input, line: r.line, text: r.text });
    }
    if (batch.length >= SECTION_BATCH) flush();
  };
  for await (const raw of splitLines(chunks)) {
    lines = raw.line;
    if (raw.text.trim()) nonBlank++;
    if (raw.cut) out.problems.push({ input: index, line: raw.line, severity: 'info', message: `line ${raw.line} is longer than 4 MiB; it was read in pieces` });
    const kls = asm.assemble(raw.line, raw.text);
    for (const kl of kls) {
      if (kl.msg !== kl.text) kernelLines++;
      offer(kernel.push(kl), 1);
    }
  }
  const fin = kernel.finish();
  offer(fin.released, fin.released.length + 1);
  flush();
  out.incidents.unshift(...fin.incidents);
  out.problems.push(...fin.problems);
  out.incidents.sort((a, b) => a.line - b.line);
  return { info: { path, type: inputType(kernelLines, nonBlank, claimed, fin.incidents.length), format: asm.dominantFormat(), lines }, ...out };
}

function inputType(kernelLines: number, nonBlank: number, claimed: Map<string, number>, kernelIncidents: number): string {
  if (nonBlank === 0) return 'empty';
  if (kernelLines >= nonBlank * 0.5) return 'kernel-log';
  const sections = [...claimed.entries()].sort((a, b) => b[1] - a[1]);
  const sectionLines = sections.reduce((s, [, n]) => s + n, 0);
  if (sections.length === 1 && kernelIncidents === 0 && sectionLines >= nonBlank * 0.5) return sections[0][0];
  if (sections.length > 0 || kernelIncidents > 0) return 'mixed';
  return 'text';
}
