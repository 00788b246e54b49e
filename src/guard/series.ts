import { emptyCounters, type CgroupCounters, type GuardSample } from './sample.js';

/**
 * Sample series on disk. JSONL (one GuardSample per line) is what the guard records (`--record`)
 * and puts in its bundles (guard/samples.jsonl). CSV is for series made with other tools: one row
 * per cgroup per tick, the columns below (empty cell = not measured = null), rows of one tick
 * sharing t_ms. Parsing never throws: bad lines become problems with their line number.
 */
export const CSV_COLUMNS = ['t_ms', 'wall_ms', 'cgroup', 'mem_some_us', 'mem_full_us', 'io_some_us', 'io_full_us', 'pgmajfault',
  'refault_file', 'anon_bytes', 'file_bytes', 'pgscan', 'pgsteal', 'usage_bytes', 'limit_bytes', 'oom_kills', 'protected_evicted_pages',
  'mem_available_kb'] as const;
const FIELD: Record<string, keyof CgroupCounters> = {
  mem_some_us: 'memSomeUs', mem_full_us: 'memFullUs', io_some_us: 'ioSomeUs', io_full_us: 'ioFullUs', pgmajfault: 'pgmajfault',
  refault_file: 'refaultFile', anon_bytes: 'anonBytes', file_bytes: 'fileBytes', pgscan: 'pgscan', pgsteal: 'pgsteal',
  usage_bytes: 'usageBytes', limit_bytes: 'limitBytes', oom_kills: 'oomKills',
};

export interface SeriesProblem {
  line: number;
  message: string;
}

export interface ParsedSeries {
  samples: GuardSample[];
  problems: SeriesProblem[];
}

export function toJsonl(samples: GuardSample[]): string {
  return samples.map((s) => JSON.stringify(s)).join('\n') + (samples.length ? '\n' : '');
}

function validSample(v: unknown): v is GuardSample {
  const s = v as GuardSample;
  return !!s && typeof s.tMs === 'number' && Array.isArray(s.cgroups) && s.cgroups.every((c) => c && typeof c.cgroup === 'string');
}

export function parseJsonl(text: string): ParsedSeries {
  const out: ParsedSeries = { samples: [], problems: [] };
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const v = JSON.parse(line) as unknown;
      if (validSample(v)) out.samples.push(v);
      else out.problems.push({ line: i + 1, message: 'not a guard sample (needs tMs and cgroups[])' });
    } catch (e) {
      out.problems.push({ line: i + 1, message: `not JSON: ${(e as Error).message}` });
    }
  });
  return out;
}

export function parseCsv(text: string): ParsedSeries {
  const out: ParsedSeries = { samples: [], problems: [] };
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  for (const need of ['t_ms', 'cgroup']) if (!header.includes(need)) out.problems.push({ line: 1, message: `header lacks the "${need}" column` });
  if (out.problems.length) return out;
  let cur: GuardSample | null = null;
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cells = lines[i].split(',');
    const row: Record<string, string> = {};
    header.forEach((h, j) => (row[h] = (cells[j] ?? '').trim()));
    const num = (k: string): number | null => (row[k] === undefined || row[k] === '' ? null : Number(row[k]));
    const t = num('t_ms');
    if (t == null || !Number.isFinite(t) || !row.cgroup) {
      out.problems.push({ line: i + 1, message: 'needs a numeric t_ms and a cgroup' });
      continue;
    }
    const bad = header.filter((h) => h !== 'cgroup' && row[h] !== '' && !Number.isFinite(Number(row[h])));
    if (bad.length) {
      out.problems.push({ line: i + 1, message: `not a number in ${bad.join(', ')}` });
      continue;
    }
    if (!cur || cur.tMs !== t) {
      cur = { tMs: t, wallMs: num('wall_ms') ?? t, cgroups: [], protectedEvictedPages: num('protected_evicted_pages'), memAvailableKb: num('mem_available_kb') };
      out.samples.push(cur);
    }
    const c = emptyCounters(row.cgroup, row.cgroup === '/' ? 'host' : 'v2');
    for (const [col, key] of Object.entries(FIELD)) (c as unknown as Record<string, number | null>)[key] = num(col);
    cur.cgroups.push(c);
  }
  return out;
}

export function toCsv(samples: GuardSample[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  const cell = (v: number | null | undefined) => (v == null ? '' : String(v));
  for (const s of samples) {
    for (const c of s.cgroups) {
      rows.push([s.tMs, s.wallMs, c.cgroup, ...Object.values(FIELD).map((k) => cell(c[k] as number | null)), cell(s.protectedEvictedPages), cell(s.memAvailableKb)].join(','));
    }
  }
  return rows.join('\n') + '\n';
}

/** By content: JSONL starts with "{", anything else is CSV. */
export function parseSeries(text: string): ParsedSeries {
  return text.trimStart().startsWith('{') ? parseJsonl(text) : parseCsv(text);
}
