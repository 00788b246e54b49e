import type { Line } from '../../model/common.js';
import type { GuardDecisionIncident } from '../../model/snapshot-incidents.js';
import type { SectionParser } from '../types.js';
import { frame, problem } from './util/lines.js';

// guard/decision.json of a `memtriage guard` bundle (src/guard/act/evidence.ts writes it with
// JSON.stringify(…, null, 2)): "{", then '  "schema": "memtriage/guard-decision@1",' … up to the "}" at column 0.
const SCHEMA_LINE = /^\s*"schema": "memtriage\/guard-decision@1",?\s*$/;

function detect(lines: readonly Line[], i: number): number {
  if (lines[i].text !== '{' || i + 1 >= lines.length || !SCHEMA_LINE.test(lines[i + 1].text)) return 0;
  for (let j = i + 2; j < lines.length; j++) if (lines[j].text === '}') return j - i + 1;
  return lines.length - i; // cut off: parse reports it
}

const pct = (r: unknown) => (typeof r === 'number' ? Math.round(r * 1000) / 10 : null);
const numOrNull = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function parse(lines: readonly Line[]) {
  const text = lines.map((l) => l.text).join('\n');
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    return { incidents: [], problems: [problem(lines[lines.length - 1], `guard decision is not complete JSON (${(e as Error).message}); the bundle may be damaged`)] };
  }
  const d = (rec.decision ?? {}) as Record<string, unknown>;
  const cfg = (d.config ?? {}) as Record<string, unknown>;
  if (typeof d.cgroup !== 'string' || typeof d.reason !== 'string') {
    return { incidents: [], problems: [problem(lines[0], 'guard decision without cgroup or reason')] };
  }
  const choice = rec.choice as { victim?: { pid: number; comm: string } | null; basis?: string; why?: string } | null;
  const wall = numOrNull(d.wallMs);
  const incident: GuardDecisionIncident = {
    kind: 'guard_decision', ...frame(lines, 0, lines.length - 1, 'guard-decision'),
    mode: typeof rec.mode === 'string' ? rec.mode : null, plannedAction: typeof rec.plannedAction === 'string' ? rec.plannedAction : null,
    cgroup: d.cgroup, reason: d.reason, heldMs: numOrNull(d.heldMs) == null ? null : Math.round(d.heldMs as number),
    memSomePercent1s: pct(d.memSomeRatio1s), memFullPercent1s: pct(d.memFullRatio1s), memSomePercentHeld: pct(d.memSomeRatioHeld),
    majorFaultsPerSecHeld: numOrNull(d.majorFaultsPerSecHeld), refaultsPerSec: numOrNull(d.refaultsPerSec),
    protectedEvictedPagesPerSec: numOrNull(d.protectedEvictedPagesPerSec), usageBytes: numOrNull(d.usageBytes), limitBytes: numOrNull(d.limitBytes),
    memAvailableKb: numOrNull(d.memAvailableKb),
    victim: choice?.victim ? { pid: choice.victim.pid, comm: choice.victim.comm, basis: choice.basis ?? '?', why: choice.why ?? '' } : null,
    thresholds: {
      somePercent: pct(cfg.someRatio), holdMs: numOrNull(cfg.holdMs), majorFaultsPerSec: numOrNull(cfg.majorFaultsPerSec),
      severeSomePercent: pct(cfg.severeSomeRatio), severeFullPercent: pct(cfg.severeFullRatio),
    },
  };
  if (wall != null) incident.time = new Date(wall).toISOString();
  return { incidents: [incident], problems: [] };
}

export const guardDecision: SectionParser = {
  id: 'guard-decision',
  description: 'memtriage guard bundle: guard/decision.json (a thrash storm decision with its numbers)',
  detect,
  parse,
};
