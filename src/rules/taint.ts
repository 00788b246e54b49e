import type { Finding } from '../model/finding.js';
import type { Incident } from '../model/incident.js';
import type { KernelInfo } from '../model/common.js';
import { decodeTaint, TAINT_FLAGS } from '../parse/kernel/common/taint.js';
import type { Rule, RuleContext } from './types.js';
import { evidenceNear, uniqueEvidence } from './util/text.js';

const SERIOUS = new Set(['D', 'M', 'B']);
/** Flags that record an event: when one appears, that event happened in between. */
const EVENT: Record<string, string> = { W: 'a WARN happened', D: 'an Oops or BUG happened', L: 'a soft lockup happened', M: 'a machine check happened', B: 'a bad page was found' };
const kernelOf = (inc: Incident): KernelInfo | null => ('kernel' in inc && inc.kernel && typeof inc.kernel === 'object' && 'taint' in inc.kernel ? inc.kernel : null);
const letters = (t: string): string[] => decodeTaint(t).map((f) => f.letter);
const meaning = (l: string): string => TAINT_FLAGS.find((f) => f.letter === l)?.meaning ?? 'unknown flag';
const label = (inc: Incident): string => `${inc.kind.replace(/_/g, ' ')}${inc.timeText ? ` at ${inc.timeText}` : ` (line ${inc.line})`}`;

export const taint: Rule = {
  meta: { id: 'taint', role: 'context', precedence: 50, severity: 'info', description: 'Decodes the kernel taint flags, names the modules that carry them, and notes when they changed.' },
  check(ctx: RuleContext): Finding[] {
    const tainted = ctx.incidents.map((inc, index) => ({ inc, index, t: kernelOf(inc)?.taint ?? null }))
      .filter((x): x is { inc: Incident; index: number; t: string } => x.t != null);
    if (tainted.length === 0) return [];
    // Reports from several logs arrive out of order; the wall clock, when every one has it, orders them.
    const ordered = tainted.every((x) => x.inc.time) ? [...tainted].sort((a, b) => (a.inc.time! < b.inc.time! ? -1 : a.inc.time! > b.inc.time! ? 1 : 0)) : tainted;
    const distinct = [...new Set(ordered.map((x) => x.t))];
    const modules = new Map<string, string>();
    for (const { inc } of tainted) if ('modules' in inc && inc.modules) for (const m of inc.modules) if (m.flags) modules.set(m.name, m.flags);
    const changes: string[] = [];
    for (let i = 1; i < ordered.length; i++) {
      const [a, b] = [ordered[i - 1], ordered[i]];
      const added = letters(b.t).filter((l) => !letters(a.t).includes(l));
      if (added.length === 0) continue;
      // A WARN/BUG report prints the taint from before it; it sets W (or D) after printing.
      const cause = ordered.slice(0, i).reverse().find((x) => ['warning', 'bug', 'oops'].includes(x.inc.kind));
      changes.push(`${added.join(', ')} appeared between the ${label(a.inc)} ("${a.t}") and the ${label(b.inc)} ("${b.t}"), so ${added.map((l) => EVENT[l] ?? `flag ${l} was set (${meaning(l)})`).join(' and ')} in between${cause && added.includes('W') ? `; the ${label(cause.inc)}${'function' in cause.inc && cause.inc.function ? ` in ${cause.inc.function}` : ''}, earlier in this input, is the likely one` : ''}.`);
    }
    const all = [...new Set(distinct.flatMap(letters))];
    const explanation = [
      `The kernel was tainted: ${distinct.map((t) => `"${t}"`).join(', then ')}.`,
      ...all.map((l) => `${l}: ${meaning(l)}.`),
      modules.size ? `Modules carrying taint flags: ${[...modules].map(([n, f]) => `${n}(${f})`).join(', ')}.` : '',
      ...changes,
      'Taint does not cause a crash by itself: it records that code the kernel developers cannot vouch for (or an earlier problem) was present, so upstream will ask for a report reproduced without it.',
    ].filter(Boolean).join(' ');
    const firstOf = distinct.map((t) => ordered.find((x) => x.t === t)!);
    return [{
      rule: 'taint', severity: all.some((l) => SERIOUS.has(l)) ? 'warning' : 'info',
      title: `Kernel tainted ${distinct.map((t) => `"${t}"`).join(' → ')}${modules.size ? ` (${[...modules.keys()].join(', ')})` : ''}`,
      explanation,
      incidents: firstOf.map((x) => x.index),
      evidence: uniqueEvidence(firstOf.flatMap(({ inc }) => [
        evidenceNear(ctx, inc.input, inc.line, 'Tainted:', Math.min(inc.endLine - inc.line, 12)),
        'modules' in inc && inc.modules?.some((m) => m.flags) ? evidenceNear(ctx, inc.input, inc.line, 'Modules linked in:', 3) : null,
      ])),
      data: { taints: distinct, flags: all.map((l) => ({ letter: l, meaning: meaning(l) })), taintedModules: [...modules].map(([name, flags]) => ({ name, flags })), changes: changes.length },
    }];
  },
};
