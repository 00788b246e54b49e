/**
 * AssemblyScript port of the fast reader's line classifier (src/read/line-class.ts, which stays
 * the REFERENCE: these files must give exactly its runs and its afterLeading for any bytes;
 * test/read/line-class-wasm.test.ts compares the two). Built by `npm run build:wasm` into
 * dist/src/read/line-class.wasm and loaded by src/read/line-class-wasm.ts. The word lists (scan
 * needles, task-table tail words, report start words) stay in TypeScript and are copied into this
 * module's memory by init(), so a new report kind needs no change here. prefix-bytes.ts and
 * marker-scan.ts beside this file port their namesakes.
 *
 * Positions are byte addresses in this module's memory (i32). Every read stays within the line
 * being classified and its \n, as in the reference, except vector loads, which read up to 63
 * bytes past the region's end: the host leaves 64 bytes of padding there.
 */
import { asciiSpace, at, digit, digits, spaces, visible } from './bytes';
import { markerWords, initMarkers } from './marker-scan';
import { initPrefix, pFormat, pMsgFrom, pYear, readBytePrefix } from './prefix-bytes';

export { markerWords };

const DECODE: i32 = 255;
const BLANK: i32 = 253;
const FOLD_MIN_LENGTH: i32 = 160;

let tails: i32 = 0; // Int32 triples: byte address, length, digitAfter
let starts: i32 = 0; // Int32 pairs: byte address, length
let startCount: i32 = 0;
let longBytes: i32 = 0; // a line this long was a worker's LONG line (afterLeading)
let tailsByFirst: i32 = 0; // 257 Int32: the tail words starting with byte c are tailOrder[tailsByFirst[c] … tailsByFirst[c + 1])
let tailOrder: i32 = 0; // Int32 per tail word: its index in tails, grouped by first byte
let firstStart: i32 = 0; // 256 bytes: 1 where a message start word starts with that byte

// Results of classify besides its line count.
let runCount: i32 = 0;
let leadingOut: i32 = 0;
let blankEnd: i32 = 0;

export function alloc(size: i32): i32 {
  return <i32>heap.alloc(<usize>size);
}

/** The tables, at addresses the host laid out (line-class-wasm.ts). */
export function init(k: i32, bits: i32, m: i32, sl: i32, en: i32, ne: i32, ta: i32, tc: i32, st: i32, sc: i32, long: i32): void {
  initMarkers(k, bits, m, sl, en, ne);
  initPrefix();
  tails = ta; starts = st; startCount = sc; longBytes = long;
  tailsByFirst = alloc(257 * 4);
  tailOrder = alloc(tc * 4);
  firstStart = alloc(256);
  memory.fill(<usize>firstStart, 0, 256);
  // A counting sort of the tail words by first byte: a line is compared with those of its own.
  let n = 0;
  for (let c = 0; c < 256; c++) {
    store<i32>(<usize>(tailsByFirst + 4 * c), n);
    for (let t = 0; t < tc; t++) if (at(load<i32>(<usize>(ta + 12 * t))) == c) store<i32>(<usize>(tailOrder + 4 * n++), t);
  }
  store<i32>(<usize>(tailsByFirst + 4 * 256), n);
  for (let t = 0; t < sc; t++) store<u8>(<usize>(firstStart + at(load<i32>(<usize>(st + 8 * t)))), 1);
}

export function runs(): i32 { return runCount; }
export function afterLeading(): i32 { return leadingOut; }

/** The word at (address w, length n) is at i, with a digit after it when digitAfter. */
function wordAt(i: i32, end: i32, w: i32, n: i32, digitAfter: bool): bool {
  if (end - i < n + (digitAfter ? 1 : 0)) return false;
  for (let k = 0; k < n; k++) if (at(i + k) != at(w + k)) return false;
  return !digitAfter || digit(at(i + n));
}

