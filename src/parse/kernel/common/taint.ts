/**
 * Taint flags (Documentation/admin-guide/tainted-kernels.rst). Each letter stands for one bit;
 * old kernels print a space where a flag is clear, so only the letters matter.
 */
export interface TaintFlag {
  letter: string;
  bit: number;
  meaning: string;
}

export const TAINT_FLAGS: TaintFlag[] = [
  { letter: 'P', bit: 0, meaning: 'a proprietary (non-GPL) module was loaded' },
  { letter: 'G', bit: 0, meaning: 'only GPL-compatible modules are loaded (not a taint by itself)' },
  { letter: 'F', bit: 1, meaning: 'a module was force-loaded' },
  { letter: 'S', bit: 2, meaning: 'the kernel runs on hardware or in a mode it does not support (SMP on an unsafe CPU, or a supported-status flag)' },
  { letter: 'R', bit: 3, meaning: 'a module was force-unloaded' },
  { letter: 'M', bit: 4, meaning: 'a machine check exception (hardware error) happened' },
  { letter: 'B', bit: 5, meaning: 'a bad page was referenced or some unexpected page flags were seen' },
  { letter: 'U', bit: 6, meaning: 'taint requested by a user-space application' },
  { letter: 'D', bit: 7, meaning: 'the kernel died recently (an OOPS or BUG)' },
  { letter: 'A', bit: 8, meaning: 'an ACPI table was overridden by the user' },
  { letter: 'W', bit: 9, meaning: 'the kernel issued a warning (WARN) earlier' },
  { letter: 'C', bit: 10, meaning: 'a staging driver was loaded' },
  { letter: 'I', bit: 11, meaning: 'a workaround for a bug in platform firmware was applied' },
  { letter: 'O', bit: 12, meaning: 'an externally-built (out-of-tree) module was loaded' },
  { letter: 'E', bit: 13, meaning: 'an unsigned module was loaded in a kernel that supports module signatures' },
  { letter: 'L', bit: 14, meaning: 'a soft lockup occurred earlier' },
  { letter: 'K', bit: 15, meaning: 'the kernel has been live-patched' },
  { letter: 'X', bit: 16, meaning: 'an auxiliary taint, defined by the distribution' },
  { letter: 'T', bit: 17, meaning: 'the kernel was built with the struct randomization plugin' },
  { letter: 'N', bit: 18, meaning: 'an in-kernel test (such as a KUnit test) has been run' },
  { letter: 'J', bit: 19, meaning: 'userspace used a mutating debug operation in fwctl' },
];

const BY_LETTER = new Map(TAINT_FLAGS.map((f) => [f.letter, f]));

/** "P W OE" → the flags it sets (G is left out: it means "not proprietary"). */
export function decodeTaint(taint: string | null): TaintFlag[] {
  if (!taint) return [];
  const out: TaintFlag[] = [];
  for (const ch of taint.replace(/\s+/g, '')) {
    const f = BY_LETTER.get(ch);
    if (f && f.letter !== 'G') out.push(f);
  }
  return out;
}
