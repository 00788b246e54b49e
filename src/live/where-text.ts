import { formatKb } from '../model/units.js';
import { terminalSafe } from '../report/terminal-safe.js';
import type { Breakdown, Child, Part } from './breakdown.js';
import type { ReadFailure } from './reader.js';

const BAR = 30;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `BAR` cells in eighths, so 0.4 % still shows as a sliver rather than nothing. */
export function bar(fraction: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  const eighths = Math.round(f * BAR * 8);
  if (eighths === 0 && f > 0) return '▏';
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

function pct(kb: number, totalKb: number): string {
  return `${((kb / totalKb) * 100).toFixed(1)}%`.padStart(6);
}

function childLines(kids: Child[] | undefined, max: number, totalKb: number): string[] {
  if (!kids || kids.length === 0) return [];
  const shown = kids.slice(0, max);
  const out = shown.map((c) => `      ${formatKb(c.kb).padStart(10)} ${pct(c.kb, totalKb)}  ${c.name}`);
  if (kids.length > max) out.push(`      … ${kids.length - max} more (--top ${kids.length} or --format json)`);
  return out;
}

/** What to say first: is the memory explained, and if not, by whom might it be held. */
export function headline(b: Breakdown): string {
  const un = b.parts.find((p) => p.name === 'unaccounted')!;
  const share = un.kb / b.totalKb;
  const big = [...b.parts].filter((p) => p.name !== 'unaccounted').sort((x, y) => y.kb - x.kb)[0];
  const top = `Largest: ${big.label} ${formatKb(big.kb)} (${pct(big.kb, b.totalKb).trim()}).`;
  // A meminfo without a counter the sum needs (an older kernel's): the remainder holds that counter
  // too, so it says nothing about hidden memory, small or large.
  if (un.missing?.length) return `${top} Unaccounted: cannot tell — /proc/meminfo lacks ${un.missing.join(', ')}, so MemTotal minus the counters shown (${formatKb(un.kb)}) is no measure of memory held outside them.`;
  if (un.kb < 0) return `${top} The counters add up to more than MemTotal by ${formatKb(-un.kb)}: they overlap (see the note under unaccounted).`;
  if (share < 0.02) return `${top} Unaccounted ${formatKb(un.kb)} (${pct(un.kb, b.totalKb).trim()}): the kernel's counters explain this machine's memory.`;
  const named = (un.suspects ?? []).slice(0, 3).map((s) => s.name).join(', ');
  return `!! ${formatKb(un.kb)} (${pct(un.kb, b.totalKb).trim()} of MemTotal) is in no kernel counter: held by a driver or taken by the hypervisor. ${named ? `Suspects: ${named}.` : 'No known suspect found: check /proc/modules and dmesg for GPU, RDMA or balloon drivers.'}`;
}

function partLines(p: Part, b: Breakdown, maxChildren: number): string[] {
  const head = `  ${p.label.padEnd(34)} ${formatKb(p.kb).padStart(10)} ${pct(p.kb, b.totalKb)}  ${bar(p.kb / b.totalKb)}`;
  const out = [head];
  if (p.name === 'anon' && p.cgroups && p.cgroups.length > 0) {
    out.push('      by process:');
    for (const l of childLines(p.children, maxChildren, b.totalKb)) out.push(l);
    out.push('      by memory cgroup (own usage):');
    for (const l of childLines(p.cgroups, maxChildren, b.totalKb)) out.push(l);
  } else {
    // Appended one by one: `--top` may ask for every one of 100,000 processes.
    for (const l of childLines(p.children, maxChildren, b.totalKb)) out.push(l);
  }
  for (const s of p.suspects ?? []) {
    const kb = s.kb == null ? '' : ` ${s.estimate ? '≈' : ''}${formatKb(s.kb)}`;
    out.push(`      suspect: ${s.name}${kb} — ${s.evidence}; ${s.why}`);
  }
  if (p.note) out.push(`      note: ${p.note}`);
  return out;
}

/** The text of `memtriage where`: a headline, then one bar per part, biggest first, unaccounted last. */
export function renderWhereText(b: Breakdown, failures: ReadFailure[], maxChildren = 5): string {
  const lines = [`Memory of this machine: ${formatKb(b.totalKb)} (MemTotal), page size ${b.pageSizeKb} KiB`, headline(b), ''];
  const ordered = [...b.parts.filter((p) => p.name !== 'unaccounted').sort((x, y) => y.kb - x.kb), b.parts.find((p) => p.name === 'unaccounted')!];
  for (const p of ordered) for (const l of partLines(p, b, maxChildren)) lines.push(l);
  const sum = b.parts.reduce((a, p) => a + p.kb, 0);
  lines.push('', `  ${'total'.padEnd(34)} ${formatKb(sum).padStart(10)}  (= MemTotal ${b.totalKb} kB)`);
  for (const n of b.notes) lines.push(`note: ${n}`);
  if (failures.length > 0) {
    const byCode = new Map<string, ReadFailure[]>();
    for (const f of failures) {
      const list = byCode.get(f.code);
      if (list) list.push(f);
      else byCode.set(f.code, [f]);
    }
    for (const [code, fs] of byCode) {
      const eg = fs.slice(0, 3).map((f) => f.path).join(', ');
      lines.push(`could not read ${fs.length} file(s) (${code}): ${eg}${fs.length > 3 ? ', …' : ''}${code === 'EACCES' ? ' — permission denied (other users\' processes need root; some stay closed even to root)' : ''}`);
    }
  }
  // Process names and paths come from this machine: a process may name itself with ESC bytes.
  return terminalSafe(lines.join('\n')) + '\n';
}
