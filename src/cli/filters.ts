import type { Incident } from '../model/incident.js';
import { INCIDENT_KINDS } from '../parse/incident-kinds.js';
import type { IncidentFilter } from '../index.js';
import { UsageError } from './command.js';

type Bound = { test: (inc: Incident, after: boolean) => boolean; lacks: (inc: Incident) => boolean; text: string };

/**
 * --since/--until take a wall clock ("2022-06-12 03:00", "2022-06-12T03:00:00") or seconds since
 * boot ("63000", "63000s"). An incident without that kind of timestamp cannot be placed: it is
 * left out and counted, so a filter never turns "could not tell" into "nothing happened".
 */
export function timeBound(value: string, flag: string): Bound {
  const up = /^\+?(\d+(?:\.\d+)?)s?$/.exec(value.trim());
  if (up) {
    const sec = Number(up[1]);
    return {
      test: (inc, after) => inc.uptimeSec != null && (after ? inc.uptimeSec >= sec : inc.uptimeSec <= sec),
      lacks: (inc) => inc.uptimeSec == null,
      text: `${sec} s after boot`,
    };
  }
  const m = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d)?))?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag} ${value}: give a date and time ("2022-06-12 03:00") or seconds since boot ("63000")`);
  const key = `${m[1]}T${(m[2] ?? '00:00:00').padEnd(8, ':00')}`;
  return {
    test: (inc, after) => inc.time != null && (after ? inc.time.slice(0, 19) >= key : inc.time.slice(0, 19) <= key),
    lacks: (inc) => inc.time == null,
    text: key.replace('T', ' '),
  };
}

/** --kind values, checked against the kinds memtriage knows (a typo must not filter everything away). */
export function parseKinds(value: string): Set<string> {
  const kinds = value.split(',').map((k) => k.trim()).filter(Boolean);
  const known = INCIDENT_KINDS as readonly string[];
  for (const k of kinds) {
    if (known.includes(k)) continue;
    const near = known.filter((x) => x.includes(k) || k.includes(x));
    throw new UsageError(`--kind ${k}: no such incident kind${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; known kinds: ${known.join(', ')}`);
  }
  if (kinds.length === 0) throw new UsageError('--kind: give at least one kind, e.g. --kind oom_kill,hung_task');
  return new Set(kinds);
}

export function makeFilter(opts: { since?: string; until?: string; kind?: string }): IncidentFilter | undefined {
  const since = opts.since ? timeBound(opts.since, '--since') : null;
  const until = opts.until ? timeBound(opts.until, '--until') : null;
  const kinds = opts.kind ? parseKinds(opts.kind) : null;
  if (!since && !until && !kinds) return undefined;
  const parts: string[] = [];
  if (kinds) parts.push(`of kind ${[...kinds].join(', ')}`);
  if (since && until) parts.push(`between ${since.text} and ${until.text}`);
  else if (since) parts.push(`at or after ${since.text}`);
  else if (until) parts.push(`at or before ${until.text}`);
  return {
    description: parts.join(' '),
    keep: (inc) => (!since || since.test(inc, true)) && (!until || until.test(inc, false)) && (!kinds || kinds.has(inc.kind)),
    lacks: (inc) => (!kinds || kinds.has(inc.kind)) && ((since?.lacks(inc) ?? false) || (until?.lacks(inc) ?? false)),
  };
}
