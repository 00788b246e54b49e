/**
 * Big logs for the curves, built only from real kernel output in test/fixtures:
 * - filler: the fixture lines that belong to no incident and hold no marker (boot messages,
 *   cgroup and audit lines around the reports), message text untouched, re-stamped with the
 *   file's clock as generate.ts does;
 * - reports: the fixtures' incident reports (generate.ts's set), one every `reportEvery` bytes;
 * - copies: n verbatim copies of one fixture (a flapping node repeating the same report);
 * - shapes: blank lines, and one long line made of copies of a real folded report.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyze } from '../src/index.js';
import { MARKERS } from '../src/parse/kernel/markers.js';
import { parsePrefix } from '../src/read/prefix.js';
import { Clock, fixtureNames, restamp } from './restamp.js';
import { rng } from './rng.js';

const FLUSH = 8 << 20;

class Writer {
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;
  lines = 0;
  private readonly fd: number;
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }
  line(l: string): void {
    this.parts.push(l, '\n');
    this.pending += l.length + 1;
    this.lines++;
    if (this.pending >= FLUSH) this.flush();
  }
  raw(s: string | Buffer): void {
    this.flush();
    this.bytes += typeof s === 'string' ? writeSync(this.fd, s) : writeSync(this.fd, s);
  }
  flush(): void {
    if (this.parts.length) this.bytes += writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pending = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Messages of real fixture lines outside every incident and free of markers. */
export async function realFiller(fixtures: string): Promise<string[]> {
  const out = new Set<string>();
  const names = readdirSync(fixtures).filter((n) => /^(qemu-|host-6\.18-).*\.(dmesg\.)?log$/.test(n) && !/kmsg|journal|busybox/.test(n));
  for (const n of names) {
    const text = readFileSync(join(fixtures, n), 'utf8');
    const a = await analyze([{ name: n, text }], { rules: [] });
    const inside = new Set<number>();
    // An incident seen twice (console and syslog copies of one report) is one incident with
    // `copies`: the lines of every copy are report lines, not filler.
    for (const inc of a.incidents) {
      for (const span of [inc, ...(('copies' in inc && inc.copies) || [])]) for (let l = span.line; l <= span.endLine; l++) inside.add(l);
    }
    text.split('\n').forEach((line, i) => {
      const p = parsePrefix(line);
      if (inside.has(i + 1) || p.format === 'console' || !p.msg.trim() || MARKERS.some((m) => line.includes(m))) return;
      out.add(p.msg);
    });
  }
  return [...out];
}

export interface Built { path: string; bytes: number; lines: number; reports: number; expectedIncidents: number }

/** A kern.log of about `bytes`, real filler, one real report every `reportEvery` bytes. */
export async function buildSized(fixtures: string, path: string, bytes: number, reportEvery: number): Promise<Built> {
  const filler = await realFiller(fixtures);
  const blocks = fixtureNames(fixtures).map((n) => readFileSync(join(fixtures, n), 'utf8'));
  const expected: number[] = [];
  // A block restamp() leaves verbatim (console, /dev/kmsg or folded lines: no prefix to move) is
  // the very same record when inserted again, which the analysis rightly folds into the first
  // (an incident with `copies`): its incidents count once.
  const verbatim: boolean[] = [];
  for (const b of blocks) {
    expected.push((await analyze([{ name: 'b', text: restamp(b, new Clock()).join('\n') + '\n' }], { rules: [] })).incidents.length);
    const later = new Clock();
    later.tick(3600e6);
    verbatim.push(restamp(b, new Clock()).join('\n') === restamp(b, later).join('\n'));
  }
  // The file where it is now (bench/data may be a copy or a link to another clone's data).
  if (existsSync(path) && existsSync(path + '.json')) return { ...(JSON.parse(readFileSync(path + '.json', 'utf8')) as Built), path };
  const w = new Writer(path);
  const r = rng(1010);
  const clock = new Clock();
  let since = 0, reports = 0, incidents = 0;
  while (w.bytes < bytes) {
    clock.tick(Math.floor(r() * 10000));
    const msg = filler[Math.floor(r() * filler.length)];
    w.line(clock.prefix('kernel') + msg);
    since += msg.length + 45;
    if (since >= reportEvery) {
      const i = reports++ % blocks.length;
      for (const l of restamp(blocks[i], clock)) w.line(l);
      if (reports <= blocks.length || !verbatim[i]) incidents += expected[i];
      since = 0;
    }
    if (w.lines % 4096 === 0) w.flush();
  }
  w.close();
  const built = { path, bytes: w.bytes, lines: w.lines, reports, expectedIncidents: incidents };
  writeFileSync(path + '.json', JSON.stringify(built));
  return built;
}

