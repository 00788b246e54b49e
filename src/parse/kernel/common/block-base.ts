import type { IncidentBase } from '../../../model/kernel-incidents.js';
import type { KernelLine } from '../../types.js';

/** The fields every incident takes from the lines it was read from. */
export function baseOf<K extends string>(kind: K, lines: readonly KernelLine[]): IncidentBase & { kind: K } {
  const first = lines[0];
  const stamped = lines.find((l) => l.time != null || l.uptimeSec != null) ?? first;
  return {
    kind,
    input: first.input,
    line: first.line,
    endLine: lines[lines.length - 1].line,
    time: stamped.time,
    timeText: stamped.timeText,
    uptimeSec: stamped.uptimeSec,
    partial: false,
  };
}
