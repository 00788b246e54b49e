import type { StackFrame } from '../../../model/kernel-incidents.js';
import { intern } from './intern.js';

// x86/arm64 since ~4.x: " nvme_irq+0x23/0x50 [nvme]" or " ? pagevec_lookup_range+0x24/0x30"
// older x86: " [<ffffffffb2129134>] ? dump_stack+0x5c/0x78" (and a trailing " [virtio_balloon]")
const FRAME_RE = /^\s*(?:\[<[0-9a-f]+>\]\s*)?(\? )?([A-Za-z_.$][\w.$]*)\+(0x[0-9a-f]+\/0x[0-9a-f]+)(?:\s+\[([\w-]+)\])?\s*$/;
// arm 32-bit: "[<c019e230>] (shrink_page_list) from [<c019f544>] (shrink_inactive_list+0x2e4/0x45c)"
const ARM_RE = /^\s*\[<[0-9a-f]+>\] \(([\w.$]+)(?:\+(0x[0-9a-f]+\/0x[0-9a-f]+))?(?: \[([\w-]+)\])?\) from \[<[0-9a-f]+>\] \(([\w.$]+)(?:\+(0x[0-9a-f]+\/0x[0-9a-f]+))?(?: \[([\w-]+)\])?\)/;

/** FRAME_RE's reading of a line: its frame's fields (interned), or null for a line that is no frame. */
export interface FrameFields { fn: string; offset: string | null; module: string | null; unreliable: boolean }

/**
 * Frame lines read so far, by message: a log repeats the same stacks in report after report, and
 * a message seen before needs one hash and lookup instead of FRAME_RE and three interned captures.
 * Keys are flat copies (not slices that keep their lines alive); cleared when full, so a log of
 * endless distinct frames cannot grow it without limit.
 */
export const MAX_FRAME_LINES = 8192;
let frameLines = new Map<string, FrameFields | null>();

/** FRAME_RE's reading of a message, as it is made on a miss (the tests hold the cached path to it). */
export function frameFields(msg: string): FrameFields | null {
  const m = FRAME_RE.exec(msg);
  return m ? { fn: intern(m[2]), offset: intern(m[3]), module: intern(m[4]), unreliable: m[1] != null } : null;
}

function frameOf(msg: string): FrameFields | null {
  let f = frameLines.get(msg);
  if (f === undefined) {
    f = frameFields(msg);
    if (frameLines.size >= MAX_FRAME_LINES) frameLines = new Map();
    frameLines.set((' ' + msg).slice(1), f);
  }
  return f;
}

/**
 * Collects frames over consecutive lines, appending the last ARM caller. ARM prints "A from B"
 * pairs: the callee A is the frame of this line, and B (the caller) is the next line's A — except
 * on the last line, so B is kept to be appended at the end.
 */
export class TraceBuilder {
  readonly frames: StackFrame[] = [];
  private pendingCaller: StackFrame | null = null;

  /** One call-trace line into its frame; false for a line that is none. */
  add(msg: string, line: number): boolean {
    // Every line of a report is tried: each pattern's literal first (a failing FRAME_RE backtracks
    // over the line's first word; it was the OOM parser's costliest pattern, issue 10).
    const f = msg.includes('+0x') ? frameOf(msg) : null;
    if (f) {
      this.frames.push({ fn: f.fn, offset: f.offset, module: f.module, unreliable: f.unreliable, line });
      this.pendingCaller = null;
      return true;
    }
    const m = msg.includes(') from [<') ? ARM_RE.exec(msg) : null;
    if (!m) return false;
    this.frames.push({ fn: intern(m[1]), offset: intern(m[2]), module: intern(m[3]), unreliable: false, line });
    this.pendingCaller = { fn: intern(m[4]), offset: intern(m[5]), module: intern(m[6]), unreliable: false, line };
    return true;
  }

  finish(): StackFrame[] {
    if (this.pendingCaller) this.frames.push(this.pendingCaller);
    this.pendingCaller = null;
    return this.frames;
  }
}
