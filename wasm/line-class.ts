/**
 * AssemblyScript port of the fast reader's line classifier (src/read/line-class.ts, which stays
 * the REFERENCE: this file must give exactly its runs and its afterLeading for any bytes;
 * test/read/line-class-wasm.test.ts compares the two). Built by `npm run build:wasm` into
 * dist/src/read/line-class.wasm and loaded by src/read/line-class-wasm.ts. The word lists (scan
 * needles, task-table tail words, report start words) stay in TypeScript and are copied into this
 * module's memory by init(), so a new report kind needs no change here.
 *
 * Positions are byte addresses in this module's memory (i32). Every read stays within the line
 * being classified and its \n, as in the reference, except the 16-byte vector loads, for which the
 * caller leaves 64 bytes of padding after the region.
 */

const DECODE: i32 = 255;
const BLANK: i32 = 253;
const FOLD_MIN_LENGTH: i32 = 160;
const F_DMESG: i32 = 0, F_DMESG_T: i32 = 1, F_KMSG: i32 = 2, F_SYSLOG: i32 = 3, F_SYSLOG_ISO: i32 = 4;

// Tables init() receives (addresses in this memory, laid out by line-class-wasm.ts).
let tags: i32 = 0; // Uint8[1 << bits]: the first byte of the slot's key, 0 for an empty slot
let shift: u32 = 0; // 32 - bits
let mul: i32 = 0;
let slots: i32 = 0; // Int32[(1 << bits) + 1]: entries of slot k are [slots[k], slots[k + 1])
let entries: i32 = 0; // Int32 pairs: needle index, window offset
let needles: i32 = 0; // Int32 triples: byte address, length, anyCase
let tails: i32 = 0; // Int32 triples: byte address, length, digitAfter
let tailCount: i32 = 0;
let starts: i32 = 0; // Int32 pairs: byte address, length
let startCount: i32 = 0;
let longBytes: i32 = 0; // a line this long was a worker's LONG line (afterLeading)
let firstTail: i32 = 0; // 256 bytes: 1 where a tail word starts with that byte
let firstStart: i32 = 0; // 256 bytes: 1 where a message start word starts with that byte

// What the last readBytePrefix found (the reference's BytePrefix).
let pFormat: i32 = 0;
let pMsgFrom: i32 = 0;
let pYear: i32 = -1;
// Results of classify besides its line count.
let runCount: i32 = 0;
let leadingOut: i32 = 0;
let blankEnd: i32 = 0;

export function alloc(size: i32): i32 {
  return <i32>heap.alloc(<usize>size);
}

export function init(k: i32, bits: i32, m: i32, sl: i32, en: i32, ne: i32, ta: i32, tc: i32, st: i32, sc: i32, long: i32): void {
  shift = <u32>(32 - bits);
  tags = alloc(1 << bits);
  for (let slot = 0; slot < 1 << bits; slot++) {
    const used = load<i32>(<usize>(sl + 4 * slot + 4)) > load<i32>(<usize>(sl + 4 * slot));
    store<u8>(<usize>(tags + slot), used ? <u8>load<i32>(<usize>(k + 4 * slot)) : 0);
  } mul = m; slots = sl; entries = en; needles = ne;
  tails = ta; tailCount = tc; starts = st; startCount = sc; longBytes = long;
  memo = alloc(32);
  memoLen = 0;
  firstTail = alloc(256);
  firstStart = alloc(256);
  memory.fill(<usize>firstTail, 0, 256);
  memory.fill(<usize>firstStart, 0, 256);
  for (let t = 0; t < tc; t++) store<u8>(<usize>(firstTail + at(load<i32>(<usize>(ta + 12 * t)))), 1);
  for (let t = 0; t < sc; t++) store<u8>(<usize>(firstStart + at(load<i32>(<usize>(st + 8 * t)))), 1);
}

export function runs(): i32 { return runCount; }
export function afterLeading(): i32 { return leadingOut; }

@inline function at(i: i32): i32 { return <i32>load<u8>(<usize>i); }
@inline function digit(c: i32): bool { return <u32>(c - 0x30) <= 9; }
/** A byte that is surely \S in a JS regex: printable ASCII. */
@inline function visible(c: i32): bool { return c > 0x20 && c < 0x7f; }
@inline function asciiSpace(c: i32): bool { return c == 0x20 || (c >= 0x09 && c <= 0x0d); }