function taskTableLine(from: i32, end: i32): bool {
  let i = spaces(from, end);
  const c = at(i);
  if (c == 0x5b) return tableRow(i + 1, end);
  if (digit(c)) {
    i = digits(i, end);
    return at(i) == 0x20 && (at(i + 1) == 0x70 || at(i + 1) == 0x74);
  }
  const to = load<i32>(<usize>(tailsByFirst + 4 * c + 4));
  for (let k = load<i32>(<usize>(tailsByFirst + 4 * c)); k < to; k++) {
    const p = tails + 12 * load<i32>(<usize>(tailOrder + 4 * k));
    if (wordAt(i, end, load<i32>(<usize>p), load<i32>(<usize>(p + 4)), load<i32>(<usize>(p + 8)) != 0)) return true;
  }
  return false;
}

function tableRow(i: i32, end: i32): bool {
  i = spaces(i, end);
  if (at(i) == 0x70) return true;
  const d = i;
  i = digits(i, end);
  return i > d && at(i) == 0x5d;
}

function reportStartWord(i: i32, end: i32): bool {
  while (i < end && asciiSpace(at(i))) i++;
  const c = at(i);
  if (c >= 0x80) return true;
  if (load<u8>(<usize>(firstStart + c)) == 0) return false;
  for (let t = 0; t < startCount; t++) {
    const p = starts + 8 * t;
    if (wordAt(i, end, load<i32>(<usize>p), load<i32>(<usize>(p + 4)), false)) return true;
  }
  return false;
}

function visibleFrom(i: i32, end: i32): bool {
  for (; i < end; i++) if (visible(at(i))) return true;
  return false;
}

/** A digit + "] " or a "kernel: " in [from, end) (the reference's mayBeFolded). */
function mayBeFolded(from: i32, end: i32): bool {
  for (let i = from; i < end; i++) if (at(i) == 0x5d && i + 1 < end && at(i + 1) == 0x20 && digit(at(i - 1))) return true;
  for (let i = from; i + 8 <= end; i++) if (load<u64>(<usize>i) == 0x203a6c656e72656b) return true; // "kernel: "
  return false;
}

/** Blank lines ([ \t]* then \r?\n) from ls on in [ls, e); sets blankEnd. */
function blankLines(ls: i32, e: i32): i32 {
  let n = 0, p = ls;
  const nl = i8x16.splat(10);
  for (;;) {
    while (p + 16 <= e && i8x16.all_true(i8x16.eq(v128.load(<usize>p), nl))) {
      n += 16;
      p += 16;
    }
    let j = p;
    while (j < e && (at(j) == 0x20 || at(j) == 9)) j++;
    if (j < e && at(j) == 13 && j + 1 < e) j++;
    if (j >= e || at(j) != 10) break;
    n++;
    p = j + 1;
  }
  blankEnd = p;
  return n;
}

/**
 * For each 64 bytes of [p, e) (the last block reads past e: padding), two 64-bit masks at
 * masks + 16 * block: its \n bytes, then its NUL, CR and 0xE2 bytes (the bytes that make a line
 * decoded). One pass with vector compares; classify then finds each line's end and odd bytes
 * with a ctz or two instead of walking the line.
 */
export function byteMasks(p: i32, e: i32, masks: i32): void {
  const NLV = i8x16.splat(10), ZV = i8x16.splat(0), CRV = i8x16.splat(13), E2V = i8x16.splat(<i8>0xe2);
  for (let q = p, o = masks; q < e; q += 64, o += 16) {
    const v0 = v128.load(<usize>q), v1 = v128.load(<usize>q, 16), v2 = v128.load(<usize>q, 32), v3 = v128.load(<usize>q, 48);
    const nl = <u64><u32>i8x16.bitmask(i8x16.eq(v0, NLV)) | (<u64><u32>i8x16.bitmask(i8x16.eq(v1, NLV)) << 16) |
      (<u64><u32>i8x16.bitmask(i8x16.eq(v2, NLV)) << 32) | (<u64><u32>i8x16.bitmask(i8x16.eq(v3, NLV)) << 48);
    const s0 = v128.or(v128.or(i8x16.eq(v0, ZV), i8x16.eq(v0, CRV)), i8x16.eq(v0, E2V));
    const s1 = v128.or(v128.or(i8x16.eq(v1, ZV), i8x16.eq(v1, CRV)), i8x16.eq(v1, E2V));
    const s2 = v128.or(v128.or(i8x16.eq(v2, ZV), i8x16.eq(v2, CRV)), i8x16.eq(v2, E2V));
    const s3 = v128.or(v128.or(i8x16.eq(v3, ZV), i8x16.eq(v3, CRV)), i8x16.eq(v3, E2V));
    const sp = <u64><u32>i8x16.bitmask(s0) | (<u64><u32>i8x16.bitmask(s1) << 16) | (<u64><u32>i8x16.bitmask(s2) << 32) | (<u64><u32>i8x16.bitmask(s3) << 48);
    store<u64>(<usize>o, nl);
    store<u64>(<usize>o, sp, 8);
  }
}

