import type { KernelIncident } from '../../../model/kernel-incidents.js';
import { stripLineNumber } from '../../../read/prefix.js';
import type { KernelLine } from '../../types.js';

/**
 * rsyslog's `*.emerg :omusrmsg:*` rule (in Debian's stock rsyslog.conf) writes every emergency
 * message to every logged-in terminal, so a terminal capture (script(1), a serial console, a
 * paste from ssh) holds, next to the kernel's own copy of a pr_emerg line (a soft lockup):
 *
 *   \a Message from syslogd@host at Dec  1 12:55:03 ...
 *    kernel:[   32.416642] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:109]
 *
 * (rsyslog's WallFmt: "\r\n\7Message from syslogd@%HOSTNAME% at %timegenerated% ...\r\n
 * %syslogtag%%msg%\n\r"; the printk time is gone when imklog drops it). The second line is a copy
 * of a record the log holds, one line of it: the reports it opens are marked, and the dedup
 * merges them into the kernel's copy. A paste may number both lines (`grep -n`: "58:\aMessage …",
 * "59: kernel:[…"; its context lines "10-\aMessage …"; `cat -n`: "    48\t kernel: …"): the echo is
 * then told under its number, as it is under a mail reply's "> ".
 */
const WALL_HEADER = /Message from syslogd@\S+ at .*\.\.\.\s*$/;
// After a paste's line number or mail quote the echo's own space may be gone ("> kernel:…").
const ECHO_LINE = /^ ?kernel:/;
const QUOTE = /^(?:>\s?)+/;

export class WallEchoes {
  private header: KernelLine | null = null;
  /** "input:line" of each echo line seen. */
  private readonly echoes = new Set<string>();

  /** Notes the line when it is the echo right under a wall header; call it for every line, in order. */
  see(l: KernelLine): void {
    const h = this.header;
    // (the literal first: the pattern alone was tried at every character of every line; before it
    // its rare "@", one character looked for with memchr: 38 -> 19 ns a line of sized-256m's)
    this.header = l.text.includes('@') && l.text.includes('Message from syslogd@') && WALL_HEADER.test(l.text) ? l : null;
    if (h != null && h.input === l.input && l.line === h.line + 1 && ECHO_LINE.test((stripLineNumber(l.text) ?? l.text).replace(QUOTE, ''))) this.echoes.add(`${l.input}:${l.line}`);
  }

  /**
   * Marks the reports that start on an echo line: `echo: 'wall'`, and partial (the broadcast
   * carries the report's first line only), so the dedup keeps the kernel's whole copy.
   */
  mark(incidents: readonly KernelIncident[]): void {
    if (this.echoes.size === 0) return;
    for (const inc of incidents) {
      if (!this.echoes.has(`${inc.input}:${inc.line}`)) continue;
      inc.echo = 'wall';
      inc.partial = true;
    }
  }
}
