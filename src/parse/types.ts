import type { Line, Problem } from '../model/common.js';
import type { Incident } from '../model/incident.js';

export interface ParseResult {
  incidents: Incident[];
  problems: Problem[];
}

/**
 * A parser for one kind of non-kernel-log text: a /proc file, a tool's screen, crash output.
 * Sections are found inside any input (a bare file, or an article/chat paste that mixes several),
 * so a parser first says where its section is, then reads it. Both calls are pure and never throw.
 */
export interface SectionParser {
  /** Stable id, also the incident's `source` ("meminfo", "slabtop", "busybox-top"). */
  id: string;
  /** One line for --help and the docs. */
  description: string;
  /**
   * How many lines starting at lines[i] belong to this section; 0 when it does not start here.
   * Must be cheap: it is asked at every line no other parser claimed. May look ahead.
   */
  detect(lines: readonly Line[], i: number): number;
  /** Reads the lines detect() claimed. Unreadable lines become problems, never exceptions. */
  parse(lines: readonly Line[]): ParseResult;
}

/** A kernel log line after its prefix (timestamp, host, facility) was taken off. */
export interface KernelLine extends Line {
  /** The message, prefix removed. `text` keeps the whole physical line. */
  msg: string;
  /**
   * True when the line carried a kernel prefix (timestamp, syslog header, kmsg or journal record):
   * kernel output for sure. False for bare console text, which may also be a /proc file or prose.
   */
  prefixed: boolean;
  uptimeSec: number | null;
  time: string | null;
  timeText: string | null;
  /** printk caller id ("T1234" task, "C1" CPU) on kernels with CONFIG_PRINTK_CALLER, else absent. */
  caller?: string | null;
  /**
   * False when the prefix says another program wrote the line (a syslog/journal tag other than
   * "kernel", also for user space writing to /dev/kmsg): it never starts or joins a kernel report.
   */
  fromKernel?: boolean | null;
}
