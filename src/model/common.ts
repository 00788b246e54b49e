/**
 * Shared vocabulary: where a fact came from, and what went wrong reading it.
 * Every number carries its unit in its name (freeKb, rssPages); a value the input does not
 * contain is null, never 0 and never a guess.
 */

/** One physical line of one input, 1-based. `text` is the decoded line without its newline. */
export interface Line {
  input: number;
  line: number;
  text: string;
}

/** A line quoted as evidence in a finding. */
export interface EvidenceLine {
  input: number;
  line: number;
  text: string;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** Something the parsers could not read, or read only in part. Shown to the user, never dropped. */
export interface Problem {
  input: number;
  line: number;
  severity: ProblemSeverity;
  message: string;
}

/** Kernel identity as printed on a report's `CPU: … Comm: …` (or 2.6-era `Pid: …, comm:`) line. */
export interface KernelInfo {
  version: string | null;
  /** Taint flags as printed, runs of spaces folded to one ("P OE"); null for "Not tainted". */
  taint: string | null;
}

export interface InputInfo {
  path: string;
  /** What the input holds: kernel-log, meminfo, article (a mix of several), bundle, … */
  type: string;
  /** The line format detected, e.g. dmesg, dmesg-T, syslog, journal-json, kmsg, console, mixed. */
  format: string;
  lines: number;
  /** How its bytes were packed (told from its magic bytes): plain, gzip, xz, bzip2 or zstd. */
  packing?: string;
}
