import { intern } from '../common/intern.js';
import type { ProcessTable, TaskRow } from '../../../model/kernel-incidents.js';

/**
 * The OOM report's task table. Its columns changed across kernels, so rows are read by the
 * header actually printed:
 *   2.6.25–2.6.35 (vanilla 2.6.32)  [ pid ]   uid  tgid total_vm      rss cpu oom_adj name
 *   2.6.36–2.6.38, RHEL 6's 2.6.32    [ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name
 *   3.x (seen on 3.10)  [ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name
 *   4.x (seen on 4.4, 4.9)  [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name
 *   4.15+   [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
 *   6.8+    [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name
 * total_vm, rss and rss_* are in pages; pgtables_bytes in bytes.
 */
const HEADER_RE = /^\s*\[\s*pid\s*\]\s+(.*\bname)\s*$/;
const ROW_RE = /^\s*\[\s*(\d+)\]\s+(.*)$/;

const FIELD: Record<string, keyof TaskRow> = {
  uid: 'uid', tgid: 'tgid', total_vm: 'totalVmPages', rss: 'rssPages', rss_anon: 'rssAnonPages',
  rss_file: 'rssFilePages', rss_shmem: 'rssShmemPages', pgtables_bytes: 'pgtablesBytes', nr_ptes: 'nrPtes',
  swapents: 'swapEntries', oom_adj: 'oomAdj', oom_score_adj: 'oomScoreAdj',
};

/**
 * A table pasted without its header line (`grep -A` from a row, a cut paste): the layout is told
 * by the number of numeric columns. Columns two layouts disagree on are "?" and read as unknown:
 *   6 numbers: 2.6.25–2.6.35 (cpu oom_adj);
 *   7 numbers: 2.6.36–2.6.38 and RHEL 6 (cpu oom_adj), 3.x (nr_ptes swapents) and 4.15+ (pgtables_bytes swapents)
 *              share uid tgid total_vm rss … oom_score_adj;
 *   8 numbers: 4.9 (nr_ptes nr_pmds swapents);  10 numbers: 6.8+ (rss_anon rss_file rss_shmem).
 */
function columnsWithoutHeader(rest: string): string[] | null {
  const parts = rest.trim().split(/\s+/);
  let n = 0;
  while (n < parts.length && /^-?\d+$/.test(parts[n])) n++;
  if (n === parts.length) return null; // no name: not a task row
  switch (n) {
    case 6: return ['uid', 'tgid', 'total_vm', 'rss', 'cpu', 'oom_adj', 'name'];
    case 7: return ['uid', 'tgid', 'total_vm', 'rss', '?', '?', 'oom_score_adj', 'name'];
    case 8: return ['uid', 'tgid', 'total_vm', 'rss', 'nr_ptes', 'nr_pmds', 'swapents', 'oom_score_adj', 'name'];
    case 10: return ['uid', 'tgid', 'total_vm', 'rss', 'rss_anon', 'rss_file', 'rss_shmem', 'pgtables_bytes', 'swapents', 'oom_score_adj', 'name'];
    default: return null;
  }
}

export class TaskTableBuilder {
  private columns: string[] | null = null;
  /** The row field each column is read into (FIELD of its name), looked up once per table. */
  private fields: (keyof TaskRow | undefined)[] = [];
  private rows: TaskRow[] = [];
  private headerLine = 0;
  private headerless = false;

  /** Header or row; returns false for anything else. */
  add(msg: string, line: number): boolean {
    // Both patterns start with "[": most lines of a report have none.
    if (!msg.includes('[')) return false;
    let m = HEADER_RE.exec(msg);
    if (m) {
      this.columns = m[1].trim().split(/\s+/);
      this.fields = this.columns.map((c) => FIELD[c]);
      this.headerLine = line;
      return true;
    }
    m = ROW_RE.exec(msg);
    if (!m) return false;
    if (!this.columns) {
      const inferred = columnsWithoutHeader(m[2]);
      if (!inferred) return false;
      this.columns = inferred;
      this.fields = inferred.map((c) => FIELD[c]);
      this.headerLine = line;
      this.headerless = true;
    }
    const cols = this.columns;
    const parts = m[2].trim().split(/\s+/);
    const numeric = cols.length - 1; // every column but "name"
    if (parts.length < cols.length) return false;
    const row: TaskRow = {
      pid: Number(m[1]), uid: null, tgid: null, totalVmPages: null, rssPages: null, rssAnonPages: null,
      rssFilePages: null, rssShmemPages: null, pgtablesBytes: null, nrPtes: null, swapEntries: null,
      oomAdj: null, oomScoreAdj: null, comm: intern(parts.slice(numeric).join(' ')), line,
    };
    const fields = this.fields;
    for (let i = 0; i < numeric; i++) {
      const key = fields[i];
      const v = Number(parts[i]);
      if (key && Number.isFinite(v)) (row as unknown as Record<string, number>)[key] = v;
    }
    this.rows.push(row);
    return true;
  }

  build(): ProcessTable | null {
    if (!this.columns) return null;
    const sumRssPages = this.rows.reduce((s, r) => s + (r.rssPages ?? 0), 0);
    const top = [...this.rows]
      .sort((a, b) => (b.rssPages ?? 0) - (a.rssPages ?? 0))
      .slice(0, 10)
      .map((r) => ({ pid: r.pid, comm: r.comm, rssPages: r.rssPages, oomScoreAdj: r.oomScoreAdj }));
    return { rows: this.rows.length, sumRssPages, top, columns: this.columns, all: this.rows, line: this.headerLine, headerless: this.headerless };
  }
}
