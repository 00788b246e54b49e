import type { Line, Problem, ProblemSeverity } from '../../../model/common.js';

/** Helpers every section parser shares: incident framing, problems, numbers, shell prompts. */

export function isBlank(line: Line | undefined): boolean {
  return line !== undefined && line.text.trim() === '';
}

/** IncidentBase + source for a section spanning lines[first..last]. Snapshots print no kernel time. */
export function frame(lines: readonly Line[], first: number, last: number, source: string) {
  const a = lines[first] ?? lines[0];
  const b = lines[last] ?? a;
  return {
    input: a?.input ?? 0,
    line: a?.line ?? 0,
    endLine: b?.line ?? 0,
    time: null as string | null,
    timeText: null as string | null,
    uptimeSec: null as number | null,
    partial: false,
    source,
  };
}

export function problem(line: Line, message: string, severity: ProblemSeverity = 'warning'): Problem {
  return { input: line.input, line: line.line, severity, message };
}

/** "123", "-5", "0.61"; sysstat prints "0,61" under a comma-decimal locale. null when not a number. */
export function num(token: string | undefined): number | null {
  if (token === undefined) return null;
  const t = /^-?\d+,\d+$/.test(token) ? token.replace(',', '.') : token;
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return null;
  return Number(t);
}

/** Integer only ("1498"), so a pid or page count never silently becomes 12.5. */
export function int(token: string | undefined): number | null {
  return token !== undefined && /^-?\d+$/.test(token) ? Number(token) : null;
}

/**
 * A size as top/ps print it, in KiB: plain numbers are KiB; busybox switches to "941m" / "1.2g"
 * once a value no longer fits its column (so those are rounded by the tool, not exact).
 */
export function sizeKb(token: string | undefined): number | null {
  if (token === undefined) return null;
  const m = /^(\d+(?:\.\d+)?)([kKmMgGtT]?)$/.exec(token);
  if (!m) return null;
  const n = Number(m[1]);
  const mult: Record<string, number> = { '': 1, k: 1, m: 1024, g: 1024 ** 2, t: 1024 ** 3 };
  return Math.round(n * mult[m[2].toLowerCase()]);
}

export function words(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/**
 * The command on a shell-prompt line ("root@OpenWrt:~# /mnt/nfs/mpstat -P ALL 1", "$ free -k",
 * "[root@h ~]# cat /proc/meminfo"), or null when the line has no prompt.
 */
export function promptCommand(text: string): string | null {
  const m = /^\s*(?:[\w.-]+@[\w.-]+(?::\S*?)?\s?[#$%]|\[[^\]]*\][#$]|[#$])\s+(\S.*?)\s*$/.exec(text);
  return m ? m[1] : null;
}

/** True when the line runs the tool: with a prompt, or bare (" cat /proc/meminfo" in seed 001). */
export function runsTool(text: string, tool: RegExp): boolean {
  const cmd = promptCommand(text) ?? text.trim();
  return tool.test(cmd);
}

/** Index of the next non-blank line at or after i, or lines.length. */
export function skipBlank(lines: readonly Line[], i: number): number {
  while (i < lines.length && isBlank(lines[i])) i++;
  return i;
}

/** Count of lines from i up to (excluding) j, with trailing blank lines given back. */
export function claimed(lines: readonly Line[], i: number, j: number): number {
  while (j > i && isBlank(lines[j - 1])) j--;
  return j - i;
}
