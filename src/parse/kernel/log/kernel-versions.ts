import type { KernelIncident } from '../../../model/kernel-incidents.js';

/**
 * A report cut before its CPU line (a paste from the `Killed process` line on) still ran on the
 * kernel the other reports of the same boot name. Same boot: uptimes in the order of the lines
 * (a reboot starts them again), or, without uptimes, only one version in the whole input.
 */
export function borrowKernelVersions(incidents: KernelIncident[]): void {
  const known = incidents.filter((i) => 'kernel' in i && i.kernel?.version != null);
  for (const inc of incidents) {
    if (!('kernel' in inc) || !inc.kernel || inc.kernel.version != null) continue;
    const mine = known.filter((k) => k.input === inc.input);
    const oneVersion = new Set(mine.map((k) => k.kernel!.version)).size === 1;
    const sameBoot = (k: KernelIncident): boolean => k.uptimeSec != null && inc.uptimeSec != null
      ? (k.line < inc.line) === (k.uptimeSec <= inc.uptimeSec) : oneVersion;
    const from = mine.filter(sameBoot).sort((a, b) => Math.abs(a.line - inc.line) - Math.abs(b.line - inc.line))[0];
    if (from && 'kernel' in from && from.kernel) inc.kernel = { ...inc.kernel, version: from.kernel.version, versionFromLine: from.line };
  }
}
