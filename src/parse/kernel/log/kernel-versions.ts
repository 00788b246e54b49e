import type { KernelIncident } from '../../../model/kernel-incidents.js';

type Versioned = KernelIncident & { kernel: { version: string } };

/**
 * A report cut before its CPU line (a paste from the `Killed process` line on) still ran on the
 * kernel the other reports of the same boot name. Same boot: uptimes in the order of the lines
 * (a reboot starts them again), or, without uptimes, only one version in the whole input.
 * The source is the nearest such report by line (the earlier one on a tie). The reports that
 * name a version are walked outward from the cut one, nearest first, so a log of thousands of
 * reports costs a few steps per cut report, not a pass over all of them (4,000 reports: 14 s).
 */
export function borrowKernelVersions(incidents: KernelIncident[]): void {
  let byInput: Map<number, Versioned[]> | null = null;
  let oneVersion: Map<number, boolean> | null = null;
  for (const inc of incidents) {
    if (!('kernel' in inc) || !inc.kernel || inc.kernel.version != null) continue;
    if (!byInput || !oneVersion) [byInput, oneVersion] = index(incidents);
    const mine = byInput.get(inc.input);
    if (!mine) continue;
    const one = oneVersion.get(inc.input)!;
    const sameBoot = (k: KernelIncident): boolean => k.uptimeSec != null && inc.uptimeSec != null
      ? (k.line < inc.line) === (k.uptimeSec <= inc.uptimeSec) : one;
    const from = nearest(mine, inc.line, sameBoot);
    if (from) inc.kernel = { ...inc.kernel, version: from.kernel.version, versionFromLine: from.line };
  }
}

/** The reports that name a version, per input, in line order (stable: incidents come sorted). */
function index(incidents: KernelIncident[]): [Map<number, Versioned[]>, Map<number, boolean>] {
  const byInput = new Map<number, Versioned[]>();
  const versions = new Map<number, Set<string>>();
  for (const k of incidents) {
    if (!('kernel' in k) || k.kernel?.version == null) continue;
    const list = byInput.get(k.input) ?? [];
    if (list.length === 0) byInput.set(k.input, list);
    list.push(k as Versioned);
    versions.set(k.input, (versions.get(k.input) ?? new Set()).add(k.kernel.version));
  }
  for (const list of byInput.values()) list.sort((a, b) => a.line - b.line);
  return [byInput, new Map([...versions].map(([i, s]) => [i, s.size === 1]))];
}

/**
 * The first of `list` (sorted by line) that `ok` accepts, in order of distance to `line`; at
 * equal distance the earlier line, and among reports of one line the first listed.
 */
function nearest(list: Versioned[], line: number, ok: (k: KernelIncident) => boolean): Versioned | null {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].line < line) lo = mid + 1;
    else hi = mid;
  }
  let left = lo - 1, right = lo; // left: last index before `line`; right: first at or after it
  while (left >= 0 || right < list.length) {
    const dl = left >= 0 ? line - list[left].line : Infinity;
    const dr = right < list.length ? list[right].line - line : Infinity;
    if (dl <= dr) {
      let g = left; // the reports of that line, checked in list order
      while (g > 0 && list[g - 1].line === list[left].line) g--;
      for (let i = g; i <= left; i++) if (ok(list[i])) return list[i];
      left = g - 1;
    } else {
      const at = list[right].line;
      for (; right < list.length && list[right].line === at; right++) if (ok(list[right])) return list[right];
    }
  }
  return null;
}