/**
 * n copies of one fixture, copy i with its clock moved i × `spacingSec` later: the uptime stamps
 * (`[%5lu.%06lu]`, the kernel's own width) and any syslog wall-clock stamp (`Jan  4 10:04:40`).
 * Without the shift every copy is the same record at the same instant, which the analysis rightly
 * folds into one incident with `copies` (a console and a syslog copy of one report): that would
 * measure the dedup, not n incidents. The message text is untouched.
 */
export function buildCopies(fixtures: string, name: string, n: number, path: string, spacingSec = 61): string {
  if (existsSync(path)) return path;
  const text = readFileSync(join(fixtures, name), 'utf8');
  const w = new Writer(path);
  for (let i = 0; i < n; i++) w.raw(spacingSec === 0 ? text : shiftClock(text, i * spacingSec));
  w.close();
  return path;
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const UPTIME = /\[( *)(\d+)\.(\d{6})\]/g;
const WALL = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ( ?\d{1,2}) (\d\d):(\d\d):(\d\d)\b/g;

/** `text` with every uptime and syslog stamp `sec` seconds later (bench data only, never a fixture). */
export function shiftClock(text: string, sec: number): string {
  if (sec === 0) return text;
  return text
    .replace(UPTIME, (_m, pad: string, s: string, us: string) => `[${String(Number(s) + sec).padStart(pad.length + s.length, ' ')}.${us}]`)
    .replace(WALL, (_m, mon: string, day: string, hh: string, mm: string, ss: string) => {
      const d = new Date(Date.UTC(2025, MON.indexOf(mon), Number(day), Number(hh), Number(mm), Number(ss)) + sec * 1000);
      const two = (x: number) => String(x).padStart(2, '0');
      const dd = day.length === 2 && day.startsWith(' ') ? String(d.getUTCDate()).padStart(2, ' ') : String(d.getUTCDate());
      return `${MON[d.getUTCMonth()]} ${dd} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
    });
}

/**
 * n copies of one fixture, each re-stamped (restamp, as generate.ts does) 30 s after the one
 * before: n distinct kills of a flapping node rather than one record printed n times, which
 * dedup merges into one incident.
 */
export function buildDistinct(fixtures: string, name: string, n: number, path: string): string {
  if (existsSync(path)) return path;
  const text = readFileSync(join(fixtures, name), 'utf8');
  const w = new Writer(path);
  const clock = new Clock();
  for (let i = 0; i < n; i++) {
    clock.tick(30_000_000);
    for (const l of restamp(text, clock)) w.line(l);
  }
  w.close();
  return path;
}

/** `bytes` of blank lines ("\n") or of lines of spaces. */
export function buildBlank(path: string, bytes: number, spaces = false): string {
  if (existsSync(path)) return path;
  const w = new Writer(path);
  const unit = Buffer.from((spaces ? '        \n' : '\n').repeat(1 << 16));
  while (w.bytes < bytes) w.raw(unit);
  w.close();
  return path;
}

/** One line of about `bytes`: copies of a real folded report (seed 003, one line) without their newlines. */
export function buildLongLine(fixtures: string, path: string, bytes: number): string {
  if (existsSync(path)) return path;
  const one = readFileSync(join(fixtures, 'seed003-4.9-oom-folded-one-line.log'), 'utf8').replace(/\n/g, ' ');
  const w = new Writer(path);
  const chunk = Buffer.from(one.repeat(Math.ceil((4 << 20) / one.length)));
  while (w.bytes < bytes) w.raw(chunk);
  w.raw('\n');
  w.close();
  return path;
}
