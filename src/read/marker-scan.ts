/**
 * Finds every occurrence of the report markers (parse/kernel/markers.ts) in raw bytes without
 * decoding them: a q-gram skip scan. Each marker is represented by one 3-byte window of itself
 * (the shortest marker, "BUG", has 3 bytes, so every marker has one); any occurrence of a window
 * contains one of its two 2-byte grams at an even address, so reading the buffer as 16-bit words
 * (one table lookup per 2 bytes, never a loop over each byte) sees it. Hits are verified byte for byte.
 * Windows are chosen to avoid grams common in log text ("in", "er", lower-case pairs), which keeps
 * verification rare (about one gram in fifty on the benchmark's noise).
 */
import { MARKERS } from '../parse/kernel/markers.js';

interface Entry { bytes: Uint8Array; gramAt: number }

const Q_WINDOW = 3;
// Frequent English/log bigrams: a window holding them would hit on most lines.
const COMMON = new Set('th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ce ta ck ct ai'.split(' '));

// Grams on nearly every kernel-log line ("kernel:", "failed", "up", "state", "port"…).
const VERY_COMMON = new Set(['er', 'el', 'ke', 'rn', 'ne', 'st', 'ta', 'lo', 'il', 'op', 'au', 'up', 'ap', 'fo', 'or', 'po', ' p', ' f', 't ', 'l ', 'e ', 's ', ' a', ' s']);

function gramCost(a: number, b: number): number {
  const lower = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || c === 0x20 || (c >= 0x30 && c <= 0x39);
  if (!lower(a) || !lower(b)) return 0;
  const g = String.fromCharCode(a, b);
  return VERY_COMMON.has(g) ? 5 : COMMON.has(g) ? 3 : b === 0x20 || a === 0x20 ? 2 : 1;
}

export class MarkerScanner {
  private readonly hit = new Uint8Array(65536);
  private readonly entries: Entry[][] = [];

  constructor(markers: readonly string[] = MARKERS) {
    for (const m of markers) {
      const bytes = Buffer.from(m, 'latin1');
      if (bytes.length < Q_WINDOW) throw new Error(`marker "${m}" is shorter than ${Q_WINDOW} bytes`);
      let at = 0;
      let best = Infinity;
      for (let i = 0; i + Q_WINDOW <= bytes.length; i++) {
        const cost = gramCost(bytes[i], bytes[i + 1]) + gramCost(bytes[i + 1], bytes[i + 2]);
        if (cost < best) [best, at] = [cost, i];
      }
      for (const g of [at, at + 1]) {
        const key = bytes[g] | (bytes[g + 1] << 8); // little-endian 16-bit word
        this.hit[key] = 1;
        (this.entries[key] ??= []).push({ bytes, gramAt: g });
      }
    }
  }

  /** Pushes onto `out` the start of every marker in buf[s, e), in ascending order. */
  scan(buf: Buffer, s: number, e: number, out: number[]): void {
    // 32-bit loads, two grams each: half the loads of a 16-bit walk (about a third faster).
    const absStart = (buf.byteOffset + s) & ~3;
    const absEnd = buf.byteOffset + e;
    const words = (absEnd - absStart) >> 2;
    const base = absStart - buf.byteOffset;
    const hit = this.hit;
    if (words > 0) {
      const u32 = new Uint32Array(buf.buffer, absStart, words);
      for (let k = 0; k < words; k++) {
        const v = u32[k];
        if ((hit[v & 0xffff] | hit[v >>> 16]) === 0) continue;
        if (hit[v & 0xffff] !== 0) this.verify(buf, base + 4 * k, v & 0xffff, s, e, out);
        if (hit[v >>> 16] !== 0) this.verify(buf, base + 4 * k + 2, v >>> 16, s, e, out);
      }
    }
    const tail = base + 4 * words; // one more even gram may fit before e
    if (tail + 1 < e) this.verify(buf, tail, buf[tail] | (buf[tail + 1] << 8), s, e, out);
    // A later gram can confirm an earlier-starting marker; callers walk lines in order.
    if (out.length > 1) out.sort((a, b) => a - b);
  }

  private verify(buf: Buffer, pos: number, key: number, s: number, e: number, out: number[]): void {
    const entries = this.entries[key];
    if (!entries) return;
    for (const { bytes, gramAt } of entries) {
      const start = pos - gramAt;
      if (start < s || start + bytes.length > e) continue;
      let k = 0;
      while (k < bytes.length && buf[start + k] === bytes[k]) k++;
      if (k === bytes.length) out.push(start);
    }
  }
}

/** Pushes the position of every `byte` in buf[s, e): NUL and CR change a line when decoded. */
export function findByte(buf: Buffer, s: number, e: number, byte: number, out: number[]): void {
  for (let i = buf.indexOf(byte, s); i !== -1 && i < e; i = buf.indexOf(byte, i + 1)) out.push(i);
}
