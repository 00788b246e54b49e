import type { StackFrame } from '../../../model/kernel-incidents.js';

/**
 * An OOM report's call trace kept packed: one number per frame (which frame, which line) instead
 * of a 5-field object (64 bytes each: ≈ 1.1 KB of a memcg OOM report's ≈ 3.4 KB, issue 10). A
 * flapping node prints the same few dozen frames in every report, so the frames themselves (name,
 * offset, module, "?") are kept once, in a table that only grows with distinct frames (each one of
 * them is in some report, so it never holds more than the reports would).
 *
 * The incident keeps `callTrace` as a property like any other (same place among its keys, the
 * same JSON): an accessor, shared by every incident, that gives a fresh array of frames with the
 * keys in the parser's order. Rules read it; nothing writes into a frame after parsing (a frame
 * is the same object only within one read of `callTrace`).
 */
const STORE = Symbol('callTrace');
const KEY_ORDER = 'fn,offset,module,unreliable,line';
const LINE_SPAN = 2 ** 32;

type Tuple = Omit<StackFrame, 'line'>;
/**
 * The frames' numbers in `tuples` by function name: a list (one per offset, module and "?" seen
 * with it, most names have one), compared field by field. A key string built and hashed per frame
 * cost more than the rest of the packing (issue 10); the names are the parser's shared copies.
 */
const ids = new Map<string, number[]>();
/** Variants of one function name kept (a list scanned per frame): past it, a new one stays unpacked. */
const MAX_VARIANTS = 64;
const tuples: Tuple[] = [];
/**
 * The table lives as long as the process (packed incidents point into it), so in a long-running
 * user of the library it is capped: past this many distinct frames, new traces stay unpacked
 * (frame objects, as parsed), which costs memory per incident again but never grows the table.
 */
export const MAX_DISTINCT_FRAMES = 1 << 20;

type Holder = { [STORE]: StackFrame[] | number[] };

/** Packed: numbers; as parsed: frame objects (an empty trace is both). */
const isPacked = (v: StackFrame[] | number[]): v is number[] => v.length > 0 && typeof v[0] === 'number';

function get(this: Holder): StackFrame[] {
  const v = this[STORE];
  if (!isPacked(v)) return v;
  const out: StackFrame[] = [];
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    const line = x % LINE_SPAN;
    const t = tuples[(x - line) / LINE_SPAN];
    out.push({ fn: t.fn, offset: t.offset, module: t.module, unreliable: t.unreliable, line });
  }
  return out;
}

function set(this: Holder, frames: StackFrame[]): void {
  this[STORE] = frames;
}

/**
 * Gives `inc` its `callTrace` property (holding `frames` as they are until packFrames), at the
 * place among its keys where it is called.
 */
export function defineCallTrace(inc: object, frames: StackFrame[]): void {
  // Not enumerable: a test's deepEqual and JSON see `callTrace` only.
  Object.defineProperty(inc, STORE, { value: frames, writable: true, enumerable: false, configurable: false });
  Object.defineProperty(inc, 'callTrace', { get, set, enumerable: true, configurable: false });
}

let maxDistinct = MAX_DISTINCT_FRAMES;

const KEYS = KEY_ORDER.split(',');

/** Its own keys, in the parser's order, with the types the parser gives them (no array of keys made). */
function parserShaped(f: StackFrame): boolean {
  let i = 0;
  for (const k in f) if (!Object.hasOwn(f, k) || k !== KEYS[i++]) return false;
  return i === KEYS.length && typeof f.fn === 'string' && (f.offset === null || typeof f.offset === 'string') &&
    (f.module === null || typeof f.module === 'string') && typeof f.unreliable === 'boolean' &&
    Number.isInteger(f.line) && f.line >= 0 && f.line < LINE_SPAN;
}

/** The frame's number in `tuples`, or undefined. */
function idOf(list: readonly number[], f: StackFrame): number | undefined {
  for (const id of list) {
    const t = tuples[id];
    if (t.offset === f.offset && t.module === f.module && t.unreliable === f.unreliable) return id;
  }
  return undefined;
}

/** For tests: a smaller cap (the table's current size included). */
export function capDistinctFramesForTest(n: number): void {
  maxDistinct = n;
}

/**
 * Packs the call trace of an incident made with defineCallTrace, once it is final; else does
 * nothing. True when the trace is packed (or was already): false when the incident has no such
 * trace, or its trace stays as parsed (a frame not as the parser builds it, a full table).
 */
export function packFrames(inc: object): boolean {
  if (!(STORE in inc)) return false;
  const h = inc as Holder;
  const frames = h[STORE];
  if (isPacked(frames)) return true;
  const packed: number[] = [];
  for (const f of frames) {
    // Only a frame exactly as the parser builds it: anything else stays as it is.
    if (!parserShaped(f)) return false;
    let list = ids.get(f.fn);
    let id = list && idOf(list, f);
    if (id === undefined) {
      // The table is full (or this name has too many variants): this trace stays as parsed.
      if (tuples.length >= maxDistinct || (list && list.length >= MAX_VARIANTS)) return false;
      if (!list) ids.set(f.fn, (list = []));
      list.push((id = tuples.length));
      tuples.push({ fn: f.fn, offset: f.offset, module: f.module, unreliable: f.unreliable });
    }
    packed.push(id * LINE_SPAN + f.line);
  }
  h[STORE] = packed.slice(); // exact length
  return true;
}