function isMonth(i: i32): bool {
  const k = ((at(i) | 0x20) << 16) | ((at(i + 1) | 0x20) << 8) | (at(i + 2) | 0x20);
  // jan feb mar apr may jun jul aug sep oct nov dec
  return k == 0x6a616e || k == 0x666562 || k == 0x6d6172 || k == 0x617072 || k == 0x6d6179 || k == 0x6a756e ||
    k == 0x6a756c || k == 0x617567 || k == 0x736570 || k == 0x6f6374 || k == 0x6e6f76 || k == 0x646563;
}
@inline function spaces(i: i32, e: i32): i32 {
  while (i < e && at(i) == 0x20) i++;
  return i;
}
@inline function digits(i: i32, e: i32): i32 {
  while (i < e && digit(at(i))) i++;
  return i;
}
/** "hh:mm:ss" at i → index after it, or -1. */
function hms(i: i32, e: i32): i32 {
  if (i + 8 > e) return -1;
  // One 8-byte load: colons at 2 and 5; every byte (colons made "0") has high nibble 3 and stays
  // so with 6 added (0x30 … 0x39; no carry leaves a byte that passed the first test).
  const x = load<u64>(<usize>i);
  if ((x & 0x0000ff0000ff0000) != 0x00003a00003a0000) return -1;
  const y = (x & 0xffff00ffff00ffff) | 0x0000300000300000;
  if ((y & 0xf0f0f0f0f0f0f0f0) != 0x3030303030303030 || ((y + 0x0606060606060606) & 0xf0f0f0f0f0f0f0f0) != 0x3030303030303030) return -1;
  return i + 8;
}
/** " kernel: " at i. */
function kernelTag(i: i32, e: i32): bool {
  if (i + 9 > e) return false;
  return load<u64>(<usize>i) == 0x3a6c656e72656b20 && at(i + 8) == 0x20; // " kernel:" little-endian, then " "
}

/** "[  12.345678]" at i → index after "]", or -1. */
function uptime(i: i32, e: i32): i32 {
  if (at(i) != 0x5b) return -1;
  let j = spaces(i + 1, e);
  const d = j;
  j = digits(j, e);
  if (j == d || at(j) != 0x2e) return -1;
  const f = j + 1;
  j = digits(f, e);
  return j > f && at(j) == 0x5d ? j + 1 : -1;
}

/**
 * The bytes " host tag:" + the byte after the colon that hostAndTag last read through, and where
 * that left j: a syslog file repeats them on every line. Those loops read only these bytes (all
 * before e), so a line with the same bytes there, also before its e, takes the same path to the
 * same j; the rest (uptime, the inner stamp) is read as usual. 0 = none; at most 32 bytes.
 */
let memo: i32 = 0; // 32 bytes
let memoLen: i32 = 0;
let memoJ: i32 = 0;

/** The first len (1 … 32) bytes at i equal those at memo. */
@inline function sameBytes(i: i32, len: i32): bool {
  const lo = i8x16.bitmask(i8x16.eq(v128.load(<usize>i), v128.load(<usize>memo)));
  const hi = i8x16.bitmask(i8x16.eq(v128.load(<usize>i, 16), v128.load(<usize>memo, 16)));
  const need = len == 32 ? -1 : (1 << len) - 1;
  return ((lo | (hi << 16)) & need) == need;
}

/** " host tag: [uptime] " after a syslog timestamp (SYSLOG / SYSLOG_ISO), setting pMsgFrom. */
function hostAndTag(i: i32, e: i32): bool {
  let j: i32;
  if (memoLen > 0 && i + memoLen - 1 < e && sameBytes(i, memoLen)) j = i + memoJ;
  else {
    if (at(i) != 0x20) return false;
    j = spaces(i, e);
    const h = j;
    while (j < e && visible(at(j))) j++;
    if (j == h || at(j) != 0x20 || at(j - 1) == 0x3a) return false;
    j = spaces(j, e);
    const t = j;
    if (at(t) == 0x3c) return false;
    while (j < e && at(j) != 0x3a) {
      if (!visible(at(j))) return false;
      j++;
    }
    if (j == t || j >= e) return false;
    j++;
    // Read so far: [i, j], the byte at j only when j < e.
    if (j < e && j - i + 1 <= 32) {
      memoLen = j - i + 1;
      v128.store(<usize>memo, v128.load(<usize>i));
      v128.store(<usize>memo, v128.load(<usize>i, 16), 16);
    } else memoLen = 0;
    if (j < e && asciiSpace(at(j))) j++;
    memoJ = j - i;
  }
  const u = uptime(j, e);
  // (dmesgT sets the p* globals only when it says yes, and then this prefix is refused.)
  if (u == -1 && at(j) == 0x5b && dmesgT(j, e)) return false;
  pMsgFrom = u == -1 ? j : u;
  return true;
}

