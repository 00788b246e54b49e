import type { InputInfo, Line, Problem } from './model/common.js';
import type { Incident } from './model/incident.js';
import { KernelLineAssembler } from './read/kernel-lines.js';
import { KernelLogParser } from './parse/kernel/kernel-log.js';
import { scanInput } from './read/parallel-scan.js';
import { SECTION_PARSERS } from './parse/sections/index.js';
import { runSections } from './parse/sections/run.js';
import type { KernelLine } from './parse/types.js';
import type { LineStore } from './read/line-store.js';
import { EarlyCopies } from './parse/early-copies.js';
import { isBlank } from './read/blank.js';

/** Section lines are read in batches this big, so memory stays bounded on huge console logs. */
const SECTION_BATCH = 20000;
const MAX_CARRY = 10;

export interface InputResult {
  info: InputInfo;
  incidents: Incident[];
  problems: Problem[];
}

export interface ScanOptions {
  /** false: decode and parse every line (the reference path the fast reader is tested against). */
  fast?: boolean;
  /** Worker threads for a regular file (read/parallel-scan.ts); by default the cores, on big files. */
  workers?: number;
  /** Bytes read so far of this input and its size (a progress line). */
  progress?: (input: string, bytes: number, total: number | null) => void;
  /** true: every copy of a report stays whole (analyze's keepCopies); else certain copies are shed as read. */
  keepCopies?: boolean;
}

/**
 * Reads one input's lines through the kernel-log parser and the section parsers. The fast reader
 * (read/fast-scan.ts, or worker threads on big files: read/parallel-scan.ts) counts marker-free
 * kernel lines from their bytes while no report is open; every other line comes here decoded, so
 * all paths give the same result.
 */
export async function analyzeLines(path: string, index: number, chunks: AsyncIterable<Buffer>, store: LineStore, opts: ScanOptions = {}): Promise<InputResult> {
  const asm = new KernelLineAssembler(index);
  const kernel = new KernelLogParser(store, opts.keepCopies ? undefined : new EarlyCopies());
  const out = { incidents: [] as Incident[], problems: [] as Problem[] };
  const claimed = new Map<string, number>();
  let batch: Line[] = [];
  /** Lines kept from the last full batch; the next batch is read once SECTION_BATCH new lines came. */
  let carried = 0;
  let kernelLines = 0;
  let nonBlank = 0;
  const keep = (l: Line) => store.add(l.input, l.line, l.text);
  // Non-blank lines in the batch. While there are none a blank line is not kept: no section starts
  // at a blank line (runSections skips them), so blank lines before the first other one are
  // nothing to any parser, and 10 million of them need not be 10 million objects.
  let nonBlankInBatch = 0;
  const push = (l: Line): void => {
    if (blankText(l.text)) {
      if (nonBlankInBatch === 0) return;
    } else nonBlankInBatch++;
    batch.push(l);
  };
  const flush = (): void => {
    if (batch.length) runSections(SECTION_PARSERS, batch, out, claimed, keep);
    batch = [];
    nonBlankInBatch = 0;
  };
  // A full batch: what may belong to a section that goes on is kept for the next batch
  // (a meminfo placed across the boundary was read as two halves). A section longer than
  // MAX_CARRY batches is read in pieces, so memory stays bounded on any input.
  const flushFull = (): void => {
    const more = batch.length < SECTION_BATCH * MAX_CARRY;
    const used = runSections(SECTION_PARSERS, batch, out, claimed, keep, more);
    batch = used >= batch.length ? [] : batch.slice(used);
    nonBlankInBatch = 0;
    for (const l of batch) if (!blankText(l.text)) nonBlankInBatch++;
  };
  const offer = (released: KernelLine[], given: number): void => {
    if (released.length < given) { flush(); carried = 0; } // a report sits between: sections must not span it
    for (let k = 0; k < released.length; k++) {
      const r = released[k];
      // A line with a kernel timestamp/prefix is kernel noise; only bare lines can be sections.
      if (!r.prefixed) push({ input: r.input, line: r.line, text: r.text });
    }
    if (batch.length >= SECTION_BATCH + carried) {
      flushFull();
      carried = batch.length;
    }
  };
  const lines = await scanInput(chunks, {
    idle: () => kernel.idle,
    line(line, text, cut, plain) {
      // A blank line while no report is open: the kernel parser would hand it straight back, so
      // it goes to the section batch directly (1 MB of blank lines: 0.7 s → a fraction of it).
      if (kernel.idle && blankText(text)) {
        asm.skipped('console', 1, -1);
        push({ input: index, line, text });
        if (batch.length >= SECTION_BATCH + carried) { flushFull(); carried = batch.length; }
        return;
      }
      if (!isBlank(text)) nonBlank++;
      if (cut) out.problems.push({ input: index, line, severity: 'info', message: `line ${line} is longer than 4 MiB; it was read in pieces` });
      const kls = asm.assemble(line, text, plain);
      const markerFree = asm.markerFree;
      if (asm.lastConsumed) kernelLines++;
      // (indexed: line() was seen allocating an iterator and its results for each line)
      for (let k = 0; k < kls.length; k++) {
        const kl = kls[k];
        if (kl.prefixed) kernelLines++;
        offer(kernel.push(kl, kl === markerFree), 1);
      }
    },
    // A run of blank lines while idle: what line() does with each, when the batch holds no other
    // line. While it does, they may belong to a section there (its parser reads on through blank
    // lines), so they go one by one until the batch is next read; after that it usually holds only
    // blank lines, and the rest of the run is taken whole.
    blanks(_line, n) {
      if (nonBlankInBatch > 0) return Math.max(1, SECTION_BATCH + carried - batch.length);
      asm.skipped('console', n, -1);
      return 0;
    },
    // Counted lines carry a kernel prefix: non-blank kernel lines no report or section wants.
    skipped(format, n, year) {
      nonBlank += n;
      kernelLines += n;
      asm.skipped(format, n, year);
    },
  }, { fast: opts.fast, workers: opts.workers, progress: opts.progress && ((b) => opts.progress!(path, b, sizeOf(chunks))) });
  for (const kl of asm.finish()) offer(kernel.push(kl), 1);
  const fin = kernel.finish();
  offer(fin.released, fin.released.length + 1);
  flush();
  // Appended one by one: a spread of an input-sized array into a call overflows the stack.
  out.incidents = (fin.incidents as Incident[]).concat(out.incidents);
  for (const p of fin.problems) out.problems.push(p);
  if (asm.elided.count > 0) {
    out.problems.push({ input: index, line: asm.elided.firstLine, severity: 'warning',
      message: `${asm.elided.count} lines from line ${asm.elided.firstLine} on were shortened with "…" (journalctl without --full): values cut at the "…" are reported as unknown; journalctl -k --full (or -o json) prints them whole` });
  }
  out.incidents.sort((a, b) => a.line - b.line);
  const info = { path, type: inputType(kernelLines, nonBlank, claimed, fin.incidents.length), format: asm.dominantFormat(), lines };
  return { info, ...out };
}

/** Only spaces and tabs (or nothing): no prefix, no marker, nothing a parser reads. */
function blankText(t: string): boolean {
  for (let k = 0; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function sizeOf(chunks: AsyncIterable<Buffer>): number | null {
  const size = (chunks as { size?: number }).size;
  return typeof size === 'number' && size > 0 ? size : null;
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
