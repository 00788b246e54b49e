import { closeSync, constants, openSync, readSync } from 'node:fs';

/** A record of /dev/kmsg ("6,418,118239859,-;oom-kill:…"), with its continuation lines. */
export interface KmsgRecord {
  seq: number;
  text: string;
}

const HEADER = /^\d+,(\d+),\d+,[^;]*;/;

/**
 * Follows /dev/kmsg without ever blocking: the fd is opened O_NONBLOCK once and each poll() reads
 * what arrived since the last one (the first poll returns the ring buffer since boot, or what is
 * left of it). On /dev/kmsg one read(2) returns one record; EPIPE means records were overwritten
 * before we read them and reading goes on with the oldest one left. A regular file holding kmsg
 * records (a capture, a test) works too: there a read returns many records, split on headers.
 */
export class KmsgTail {
  private fd: number | null = null;
  private readonly buf = Buffer.alloc(16 << 10);
  private carry = '';
  /** Times records were overwritten before we could read them (EPIPE). */
  overruns = 0;

  constructor(readonly path = '/dev/kmsg', private readonly maxBytesPerPoll = 16 << 20) {}

  /** Throws the open error (EACCES without CAP_SYSLOG, ENOENT in some containers). */
  open(): void {
    this.fd ??= openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
  }

  poll(): KmsgRecord[] {
    if (this.fd == null) return [];
    let text = this.carry;
    let total = 0;
    while (total < this.maxBytesPerPoll) {
      let n: number;
      try {
        n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') { this.overruns++; continue; }
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') break;
        throw e;
      }
      if (n === 0) break;
      text += this.buf.toString('utf8', 0, n);
      total += n;
    }
    // A regular file may end mid-record (still being written): keep the unfinished last line.
    const cut = text.lastIndexOf('\n') + 1;
    this.carry = text.slice(cut);
    return splitRecords(text.slice(0, cut));
  }

  close(): void {
    if (this.fd != null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Pure: kmsg text → records; lines before the first header (a cut capture) are dropped. */
export function splitRecords(text: string): KmsgRecord[] {
  const out: KmsgRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = HEADER.exec(line);
    if (m) out.push({ seq: Number(m[1]), text: line + '\n' });
    else if (out.length > 0 && line.startsWith(' ')) out[out.length - 1].text += line + '\n';
  }
  return out;
}
