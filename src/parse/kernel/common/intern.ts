/**
 * One shared copy of strings that repeat across reports (function names, offsets, modules of
 * call-trace frames). A regex capture is a slice that keeps its whole line alive, and a flapping
 * node repeats the same stack thousands of times: interned, each frame costs a pointer. The table
 * is bounded (cleared when full), so a log of endless distinct names cannot grow it without limit.
 */
const MAX = 65536;
let table = new Map<string, string>();

export function intern(s: string): string;
export function intern(s: string | undefined | null): string | null;
export function intern(s: string | undefined | null): string | null {
  if (s == null) return null;
  const had = table.get(s);
  if (had !== undefined) return had;
  if (table.size >= MAX) table = new Map();
  // A flat copy, not a slice of the line it was matched in.
  const own = (' ' + s).slice(1);
  table.set(own, own);
  return own;
}