function readBytePrefix(s: i32, e: i32): bool {
  const c = at(s);
  pYear = -1;
  if (c == 0x5b) return dmesg(s, e) || dmesgT(s, e);
  if (digit(c)) return kmsg(s, e) || syslogIso(s, e);
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x7a && s + 4 <= e && isMonth(s) && at(s + 3) == 0x20) return syslog(s, e);
  return false;
}

function dmesg(s: i32, e: i32): bool {
  const u = uptime(s, e);
  if (u == -1) return false;
  let j = u;
  if (j < e && at(j) >= 0x80) return false;
  if (j < e && asciiSpace(at(j))) j++;
  let k = j;
  while (k < e && visible(at(k))) k++;
  if (k < e && at(k) != 0x20 && !asciiSpace(at(k))) return false;
  if (k > j && kernelTag(k, e)) return false;
  if (at(j) == 0x5b && dmesgT(j, e)) return false;
  pFormat = F_DMESG;
  pMsgFrom = u;
  return true;
}

function dmesgT(s: i32, e: i32): bool {
  let j = s + 1;
  while (j < e && visible(at(j))) j++;
  if (j == s + 1 || at(j) != 0x20) return false;
  j = spaces(j, e);
  if (j + 4 > e || !isMonth(j) || at(j + 3) != 0x20) return false;
  j = spaces(j + 3, e);
  const d = j;
  j = digits(j, e);
  if (j == d || j - d > 2 || at(j) != 0x20) return false;
  j = hms(spaces(j, e), e);
  if (j == -1 || at(j) != 0x20) return false;
  j = spaces(j, e);
  const y = j;
  j = digits(j, e);
  if (j - y != 4 || at(j) != 0x5d || at(y) == 0x30) return false;
  pFormat = F_DMESG_T;
  pMsgFrom = j + 1;
  pYear = (at(y) - 48) * 1000 + (at(y + 1) - 48) * 100 + (at(y + 2) - 48) * 10 + (at(y + 3) - 48);
  return true;
}

function kmsg(s: i32, e: i32): bool {
  let j = s;
  for (let field = 0; field < 3; field++) {
    const d = j;
    j = digits(j, e);
    if (j == d || at(j) != 0x2c) return false;
    j++;
  }
  while (j < e && at(j) != 0x3b) j++;
  if (j >= e) return false;
  pFormat = F_KMSG;
  pMsgFrom = j + 1;
  return true;
}

function syslogIso(s: i32, e: i32): bool {
  if (s + 19 > e) return false;
  for (let k = 0; k < 10; k++) {
    const c = at(s + k);
    if (k == 4 || k == 7 ? c != 0x2d : !digit(c)) return false;
  }
  if (at(s + 10) != 0x54 || hms(s + 11, e) == -1) return false;
  let j = s + 19;
  if (at(j) == 0x2e || at(j) == 0x2c) {
    const f = ++j;
    j = digits(j, e);
    if (j == f) return false;
  }
  if (at(j) == 0x5a) j++;
  else if (at(j) == 0x2b || at(j) == 0x2d) {
    if (!digit(at(j + 1)) || !digit(at(j + 2))) return false;
    j += at(j + 3) == 0x3a ? 4 : 3;
    if (!digit(at(j)) || !digit(at(j + 1))) return false;
    j += 2;
  }
  if (!hostAndTag(j, e)) return false;
  pFormat = F_SYSLOG_ISO;
  pYear = (at(s) - 48) * 1000 + (at(s + 1) - 48) * 100 + (at(s + 2) - 48) * 10 + (at(s + 3) - 48);
  return true;
}

function syslog(s: i32, e: i32): bool {
  let j = spaces(s + 3, e);
  const d = j;
  j = digits(j, e);
  if (j == d || j - d > 2 || at(j) != 0x20) return false;
  j = hms(spaces(j, e), e);
  if (j == -1) return false;
  if (at(j) == 0x2e) {
    const f = ++j;
    j = digits(j, e);
    if (j == f) return false;
  }
  if (!hostAndTag(j, e)) return false;
  pFormat = F_SYSLOG;
  return true;
}

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
  if (load<u8>(<usize>(firstTail + c)) == 0) return false;
  for (let t = 0; t < tailCount; t++) {
    const p = tails + 12 * t;
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
