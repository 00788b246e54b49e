/**
 * The text of the lines incidents were read from, kept for evidence. Only lines inside reports
 * and sections are kept, so memory follows the number of incidents, not the size of the log.
 * A folded physical line (seed 003) holds several kernel lines; each piece is kept once.
 * Per input a Map from line number to its text (an array only for folded lines): no key string
 * and no array per line, which was most of its memory with tens of thousands of reports.
 */
export class LineStore {
  private readonly inputs: Map<number, string | string[]>[] = [];
  /** Pieces already kept, for the few physical lines with many pieces (a Set instead of a scan). */
  private readonly seen = new Map<string, Set<string>>();

  add(input: number, line: number, text: string): void {
    const lines = (this.inputs[input] ??= new Map());
    const v = lines.get(line);
    if (v === undefined) { lines.set(line, text); return; }
    if (typeof v === 'string') {
      if (v !== text) lines.set(line, [v, text]);
      return;
    }
    if (v.length < 8) {
      if (!v.includes(text)) v.push(text);
      return;
    }
    const k = `${input}:${line}`;
    let s = this.seen.get(k);
    if (!s) this.seen.set(k, (s = new Set(v)));
    if (!s.has(text)) { s.add(text); v.push(text); }
  }

  get(input: number, line: number, needle?: string): string | null {
    const v = this.inputs[input]?.get(line);
    if (v === undefined) return null;
    if (typeof v === 'string') return v;
    if (needle) return v.find((t) => t.includes(needle)) ?? v[0];
    return v[0];
  }
}
