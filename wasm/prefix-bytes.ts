/**
 * Port of src/read/prefix-bytes.ts (the REFERENCE: same answers for any bytes, held to it by
 * test/read/line-class-wasm.test.ts): the kernel prefixes the fast reader may count, on raw bytes.
 * Reads stay within the line and its \n, as there; the memos' vector loads read up to 31 bytes
 * further (the host pads the region).
 */
import { asciiSpace, at, digit, digits, spaces, visible } from './bytes';

const F_DMESG: i32 = 0, F_DMESG_T: i32 = 1, F_KMSG: i32 = 2, F_SYSLOG: i32 = 3, F_SYSLOG_ISO: i32 = 4;

// What the last readBytePrefix that said yes found (the reference's BytePrefix).
export let pFormat: i32 = 0;
export let pMsgFrom: i32 = 0;
export let pYear: i32 = -1;

export function initPrefix(): void {
  memo = <i32>heap.alloc(32);
  memoLen = 0;
  shape = <i32>heap.alloc(64);
  shapeLen = 0;
}

/**
 * The last SYSLOG / SYSLOG_ISO line readBytePrefix said yes to, as a shape: the bytes its parse
 * read (shapeLen of them from the line start) and which of them are digits. A syslog file repeats
 * "Mon dd hh:mm:ss host kernel: [ s.us] " with other digits on almost every line, and that parse
 * was a third of the classifier's time. It decides on byte classes and exact non-digit bytes
 * only (a digit's value matters nowhere but in the year, which is read again), so a line with,
 * in those positions, the same bytes, or digits where the shape has digits, takes the same path
 * to the same answer. Its bound checks come out the same too: every byte the parse read lay
 * before the line's end except, when nothing follows the tag, the \n (or CR) right after it, and
 * neither is a digit, so a line that matches ends no earlier (and there, where it ended).
 * The JS reference has no such memo; test/read/line-class-wasm.test.ts changes each byte of real
 * prefixes after their own line to hold the two together.
 */
let shape: i32 = 0; // 64 bytes
let shapeLen: i32 = 0; // 0: none
let shapeDigits: u64 = 0;
let shapeFormat: i32 = 0;
let shapeFrom: i32 = 0; // pMsgFrom - line start
/** Set by hostAndTag when it says yes: the end of the bytes it read (-1: unbounded, dmesgT ran). */
let hostReadEnd: i32 = -1;

/** Bit k set: byte s + k is a digit, for k < 64. */
@inline function digits64(s: i32): u64 {
  return digitBits(v128.load(<usize>s)) | (digitBits(v128.load(<usize>s, 16)) << 16) | (digitBits(v128.load(<usize>s, 32)) << 32) | (digitBits(v128.load(<usize>s, 48)) << 48);
}

@inline function digitBits(v: v128): u64 {
  return <u64><u32>i8x16.bitmask(i8x16.le_u(i8x16.sub(v, i8x16.splat(0x30)), i8x16.splat(9)));
}

@inline function eqBits(a: i32, b: i32, o: i32): u64 {
  return <u64><u32>i8x16.bitmask(i8x16.eq(v128.load(<usize>(a + o)), v128.load(<usize>(b + o))));
}

function sameShape(s: i32): bool {
  const need = shapeLen == 64 ? <u64>-1 : (<u64>1 << <u64>shapeLen) - 1;
  const eq = eqBits(s, shape, 0) | (eqBits(s, shape, 16) << 16) | (eqBits(s, shape, 32) << 32) | (eqBits(s, shape, 48) << 48);
  const off = ~eq & need;
  if (off == 0) return true;
  return (off & ~(digits64(s) & shapeDigits)) == 0;
}

function learnShape(s: i32, format: i32): void {
  if (hostReadEnd < 0 || hostReadEnd - s > 64) return;
  shapeLen = hostReadEnd - s;
  shapeFormat = format;
  shapeFrom = pMsgFrom - s;
  for (let o = 0; o < 64; o += 16) v128.store(<usize>(shape + o), v128.load(<usize>(s + o)));
  shapeDigits = digits64(s);
}

/** The four digits at y as a year. */
@inline function year4(y: i32): i32 {
  return (at(y) - 48) * 1000 + (at(y + 1) - 48) * 100 + (at(y + 2) - 48) * 10 + (at(y + 3) - 48);
}

function isMonth(i: i32): bool {
  const k = ((at(i) | 0x20) << 16) | ((at(i + 1) | 0x20) << 8) | (at(i + 2) | 0x20);
  // jan feb mar apr may jun jul aug sep oct nov dec
  return k == 0x6a616e || k == 0x666562 || k == 0x6d6172 || k == 0x617072 || k == 0x6d6179 || k == 0x6a756e ||
    k == 0x6a756c || k == 0x617567 || k == 0x736570 || k == 0x6f6374 || k == 0x6e6f76 || k == 0x646563;
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
  const need = (<u64>1 << <u64>len) - 1; // len <= 32: no overflow in 64 bits
  return ((eqBits(i, memo, 0) | (eqBits(i, memo, 16) << 16)) & need) == need;
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
  hostReadEnd = u != -1 ? u : at(j) == 0x5b ? -1 : j + 1;
  return true;
}

export function readBytePrefix(s: i32, e: i32): bool {
  if (shapeLen != 0 && sameShape(s)) {
    pFormat = shapeFormat;
    pMsgFrom = s + shapeFrom;
    pYear = shapeFormat == F_SYSLOG_ISO ? year4(s) : -1;
    return true;
  }
  const c = at(s);
  pYear = -1;
  if (c == 0x5b) return dmesg(s, e) || dmesgT(s, e);
  if (digit(c)) {
    if (kmsg(s, e)) return true;
    if (!syslogIso(s, e)) return false;
    learnShape(s, F_SYSLOG_ISO);
    return true;
  }
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x7a && s + 4 <= e && isMonth(s) && at(s + 3) == 0x20 && syslog(s, e)) {
    learnShape(s, F_SYSLOG);
    return true;
  }
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
  pYear = year4(y);
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
  pYear = year4(s);
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

