import type { KernelLine } from '../../types.js';

/**
 * rsyslog's `*.emerg :omusrmsg:*` rule (in Debian's stock rsyslog.conf) writes every emergency
 * message to every logged-in terminal, so a terminal capture (script(1), a serial console, a
 * paste from ssh) holds, next to the kernel's own copy of a soft lockup or a panic line:
 *
 *   \a Message from syslogd@host at Dec  1 12:55:03 ...
 *    kernel:[   32.416642] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [insmod:109]
 *
 * (rsyslog's WallFmt: "\r\n\7Message from syslogd@%HOSTNAME% at %timegenerated% ...\r\n
 * %syslogtag%%msg%\n\r"; the printk time is gone when imklog drops it). The second line is a copy
 * of a record the log holds, one line of it: the reports it opens are marked, and the dedup
 * merges them into the kernel's copy.
 */
const WALL_HEADER = /Message from syslogd@\S+ at .*\.\.\.\s*$/;
const ECHO_LINE = /^ kernel:/;

export class WallEchoes {
  private header: KernelLine | null = null;

  /** Whether this line is the echo right under a wall header; call it for every line, in order. */
  see(l: KernelLine): boolean {
    const h = this.header;
    this.header = WALL_HEADER.test(l.text) ? l : null;
    return h != null && h.input === l.input && l.line === h.line + 1 && ECHO_LINE.test(l.text);
  }
}
