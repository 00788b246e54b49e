/**
 * Port of src/read/marker-scan.ts's scan (the REFERENCE), on the hash table MarkerScanner builds
 * from SCAN_NEEDLES, which the host copies into this memory (line-class-wasm.ts).
 */
import { at } from './bytes';

let tags: i32 = 0; // Uint8[1 << bits]: the first byte of the slot's key, 0 for an empty slot
let shift: u32 = 0; // 32 - bits
let mul: i32 = 0;
let slots: i32 = 0; // Int32[(1 << bits) + 1]: entries of slot k are [slots[k], slots[k + 1])
let entries: i32 = 0; // Int32 pairs: needle index, window offset
let needles: i32 = 0; // Int32 triples: byte address, length, anyCase

/** keys: Int32[1 << bits], the table's keys; the other tables as above. */
export function initMarkers(keys: i32, bits: i32, m: i32, sl: i32, en: i32, ne: i32): void {
  shift = <u32>(32 - bits);
  mul = m;
  slots = sl;
  entries = en;
  needles = ne;
  tags = <i32>heap.alloc(1 << bits);
  for (let slot = 0; slot < 1 << bits; slot++) {
    const used = load<i32>(<usize>(sl + 4 * slot + 4)) > load<i32>(<usize>(sl + 4 * slot));
    store<u8>(<usize>(tags + slot), used ? <u8>load<i32>(<usize>(keys + 4 * slot)) : 0);
  }
}

/**
 * Probes every 4-aligned word of [p, e) in one tight loop and writes, in order, the address of
 * each word from which a scan needle verifies; returns how many. Any 7 bytes hold an aligned
 * word, and each needle's windows at at … at + 3 are in the table, so every needle is found from
 * a word inside it. Needles hold no \n or \r, so such a word lies in the needle's line, before the
 * line's end (and its CR): "a word of [ls, end) is in the list" is the reference's "a hit of
 * MarkerScanner.scan starts before the line's end". Called by the host before classify, so that
 * this loop is compiled on its own (inlined in classify it lost its registers to the line walk).
 * The probe compares only the slot's tag (the key's first byte; 8 KiB stay in the L1 cache where
 * the 32 KiB of keys did not): verify checks the slot's needles byte by byte, so a tag shared by
 * chance costs a verify, never a wrong answer.
 */
export function markerWords(p: i32, e: i32, list: i32): i32 {
  const t = tags, m = mul, sh = shift;
  let n = 0;
  for (let a = (p + 3) & ~3; a + 4 <= e; a += 4) {
    const x = load<i32>(<usize>a);
    const slot = <i32>(<u32>(x * m) >>> sh);
    if (<i32>load<u8>(<usize>(t + slot)) == (x & 0xff) && verify(slot, a, p, e)) store<i32>(<usize>(list + 4 * n++), a);
  }
  return n;
}

function verify(slot: i32, a: i32, ls: i32, end: i32): bool {
  const to = load<i32>(<usize>(slots + 4 * slot + 4));
  for (let x = load<i32>(<usize>(slots + 4 * slot)); x < to; x++) {
    const n = needles + 12 * load<i32>(<usize>(entries + 8 * x));
    const start = a - load<i32>(<usize>(entries + 8 * x + 4));
    const bytes = load<i32>(<usize>n), len = load<i32>(<usize>(n + 4)), anyCase = load<i32>(<usize>(n + 8)) != 0;
    if (start < ls || start + len > end) continue;
    let k = 0;
    if (anyCase) {
      for (; k < len; k++) {
        const c = at(start + k), w = at(bytes + k);
        if (c != w && !((c | 0x20) == (w | 0x20) && <u32>((c | 0x20) - 0x61) < 26)) break;
      }
    } else while (k < len && at(start + k) == at(bytes + k)) k++;
    if (k == len) return true;
  }
  return false;
}

