import type { Incident } from '../model/incident.js';
import { UsageError } from './command.js';

/**
 * --since/--until take a wall clock ("2022-06-12 03:00", "2022-06-12T03:00:00") or seconds since
 * boot ("63000", "63000s"). An incident without that kind of timestamp is left out.
 */
export function timeBound(value: string, flag: string): (inc: Incident, after: boolean) => boolean {
  const up = /^\+?(\d+(?:\.\d+)?)s?$/.exec(value.trim());
  if (up) {
    const sec = Number(up[1]);
    return (inc, after) => inc.uptimeSec != null && (after ? inc.uptimeSec >= sec : inc.uptimeSec <= sec);
  }
  const m = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d)?))?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag} ${value}: give a date and time ("2022-06-12 03:00") or seconds since boot ("63000")`);
  const key = `${m[1]}T${(m[2] ?? '00:00:00').padEnd(8, ':00')}`;
  return (inc, after) => inc.time != null && (after ? inc.time.slice(0, 19) >= key : inc.time.slice(0, 19) <= key);
}

export function makeFilter(opts: { since?: string; until?: string; kind?: string }): ((inc: Incident) => boolean) | undefined {
  const since = opts.since ? timeBound(opts.since, '--since') : null;
  const until = opts.until ? timeBound(opts.until, '--until') : null;
  const kinds = opts.kind ? new Set(opts.kind.split(',').map((k) => k.trim()).filter(Boolean)) : null;
  if (!since && !until && !kinds) return undefined;
  return (inc) => (!since || since(inc, true)) && (!until || until(inc, false)) && (!kinds || kinds.has(inc.kind));
}
