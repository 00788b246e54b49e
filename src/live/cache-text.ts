import { formatKb } from '../model/units.js';
import { terminalSafe } from '../report/terminal-safe.js';
import type { Residency } from './residency.js';

/** `memtriage cache` as text: the hcache/pcstat table, biggest cached first, and a total line. */
export function renderCacheText(files: Residency[], pageSize: number, opts: { truncatedFrom?: number } = {}): string {
  const evicted = files.some((f) => f.recentlyEvictedPages != null);
  const w = Math.min(72, files.reduce((m, f) => Math.max(m, f.path.length), 4));
  const head = ['Path'.padEnd(w), 'Size'.padStart(11), 'Pages'.padStart(9), 'Cached'.padStart(9), 'Percent'.padStart(8)];
  if (evicted) head.push('Evicted'.padStart(9));
  const lines = [head.join(' ')];
  for (const f of files) {
    const path = f.path.length > w ? '…' + f.path.slice(f.path.length - w + 1) : f.path.padEnd(w);
    const row = [path, formatKb(Math.ceil(f.sizeBytes / 1024)).padStart(11), String(f.pages).padStart(9)];
    // Never a number the kernel would not give: mincore's answer for such files is an invented 100 %.
    if (f.cachedPages == null || f.percent == null) row.push(`unknown (${f.unknown ?? 'not measured'})`.padStart(18));
    else row.push(String(f.cachedPages).padStart(9), `${f.percent.toFixed(1)}%`.padStart(8));
    if (evicted) row.push(String(f.recentlyEvictedPages ?? '').padStart(9));
    lines.push(row.join(' '));
  }
  const known = files.filter((f) => f.cachedPages != null);
  const pages = known.reduce((a, f) => a + f.pages, 0);
  const cached = known.reduce((a, f) => a + (f.cachedPages ?? 0), 0);
  const pageKb = pageSize / 1024;
  const shown = opts.truncatedFrom && opts.truncatedFrom > files.length ? `top ${files.length} of ${opts.truncatedFrom} files` : `${files.length} files`;
  const unknown = files.length - known.length;
  lines.push(`${shown}: ${formatKb(pages * pageKb)} in ${pages} pages, ${formatKb(cached * pageKb)} cached (${pages ? ((cached / pages) * 100).toFixed(1) : '0.0'}%)` +
    (unknown ? `; ${unknown} file${unknown === 1 ? '' : 's'} unknown (not counted)` : ''));
  if (unknown) lines.push('unknown (not permitted): the kernel does not tell this user about the page cache of files it cannot write (cachestat refuses; mincore would claim 100 %). Run as root, or as the files\' owner.');
  if (evicted) lines.push('Evicted: pages evicted recently enough that reading them again counts as a refault (cachestat); many on a program\'s own binary and libraries means it is thrashing.');
  // File names may hold control bytes (a file named with ESC sequences): shown escaped.
  return terminalSafe(lines.join('\n')) + '\n';
}
