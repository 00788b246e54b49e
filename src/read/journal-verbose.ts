/**
 * `journalctl -o verbose`: one record is a header line with the wall clock and the cursor, then
 * one indented FIELD=value line per field, in the order journald stored them. A multi-line
 * MESSAGE (a kernel Mem-Info record) continues on lines indented to the value's column.
 *
 *   Tue 2026-12-01 10:30:02.167685 UTC [s=5674…;i=176;b=2bb0…;m=6b3b82;t=6619…;x=c3b3…]
 *       _TRANSPORT=kernel
 *       SYSLOG_IDENTIFIER=kernel
 *       _SOURCE_MONOTONIC_TIMESTAMP=7027177
 *       MESSAGE=sysrq: Manual OOM execution
 */
const HEADER = /^[A-Za-z]{3} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.\d+)? \S+ \[s=[0-9a-f]+;i=[0-9a-f]+;/;
const FIELD = /^ {4}([A-Z0-9_]+)=(.*)$/;
const MESSAGE_INDENT = ' '.repeat('    MESSAGE='.length);

/** What read() answers for a line of another format while no record is open: one object for all. */
const NOT_VERBOSE: { consumed: boolean; done: VerboseMessage[] } = Object.freeze({ consumed: false, done: Object.freeze([]) as unknown as VerboseMessage[] });

/** A MESSAGE line (or a continuation of one) of a finished record. */
export interface VerboseMessage {
  line: number;
  text: string;
  msg: string;
  time: string | null;
  uptimeSec: number | null;
  /** False for user-space records, also those written to /dev/kmsg ("mt9-init: …"): journald keeps their identifier. */
  fromKernel: boolean | null;
}

/**
 * Reads a verbose journal line by line. Fields may follow MESSAGE (journald stores them in
 * arrival order: _SOURCE_MONOTONIC_TIMESTAMP often comes after it), so a record's message is
 * handed out when the record ends: at the next header, at a line of another format, or at finish().
 */
export class JournalVerboseReader {
  private time: string | null = null;
  private uptimeSec: number | null = null;
  private transport: string | null = null;
  private ident: string | null = null;
  private inRecord = false;
  private inMessage = false;
  private pending: { line: number; text: string; msg: string }[] = [];

  /** consumed: the line belonged to a verbose record; done: the messages of records it ended. */
  read(line: number, text: string): { consumed: boolean; done: VerboseMessage[] } {
    // A header has "Tue 2" at its start (HEADER): every other line, while no record is open, is
    // told from its 4th and 5th characters, without the pattern and without a new answer object.
    if (!this.inRecord && (text.charCodeAt(3) !== 32 || !(text.charCodeAt(4) >= 48 && text.charCodeAt(4) <= 57))) return NOT_VERBOSE;
    let m = HEADER.exec(text);
    if (m) {
      const done = this.finish();
      [this.time, this.inRecord] = [`${m[1]}T${m[2]}`, true];
      return { consumed: true, done };
    }
    if (!this.inRecord) return NOT_VERBOSE;
    if ((m = FIELD.exec(text))) {
      this.inMessage = m[1] === 'MESSAGE';
      if (m[1] === '_SOURCE_MONOTONIC_TIMESTAMP' && /^\d+$/.test(m[2])) this.uptimeSec = Number(m[2]) / 1e6;
      else if (m[1] === '_TRANSPORT') this.transport = m[2];
      else if (m[1] === 'SYSLOG_IDENTIFIER') this.ident = m[2];
      else if (this.inMessage) this.pending.push({ line, text, msg: m[2] });
      return { consumed: true, done: [] };
    }
    // A continuation keeps one space of indentation, like util-linux dmesg's continuation lines.
    if (this.inMessage && text.startsWith(MESSAGE_INDENT)) {
      this.pending.push({ line, text, msg: text.slice(MESSAGE_INDENT.length - 1) });
      return { consumed: true, done: [] };
    }
    return { consumed: false, done: this.finish() };
  }

  /** Ends the open record, if any, and hands out its message lines. */
  finish(): VerboseMessage[] {
    const fromKernel = this.ident != null ? this.ident === 'kernel' : this.transport == null ? null : this.transport === 'kernel';
    const out = this.pending.map((p) => ({ ...p, time: this.time, uptimeSec: this.uptimeSec, fromKernel }));
    [this.time, this.uptimeSec, this.transport, this.ident, this.inRecord, this.inMessage, this.pending] = [null, null, null, null, false, false, []];
    return out;
  }
}
