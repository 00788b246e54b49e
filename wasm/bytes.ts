/** Byte tests and runs shared by the wasm classifier's files (positions are addresses in memory). */

@inline export function at(i: i32): i32 { return <i32>load<u8>(<usize>i); }
@inline export function digit(c: i32): bool { return <u32>(c - 0x30) <= 9; }
/** A byte that is surely \S in a JS regex: printable ASCII. */
@inline export function visible(c: i32): bool { return c > 0x20 && c < 0x7f; }
@inline export function asciiSpace(c: i32): bool { return c == 0x20 || (c >= 0x09 && c <= 0x0d); }

/** The end of the run of spaces from i (at most e). */
@inline export function spaces(i: i32, e: i32): i32 {
  while (i < e && at(i) == 0x20) i++;
  return i;
}
/** The end of the run of digits from i (at most e). */
@inline export function digits(i: i32, e: i32): i32 {
  while (i < e && digit(at(i))) i++;
  return i;
}
