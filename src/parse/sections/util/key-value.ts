import type { Line } from '../../../model/common.js';

/**
 * detect() for "key value" files (memory.stat, memory.events…) that may follow the "cat …/file"
 * line that printed them. Asked only at a run's first line, so a long run is scanned once.
 */
export function detectKeyValueRun(lines: readonly Line[], i: number, row: RegExp, isCommand: (text: string) => boolean,
  extent: (lines: readonly Line[], i: number) => number): number {
  const t = lines[i].text;
  if (isCommand(t)) {
    const n = i + 1 < lines.length ? extent(lines, i + 1) : 0;
    return n > 0 ? n + 1 : 0;
  }
  return /^[a-z]/.test(t) && !(i > 0 && row.test(lines[i - 1].text)) ? extent(lines, i) : 0;
}
