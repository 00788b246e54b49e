/**
 * Finds, in raw bytes and without decoding them, every place a line could start a report: the
 * literals of SCAN_NEEDLES (parse/kernel/markers.ts), each at least 5 bytes long. The scan reads
 * the buffer as 32-bit words and looks at the 4 bytes at every even offset (two per word): any
 * occurrence of a needle of 5 bytes or more has its first 4 bytes or the 4 after its first at an
 * even offset, so those two windows of each needle go into a small hash table that is probed once
 * per 2 bytes. Hits are verified byte for byte. Text bytes rarely form a needle's 4 bytes by
 * chance (unlike 2-byte grams, which hit about every line on kernel logs: 12 M verifications per
 * GiB), so the scan is a tight loop of loads, a multiply and a compare.
 * Which two windows of a needle go in the table matters ("kern" of "Kernel panic" would hit on
 * every syslog line): each needle says where (its `at`). A needle matched ignoring case
 * (sysrq's) enters every case variant of its windows.
 */
import { SCAN_NEEDLES, type ScanNeedle } from '../parse/kernel/markers.js';

interface Needle { bytes: Uint8Array; anyCase: boolean }
/** A needle whose 4-byte window at `offset` hashes to a slot. */
interface Entry { needle: Needle; offset: number }

const MIN_NEEDLE = 5;
const TABLE_BITS = 12;

/** The 4 bytes at i as a little-endian word. */
function word(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/** The 4 bytes at i, and when anyCase all their upper/lower-case variants. */
function variants(b: Uint8Array, i: number, anyCase: boolean): number[] {
  let out = [0];
  for (let k = 0; k < 4; k++) {
    const c = b[i + k], l = c | 0x20;
    const forms = anyCase && l >= 0x61 && l <= 0x7a ? [l, l & ~0x20] : [c];
    out = out.flatMap((w) => forms.map((f) => (w | (f << (8 * k))) | 0));
  }
  return out;
}

export class MarkerScanner {
  /** Slot → key; an empty slot holds a key of another slot, so no word can match it. */
  private readonly keys = new Int32Array(1 << TABLE_BITS);
  private readonly entries: Entry[][] = [];
  private readonly mul: number;

  constructor(needles: readonly ScanNeedle[] = SCAN_NEEDLES) {
    const windows = new Map<number, Entry[]>();
    for (const n of needles) {
      const needle = { bytes: Buffer.from(n.text, 'latin1'), anyCase: n.anyCase === true };
      if (needle.bytes.length < MIN_NEEDLE || n.at < 0 || n.at + MIN_NEEDLE > needle.bytes.length) throw new Error(`scan needle "${n.text}": needs ${MIN_NEEDLE} bytes from its window at ${n.at}`);
      const j = n.at;
      for (const offset of [j, j + 1]) {
        for (const key of variants(needle.bytes, offset, needle.anyCase)) windows.set(key, [...(windows.get(key) ?? []), { needle, offset }]);
      }
    }
    // A multiplier under which no two keys share a slot, so a probe is one compare.
    let mul = 0x9e3779b1 | 0;
    const slot = (k: number, m: number): number => Math.imul(k, m) >>> (32 - TABLE_BITS);
    for (let tries = 0; new Set([...windows.keys()].map((k) => slot(k, mul))).size !== windows.size; tries++) {
      if (tries > 10000) throw new Error('no collision-free hash for the scan needles');
      mul = (Math.imul(mul, 0x2c1b3c6d) + 0x297a2d39) | 1;
    }
    this.mul = mul;
    // Fill every slot with a key that hashes elsewhere: a word equal to it cannot land there.
    const [k0, k1] = [...windows.keys()];
    for (let i = 0; i < this.keys.length; i++) this.keys[i] = slot(k0, mul) === i ? k1 : k0;
    for (const [key, list] of windows) {
      this.keys[slot(key, mul)] = key;
      this.entries[slot(key, mul)] = list;
    }
  }

  /** Pushes onto `out` the start of every needle in buf[s, e), in ascending order. */
  scan(buf: Buffer, s: number, e: number, out: number[]): void {
    const keys = this.keys, mul = this.mul;
    // Words from the 4-aligned address at or before s; windows starting before s are rejected
    // in verify (a needle must lie within [s, e)).
    const absStart = (buf.byteOffset + s) & ~3;
    const base = absStart - buf.byteOffset;
    const words = (buf.byteOffset + e - absStart) >> 2;
    if (words > 0) {
      // Signed words: V8 keeps int32 in registers; uint32 above 2^31 became doubles (a third slower).
      const i32 = new Int32Array(buf.buffer, absStart, words);
      let a = i32[0];
      for (let k = 0; k < words - 1; k++) {
        const b = i32[k + 1];
        const x = a;
        if (keys[Math.imul(x, mul) >>> (32 - TABLE_BITS)] === x) this.verify(buf, base + 4 * k, x, s, e, out);
        const y = (a >>> 16) | (b << 16);
        if (keys[Math.imul(y, mul) >>> (32 - TABLE_BITS)] === y) this.verify(buf, base + 4 * k + 2, y, s, e, out);
        a = b;
      }
    }
    // The even offsets left whose 4 bytes end by e: the last word, and the half word after it.
    for (let p = base + 4 * Math.max(0, words - 1); p + 4 <= e; p += 2) {
      if (p < 0) continue;
      const x = word(buf, p);
      if (keys[Math.imul(x, mul) >>> (32 - TABLE_BITS)] === x) this.verify(buf, p, x, s, e, out);
    }
    // A later window can confirm an earlier-starting needle; callers walk lines in order.
    if (out.length > 1) out.sort((a, b) => a - b);
  }

  private verify(buf: Buffer, pos: number, key: number, s: number, e: number, out: number[]): void {
    for (const { needle, offset } of this.entries[Math.imul(key, this.mul) >>> (32 - TABLE_BITS)]) {
      const start = pos - offset;
      const bytes = needle.bytes;
      if (start < s || start + bytes.length > e) continue;
      let k = 0;
      if (needle.anyCase) while (k < bytes.length && (buf[start + k] | 0x20) === (bytes[k] | 0x20) && lowerable(buf[start + k], bytes[k])) k++;
      else while (k < bytes.length && buf[start + k] === bytes[k]) k++;
      if (k === bytes.length) out.push(start);
    }
  }
}

/** Equal ignoring ASCII case: the same byte, or the same letter (| 0x20 would also join "@" and "`"). */
function lowerable(a: number, b: number): boolean {
  if (a === b) return true;
  const l = a | 0x20;
  return l >= 0x61 && l <= 0x7a;
}

/** Pushes the position of every `byte` in buf[s, e): NUL and CR change a line when decoded. */
export function findByte(buf: Buffer, s: number, e: number, byte: number, out: number[]): void {
  for (let i = buf.indexOf(byte, s); i !== -1 && i < e; i = buf.indexOf(byte, i + 1)) out.push(i);
}