@inline function emit(out: i32, r: i32, kind: i32, count: i32, start: i32, year: i32): void {
  const q = <usize>(out + 16 * r);
  store<i32>(q, kind);
  store<i32>(q + 4, count);
  store<i32>(q + 8, start);
  store<i32>(q + 12, year);
}

/**
 * The runs of [p, e) (whole lines, each ending with \n; 64 readable bytes after e) written at
 * out as Int32 quads [kind, lines, start - p, year]; leading: the classifier's afterLeading before
 * the first line; hits: markerWords' list of [p, e), hitCount long. Returns the line count; runs() and afterLeading() give the rest.
 */
export function classify(p: i32, e: i32, leading: i32, out: i32, hits: i32, hitCount: i32, masks: i32): i32 {
  let h = 0;
  let after = leading != 0;
  let lines = 0, r = 0, kind = -1, count = 0, start = 0, year = -1;
  let ls = p;
  while (ls < e) {
    const c0 = at(ls);
    if (c0 == 10 || c0 == 0x20 || c0 == 9 || c0 == 13) {
      const n = blankLines(ls, e);
      if (n > 0) {
        if (kind == BLANK) count += n;
        else {
          if (count > 0) emit(out, r++, kind, count, start - p, year);
          kind = BLANK;
          count = n;
          start = ls;
        }
        year = -1;
        lines += n;
        ls = blankEnd;
        continue;
      }
    }
    // The \n, and the first NUL, CR or 0xE2 from ls on, from byteMasks' bits.
    const off = ls - p;
    let b = off >> 6;
    let m = load<u64>(<usize>(masks + (b << 4))) >> <u64>(off & 63);
    let nl: i32;
    if (m != 0) nl = ls + <i32>ctz(m);
    else {
      do m = load<u64>(<usize>(masks + (++b << 4))); while (m == 0);
      nl = p + (b << 6) + <i32>ctz(m);
    }
    let special = 0x7fffffff;
    let sb = off >> 6;
    let sm = load<u64>(<usize>(masks + (sb << 4) + 8)) >> <u64>(off & 63);
    if (sm != 0) special = ls + <i32>ctz(sm);
    else {
      while (sb < b && (sm = load<u64>(<usize>(masks + (++sb << 4) + 8))) == 0);
      if (sm != 0) special = p + (sb << 6) + <i32>ctz(sm);
    }
    const end = nl > ls && at(nl - 1) == 13 ? nl - 1 : nl; // decodeLine drops a final CR
    while (h < hitCount && load<i32>(<usize>(hits + 4 * h)) < ls) h++;
    const prefixed = special >= end && !(h < hitCount && load<i32>(<usize>(hits + 4 * h)) < end) && readBytePrefix(ls, end);
    const from = pMsgFrom;
    const table = prefixed && taskTableLine(from, end);
    const k = prefixed && !table && !after && !reportStartWord(from, end) && visibleFrom(from, end) &&
      (end - ls < FOLD_MIN_LENGTH || !mayBeFolded(from, end)) ? pFormat : DECODE;
    after = (k == DECODE && (!prefixed || table)) || nl - ls >= longBytes;
    if (k == kind) count++;
    else {
      if (count > 0) emit(out, r++, kind, count, start - p, year);
      kind = k;
      count = 1;
      start = ls;
    }
    year = k == DECODE ? -1 : pYear;
    ls = nl + 1;
    lines++;
  }
  if (count > 0) emit(out, r++, kind, count, start - p, year);
  runCount = r;
  leadingOut = after ? 1 : 0;
  return lines;
}
