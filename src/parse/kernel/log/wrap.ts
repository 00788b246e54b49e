import type { KernelLine } from '../../types.js';

/**
 * A mail client (or a terminal) wrapped a long kernel line: the rest arrives on the next line
 * without the kernel prefix. Rejoined only inside an open report, right after a prefixed line that
 * the piece's first word would not have fitted on, when the piece is plain ASCII text that is not
 * a code fence, a blank or a line of its own kind (a prefixed or console kernel line).
 */
export function isWrapContinuation(prev: KernelLine | undefined, prevLength: number, l: KernelLine): boolean {
  if (!prev?.prefixed || l.prefixed) return false; // only a bare piece right after a kernel line
  const t = l.text.replace(/^(?:>\s?)+/, '');
  // Word wrap's signature: the next word would not have fitted (mail wraps at 72–80 columns).
  const firstWord = /^\s*(\S*)/.exec(t)![1];
  if (prevLength + 1 + firstWord.length <= 72 || prevLength > 100 || t.length > 100) return false;
  return /^[\x20-\x7e]+$/.test(t) && t.trim() !== '' && !/^\s*(?:```|#|\$ |[A-Z][a-z]+ [a-z]+ [a-z]+ )/.test(t);
}

// The tail of an OOM report a paste may start in: node, zone, buddy and hugepage lines, the
// memory totals and the task table (any "Node N …" line, non-NUMA "DMA32: 1*4kB …", "130942 pages RAM"…).
/** Rejoins a wrapped piece onto the line it was cut from. */
export function rejoin(last: KernelLine, piece: KernelLine): KernelLine {
  // A word wrap breaks at a space (kept at the line's end by fold -s and format=flowed, or
  // dropped); a line with no space to break at (oom-kill:constraint=…,task_memcg=/…) is cut
  // inside its last word, which then must not get a space.
  const glue = /\s$/.test(last.text) || /^\s/.test(piece.text) || !/\S{20,}$/.test(last.text) ? ' ' : '';
  const join = (a: string): string => `${a.replace(/\s+$/, '')}${glue}${piece.text.trim()}`;
  return { ...last, msg: join(last.msg), text: join(last.text) };
}
