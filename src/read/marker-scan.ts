/**
 * Finds, in raw bytes and without decoding them, every place a line could start a report: the
 * literals of SCAN_NEEDLES (parse/kernel/markers.ts), each at least 7 bytes long. The scan reads
 * the buffer as aligned 32-bit words and probes each word once: any 7 bytes hold an aligned word,
 * so a needle's four 4-byte windows at its `at` … `at + 3` (one of them is aligned wherever the
 * needle starts) go into a small hash table, and a hit is verified byte for byte. Text bytes
 * rarely form a needle's 4 bytes by chance (unlike 2-byte grams, which hit about every line on
 * kernel logs), so the scan is a tight loop of one load, a multiply and a compare per 4 bytes
 * (probing every 2 bytes, as with 5-byte needles, took 1.7× as long on the 1 GiB bench log).
 * Which windows of a needle go in the table matters ("kern" of "Kernel panic" would hit on
 * every syslog line): each needle says where (its `at`). A needle matched ignoring case
 * (sysrq's) enters every case variant of its windows.
 */
import { SCAN_NEEDLES, type ScanNeedle } from '../parse/kernel/markers.js';

export interface Needle { bytes: Uint8Array; anyCase: boolean }
/** A needle whose 4-byte window at `offset` hashes to a slot. */
interface Entry { needle: Needle; offset: number }

/** Four windows of 4 bytes at at … at + 3 lie inside the needle. */
const MIN_NEEDLE = 7;
const TABLE_BITS = 13;

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
      if (needle.bytes.length < MIN_NEEDLE || n.at < 0 || n.at + MIN_NEEDLE > needle.bytes.length) throw new Error(`scan needle "${n.text}": needs ${MIN_NEEDLE} bytes from its windows at ${n.at}`);
      const j = n.at;
      for (const offset of [j, j + 1, j + 2, j + 3]) {
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

  /** The hash table as built, for the wasm classifier (line-class-wasm.ts), which probes the same words. */
  table(): { bits: number; mul: number; keys: Int32Array; slots: readonly (readonly { needle: Needle; offset: number }[] | undefined)[] } {
    return { bits: TABLE_BITS, mul: this.mul, keys: this.keys, slots: this.entries };
  }

  /** Pushes onto `out` the start of every needle in buf[s, e), in ascending order. */
  scan(buf: Buffer, s: number, e: number, out: number[]): void {
    const keys = this.keys, mul = this.mul;
    // Aligned words from the 4-aligned address at or before s to the last one that ends by e: a
    // needle inside [s, e) holds one of them whole. A word starting before s can only belong to
    // a needle starting before s, which verify rejects.
    const absStart = (buf.byteOffset + s) & ~3;
    const base = absStart - buf.byteOffset;
    const words = (buf.byteOffset + e - absStart) >> 2;
    if (words <= 0) return;
    // Signed words: V8 keeps int32 in registers; uint32 above 2^31 became doubles (a third slower).
    const i32 = new Int32Array(buf.buffer, absStart, words);
    for (let k = 0; k < words; k++) {
      const x = i32[k];
      if (keys[Math.imul(x, mul) >>> (32 - TABLE_BITS)] === x) this.verify(buf, base + 4 * k, x, s, e, out);
    }
    // Windows of one needle are verified from different words; callers walk lines in order.
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
