import type { LockStatus } from './locker.js';

const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

/** `guard --status`'s lock part: what is locked for whom, what did not fit and why, the budget. */
export function renderLockStatus(s: LockStatus, topN = 20): string {
  const out: string[] = [];
  out.push(`locked: ${mib(s.lockedBytes)} of a ${mib(s.budgetBytes)} budget in ${s.files.length} file${s.files.length === 1 ? '' : 's'}`);
  const running = s.daemons.filter((d) => d.pids.length > 0);
  const absent = s.daemons.filter((d) => d.pids.length === 0).map((d) => d.name);
  for (const d of running) out.push(`  ${d.name}: pid ${d.pids.slice(0, 8).join(', ')}${d.pids.length > 8 ? ` and ${d.pids.length - 8} more` : ''}`);
  if (absent.length > 0) out.push(`  not running here: ${absent.join(', ')}`);
  const files = [...s.files].sort((a, b) => b.bytes - a.bytes);
  for (const f of files.slice(0, topN)) out.push(`  ${mib(f.bytes).padStart(10)}  ${f.path}  (${f.daemons.join(', ')})`);
  if (files.length > topN) out.push(`  ${mib(files.slice(topN).reduce((a, f) => a + f.bytes, 0)).padStart(10)}  ${files.length - topN} more files`);
  if (s.skipped.length > 0) {
    out.push(`not locked: ${s.skipped.length} file${s.skipped.length === 1 ? '' : 's'}, ${mib(s.skipped.reduce((a, f) => a + f.bytes, 0))}`);
    for (const k of s.skipped.slice(0, topN)) out.push(`  ${mib(k.bytes).padStart(10)}  ${k.path}: ${k.reason}`);
  }
  if (s.refreshedAtMs == null) out.push('  (not refreshed yet)');
  return out.join('\n') + '\n';
}
