import { LineSpill } from './line-spill.js';

/**
 * Kept lines held in memory up to this many; past it they go to a temp file (line-spill.ts).
 * 20,000 lines (≈ 3 MB) cover a few hundred reports; 100,000 held ≈ 15 MB more at the peak of a
 * 1 GiB log (measured: 145 → 136 MiB) for no visible gain in time (rules read a few lines each).
 */
const SPILL_AFTER = 20_000;

/**
 * The text of the lines incidents were read from, kept for evidence. Only lines inside reports
 * and sections are kept, so memory follows the number of incidents, not the size of the log.
 * A folded physical line (seed 003) holds several kernel lines; each piece is kept once.
 * Per input a Map from line number to its text (an array only for folded lines). A log of tens
 * of thousands of reports keeps millions of lines: past `spillAfter` they move to a temp file
 * with a numeric index, so the text of the reports does not have to fit in memory.
 */
export class LineStore {
  private inputs: Map<number, string | string[]>[] = [];
  /** Pieces already kept, for the few physical lines with many pieces (a Set instead of a scan). */
  private readonly seen = new Map<string, Set<string>>();
  private count = 0;
  private spill: LineSpill | null = null;

  constructor(private readonly spillAfter = SPILL_AFTER) {}

  add(input: number, line: number, text: string): void {
    if (this.spill) return this.spill.add(input, line, text);
    const lines = (this.inputs[input] ??= new Map());
    const v = lines.get(line);
    this.count++;
    if (v === undefined) lines.set(line, text);
    else if (typeof v === 'string') { if (v !== text) lines.set(line, [v, text]); }
    else if (v.length < 8) { if (!v.includes(text)) v.push(text); }
    else {
      const k = `${input}:${line}`;
      let s = this.seen.get(k);
      if (!s) this.seen.set(k, (s = new Set(v)));
      if (!s.has(text)) { s.add(text); v.push(text); }
    }
    if (this.count > this.spillAfter) this.toSpill();
  }

  get(input: number, line: number, needle?: string): string | null {
    if (this.spill) return this.spill.get(input, line, needle);
    const v = this.inputs[input]?.get(line);
    if (v === undefined) return null;
    if (typeof v === 'string') return v;
    if (needle) return v.find((t) => t.includes(needle)) ?? v[0];
    return v[0];
  }

  /** Lets go of the temp file (the analysis keeps the evidence texts it quoted). */
  close(): void {
    this.spill?.close();
    this.spill = null;
    this.inputs = [];
  }

  private toSpill(): void {
    const spill = new LineSpill();
    for (const [input, lines] of this.inputs.entries()) {
      if (!lines) continue;
      for (const line of [...lines.keys()].sort((a, b) => a - b)) {
        const v = lines.get(line)!;
        if (typeof v === 'string') spill.add(input, line, v);
        else for (const t of v) spill.add(input, line, t);
      }
    }
    this.spill = spill;
    this.inputs = [];
    this.seen.clear();
  }
}
