/**
 * The text of the lines incidents were read from, kept for evidence. Only lines inside reports
 * and sections are kept, so memory follows the number of incidents, not the size of the log.
 * A folded physical line (seed 003) holds several kernel lines; each piece is kept once.
 */
export class LineStore {
  private readonly map = new Map<string, string[]>();
  /** Pieces already kept, for the few physical lines with many pieces (a Set instead of a scan). */
  private readonly seen = new Map<string, Set<string>>();

  add(input: number, line: number, text: string): void {
    const k = `${input}:${line}`;
    const v = this.map.get(k);
    // Flattened copy: a line cut from a big decoded chunk would otherwise keep the whole chunk alive.
    if (!v) { this.map.set(k, [flat(text)]); return; }
    if (v.length < 8) {
      if (!v.includes(text)) v.push(flat(text));
      return;
    }
    let s = this.seen.get(k);
    if (!s) this.seen.set(k, (s = new Set(v)));
    if (!s.has(text)) { s.add(text); v.push(flat(text)); }
  }

  get(input: number, line: number, needle?: string): string | null {
    const v = this.map.get(`${input}:${line}`);
    if (!v) return null;
    if (needle) return v.find((t) => t.includes(needle)) ?? v[0];
    return v[0];
  }
}

/** A string that shares no memory with the one it was sliced from. */
function flat(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
