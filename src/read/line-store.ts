/**
 * The text of the lines incidents were read from, kept for evidence. Only lines inside reports
 * and sections are kept, so memory follows the number of incidents, not the size of the log.
 * A folded physical line (seed 003) holds several kernel lines; each piece is kept.
 */
export class LineStore {
  private readonly map = new Map<string, string[]>();

  add(input: number, line: number, text: string): void {
    const k = `${input}:${line}`;
    const v = this.map.get(k);
    if (!v) this.map.set(k, [text]);
    else if (!v.includes(text)) v.push(text);
  }

  get(input: number, line: number, needle?: string): string | null {
    const v = this.map.get(`${input}:${line}`);
    if (!v) return null;
    if (needle) return v.find((t) => t.includes(needle)) ?? v[0];
    return v[0];
  }
}
