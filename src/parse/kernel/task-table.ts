import { intern } from './intern.js';
import type { ProcessTable, TaskRow } from '../../model/kernel-incidents.js';

/**
 * The OOM report's task table. Its columns changed across kernels, so rows are read by the
 * header actually printed:
 *   2.6.32  [ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name
 *   3.x     [ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name
 *   4.9     [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name
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

export class TaskTableBuilder {
  private columns: string[] | null = null;
  private rows: TaskRow[] = [];
  private headerLine = 0;

  /** Header or row; returns false for anything else. */
  add(msg: string, line: number): boolean {
    let m = HEADER_RE.exec(msg);
    if (m) {
      this.columns = m[1].trim().split(/\s+/);
      this.headerLine = line;
      return true;
    }
    if (!this.columns) return false;
    m = ROW_RE.exec(msg);
    if (!m) return false;
    const cols = this.columns;
    const parts = m[2].trim().split(/\s+/);
    const numeric = cols.length - 1; // every column but "name"
    if (parts.length < cols.length) return false;
    const row: TaskRow = {
      pid: Number(m[1]), uid: null, tgid: null, totalVmPages: null, rssPages: null, rssAnonPages: null,
      rssFilePages: null, rssShmemPages: null, pgtablesBytes: null, nrPtes: null, swapEntries: null,
      oomAdj: null, oomScoreAdj: null, comm: intern(parts.slice(numeric).join(' ')), line,
    };
    for (let i = 0; i < numeric; i++) {
      const key = FIELD[cols[i]];
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
    return { rows: this.rows.length, sumRssPages, top, columns: this.columns, all: this.rows, line: this.headerLine };
  }
}
