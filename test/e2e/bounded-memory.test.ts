import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { buildCopies } from '../../bench/corpus.js';
import { FIXTURES, REPO_ROOT } from '../helpers.js';

/**
 * Issue 10: 50,000 OOM reports within 300 MiB of peak RSS. What an analysis keeps per incident
 * (its parsed report in the heap, the index of its evidence lines spilled to a temp file) is what
 * grows with the count; Node itself, the young generation and the rules' passing work do not.
 * Budget: ≈ 100 MiB for those, so at most 200 MiB / 50,000 ≈ 4 KiB kept per incident.
 * Measured on the real 85-line memcg report re-stamped 61 s apart (distinct incidents, not folded
 * copies): 2,620–2,680 bytes; 6,617 before the compaction of issue 10 (hidden class per incident,
 * 20-byte line index entries, call-trace objects), which this test fails on.
 * Not timing: the heap and external memory after a full collection, in a fresh node per size, at
 * two sizes so Node's own memory cancels out.
 */
const BOUND_BYTES_PER_INCIDENT = 4096;
const SMALL = 1000;
const LARGE = 4000;

/**
 * Heap + external bytes in a fresh node analyzing `path`, measured at the point where the most is
 * kept: after the last rule ran (every incident, the index of their evidence lines, the findings),
 * by a probe rule that runs last and collects garbage first.
 */
function keptBytes(path: string): { bytes: number; incidents: number } {
  const dist = (p: string) => JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'src', p)).href);
  const script = `
    const { analyze } = await import(${dist('index.js')});
    const { RULES } = await import(${dist('rules/index.js')});
    let bytes = null;
    const probe = { meta: { id: 'memory-probe', severity: 'info', description: 'measures', role: 'context' },
      check() { globalThis.gc(); globalThis.gc(); const m = process.memoryUsage(); bytes = m.heapUsed + m.external; return []; } };
    const a = await analyze([{ path: ${JSON.stringify(path)} }], { rules: [...RULES, probe] });
    console.log(JSON.stringify({ bytes, incidents: a.incidents.length }));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test(`memory kept per OOM incident stays under ${BOUND_BYTES_PER_INCIDENT} bytes (${SMALL} vs ${LARGE} distinct reports)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'memtriage-bounded-'));
  try {
    const small = keptBytes(buildCopies(FIXTURES, 'host-6.18-memcg-v1-oom.dmesg.log', SMALL, join(dir, 'small.log')));
    const large = keptBytes(buildCopies(FIXTURES, 'host-6.18-memcg-v1-oom.dmesg.log', LARGE, join(dir, 'large.log')));
    // Distinct incidents: re-stamped copies must not be folded into one (that would measure nothing).
    assert.equal(small.incidents, SMALL);
    assert.equal(large.incidents, LARGE);
    const perIncident = (large.bytes - small.bytes) / (LARGE - SMALL);
    assert.ok(perIncident > 0, `heap did not grow with the incidents (${small.bytes} → ${large.bytes}): the measurement is broken`);
    assert.ok(perIncident < BOUND_BYTES_PER_INCIDENT, `${Math.round(perIncident)} bytes kept per incident (heap + external), bound ${BOUND_BYTES_PER_INCIDENT}: ${small.bytes} bytes at ${SMALL}, ${large.bytes} at ${LARGE}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * One physical line holding copies of seed 003's folded report with no newline between (a paste
 * whose newlines were lost): the reader cuts it into 4 MiB pieces, and each message is a V8 slice
 * of its piece, so anything kept from a message keeps the piece. The copies are shed as they are
 * read (early-copies.ts, on the same line too): what stays is one incident and a small stub per
 * copy, not the line. Shedding only copies on later lines, 16 MB kept ≈ 21 MB more than one copy
 * does. (While the log is read the oom_reaper lines held their pieces too: oom-reaper.test.ts.)
 */
const FOLDED_LINE_BYTES = 16_000_000;
const FOLDED_BOUND_BYTES = 8 << 20;

test(`a ${FOLDED_LINE_BYTES / 1e6} MB line of folded copies keeps under ${FOLDED_BOUND_BYTES >> 20} MiB more than one copy`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'memtriage-bounded-'));
  try {
    const report = readFileSync(join(FIXTURES, 'seed003-4.9-oom-folded-one-line.log'), 'latin1').trimEnd();
    const one = join(dir, 'one.log'), many = join(dir, 'many.log');
    writeFileSync(one, report + '\n', 'latin1');
    writeFileSync(many, Array(Math.ceil(FOLDED_LINE_BYTES / report.length)).fill(report).join(' ') + '\n', 'latin1');
    const small = keptBytes(one), large = keptBytes(many);
    assert.deepEqual([small.incidents, large.incidents], [1, 1], 'copies of one report are one incident');
    assert.ok(large.bytes - small.bytes < FOLDED_BOUND_BYTES, `${large.bytes - small.bytes} bytes more for the long line (${small.bytes} → ${large.bytes})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
