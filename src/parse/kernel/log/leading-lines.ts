import type { KernelLine } from '../../types.js';
import { KERNEL_KINDS, kindById } from '../registry.js';
import type { BlockKind } from '../kind.js';
import { isWrapContinuation, rejoin } from './wrap.js';
import { isBlank } from '../../../read/blank.js';

// Lines a report may have before its opening line (kinds/ `leading`): kept while no report is open.
const LEADING_RES = KERNEL_KINDS.flatMap((k) => ('leading' in k && k.leading ? [k.leading.lines] : []));
const isLeading = (msg: string): boolean => LEADING_RES.some((re) => re.test(msg));
/** A whole task table is a few thousand rows at most; a longer run is not one. */
const MAX_LINES = 20000;

/**
 * Lines of a report's tail seen while no report was open (task-table rows, zone and buddy lines),
 * kept until a line of another kind: a paste that starts there (`grep -A`, a cut copy) has them
 * before the first line that opens the report, and that report takes them back.
 */
export class LeadingLines {
  private lines: (KernelLine & { wrapped?: number })[] = [];
  private pieceLength = 0;

  /** Looks at a line no report took; true when it was the wrapped rest of a kept line (consumed). */
  keep(l: KernelLine): boolean {
    const last = this.lines[this.lines.length - 1];
    // A row a mail client wrapped ("… 0             0" / "python3"): joined like a report's lines.
    if (last && !l.prefixed && last.input === l.input && l.line === last.line + 1 + (last.wrapped ?? 0) &&
        isWrapContinuation(last, this.pieceLength, l)) {
      this.lines[this.lines.length - 1] = { ...rejoin(last, l), wrapped: (last.wrapped ?? 0) + 1 };
      this.pieceLength = l.text.length;
      return true;
    }
    if (l.prefixed && isBlank(l.msg)) return false; // maybe a wrapped line's prefix: see KernelLogParser.push()
    const leading = isLeading(l.msg);
    if (leading) this.pieceLength = l.text.length;
    if (!leading || (last && (last.input !== l.input || l.line > last.line + 1))) this.lines = [];
    if (leading && this.lines.length < MAX_LINES) this.lines.push(l);
    return false;
  }

  /** The kept lines a report of `kind` opening at `l` takes back (right before it), and forgets them. */
  take(kind: BlockKind, l: KernelLine): KernelLine[] {
    const kept = this.lines;
    this.lines = [];
    const last = kept[kept.length - 1];
    const lead = kindById(kind).leading;
    // Only its own kind of lines (each kind's leading lines are kept alike).
    return lead && last && last.input === l.input && l.line <= last.line + 2 + (last.wrapped ?? 0) && !lead.unless.test(l.msg) &&
      kept.every((x) => lead.lines.test(x.msg)) ? kept : [];
  }
}
