/**
 * Writes the benchmark log: ~1 GiB of kern.log-style syslog noise with the real incident reports
 * of test/fixtures scattered through it. Fixture lines are re-stamped with the file's own clock
 * (a kernel report in a kern.log carries kern.log prefixes) but their message text is never
 * touched; lines without a prefix we know (console, journal JSON, folded pastes) go in verbatim.
 * A sidecar JSON records how many incidents the inserted reports hold, so run.ts can check the
 * analyzer found exactly those.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../src/index.js';
import { MARKERS } from '../src/parse/kernel/markers.js';
import { parsePrefix } from '../src/read/prefix.js';
import { unfold } from '../src/read/unfold.js';
import { checkNoise, noise, rng } from './noise.js';

export interface BenchMeta { file: string; bytes: number; lines: number; inserted: number; expectedIncidents: number }

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** One report every this many bytes of noise: ~500 reports in 1 GiB, minutes of log apart. */
const REPORT_EVERY = 2 << 20;
const FLUSH_BYTES = 8 << 20;

/** The file's clock: wall time and uptime advance together, ~5 ms a line on average. */
export class Clock {
  private ms = Date.UTC(2025, 2, 1, 6, 0, 0);
  private uptimeUs = 1_000_000;
  tick(us: number): void {
    this.uptimeUs += us;
    this.ms += us / 1000;
  }
  prefix(tag: string): string {
    const d = new Date(this.ms);
    const hms = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
    const head = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms} web-07 ${tag}: `;
    if (tag !== 'kernel') return head;
    const up = `${Math.floor(this.uptimeUs / 1e6)}.${String(this.uptimeUs % 1e6).padStart(6, '0')}`;
    return `${head}[${up.padStart(12, ' ')}] `;
  }
}

export function fixtureNames(dir: string): string[] {
  return readdirSync(dir).filter((n) => /^(?:seed000-.*|seed003-.*|host-6\.18-.*|seed002-.*sysrq.*)\.log$/.test(n)).sort();
}

/** A fixture's lines as they appear in this file: known prefixes replaced, text kept. */
export function restamp(text: string, clock: Clock): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => {
    clock.tick(7);
    const p = parsePrefix(l);
    if (p.format === 'console' || p.format === 'kmsg' || unfold(l).length > 1) return l;
    return clock.prefix('kernel') + p.msg;
  });
}

async function incidentsIn(lines: string[]): Promise<number> {
  const a = await analyze([{ name: 'block', text: lines.join('\n') + '\n' }], { rules: [] });
  return a.incidents.length;
}

export async function generate(fixtures: string, out: string, targetBytes = 1 << 30): Promise<BenchMeta> {
  checkNoise(MARKERS);
  const blocks = fixtureNames(fixtures).map((n) => readFileSync(join(fixtures, n), 'utf8'));
  const expected: number[] = [];
  for (const b of blocks) expected.push(await incidentsIn(restamp(b, new Clock())));
  mkdirSync(join(out, '..'), { recursive: true });
  const fd = openSync(out, 'w');
  const r = rng(2025);
  const clock = new Clock();
  let parts: string[] = [];
  let pending = 0;
  let bytes = 0;
  let lines = 0;
  let inserted = 0;
  let expectedIncidents = 0;
  let sinceReport = 0;
  const emit = (line: string): void => {
    parts.push(line, '\n');
    pending += line.length + 1; // noise is ASCII; fixtures are counted exactly at flush
    lines++;
    if (pending >= FLUSH_BYTES) flush();
  };
  const flush = (): void => {
    bytes += writeSync(fd, parts.join(''));
    parts = [];
    pending = 0;
  };
  while (bytes + pending < targetBytes) {
    const [tag, msg] = noise(r);
    clock.tick(Math.floor(r() * 10000));
    emit(clock.prefix(tag) + msg);
    sinceReport += msg.length + 60;
    if (sinceReport >= REPORT_EVERY) {
      const i = inserted++ % blocks.length;
      for (const l of restamp(blocks[i], clock)) emit(l);
      expectedIncidents += expected[i];
      sinceReport = 0;
    }
  }
  flush();
  closeSync(fd);
  const meta: BenchMeta = { file: out, bytes, lines, inserted, expectedIncidents };
  writeFileSync(out.replace(/\.log$/, '.json'), JSON.stringify(meta, null, 2) + '\n');
  return meta;
}

/** The benchmark file, generated only when missing (or when asked to). */
export async function ensureBenchFile(fixtures: string, out: string, regenerate: boolean, targetBytes?: number): Promise<BenchMeta> {
  const metaPath = out.replace(/\.log$/, '.json');
  if (!regenerate && existsSync(out) && existsSync(metaPath)) return JSON.parse(readFileSync(metaPath, 'utf8')) as BenchMeta;
  return generate(fixtures, out, targetBytes);
}
