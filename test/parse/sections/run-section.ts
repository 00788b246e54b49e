import assert from 'node:assert/strict';
import type { Line } from '../../../src/model/common.js';
import type { Incident } from '../../../src/model/incident.js';
import type { ParseResult, SectionParser } from '../../../src/parse/types.js';
import { fixtureLines, toLines } from '../../helpers.js';

/** Every section `p` finds in `lines`, the way the pipeline asks it: detect at each unclaimed line. */
export function sections(p: SectionParser, lines: readonly Line[]): (ParseResult & { at: number; count: number })[] {
  const out: (ParseResult & { at: number; count: number })[] = [];
  for (let i = 0; i < lines.length; ) {
    const n = p.detect(lines, i);
    if (n > 0) {
      out.push({ ...p.parse(lines.slice(i, i + n)), at: i, count: n });
      i += n;
    } else i++;
  }
  return out;
}

/** The single incident `p` reads from a fixture (asserts there is exactly one section). */
export function only<K extends Incident['kind']>(p: SectionParser, fixture: string, kind: K) {
  const found = sections(p, fixtureLines(fixture));
  assert.equal(found.length, 1, `${p.id} should find one section in ${fixture}`);
  const inc = found[0].incidents[0];
  assert.equal(inc?.kind, kind);
  return { incident: inc as Extract<Incident, { kind: K }>, problems: found[0].problems };
}

/** The parser claims nothing in these fixtures (other formats, kernel logs). */
export function assertSilent(p: SectionParser, fixtures: string[]): void {
  for (const f of fixtures) assert.deepEqual(sections(p, fixtureLines(f)).map((s) => s.at), [], `${p.id} claimed part of ${f}`);
}

/** Random and truncated text: no throw; anything claimed but unreadable is reported. */
export function assertSurvivesGarbage(p: SectionParser, real: string): void {
  const junk = toLines('\u0000\u00ff}{ ]] \nkB kB:\n12 34 56\n\n:::\n-1 -1\n%%%\n');
  assert.doesNotThrow(() => sections(p, junk));
  const lines = fixtureLines(real);
  for (const cut of [1, 2, Math.floor(lines.length / 2), lines.length - 1]) {
    const part = lines.slice(0, cut).map((l, k) => (k === cut - 1 ? { ...l, text: l.text.slice(0, Math.ceil(l.text.length / 2)) } : l));
    assert.doesNotThrow(() => sections(p, part));
    assert.doesNotThrow(() => p.parse(part));
  }
  // parse() handed lines it would not have claimed must report them, not drop them silently.
  const stray = toLines('this is prose\nMem: nonsense');
  const r = p.parse(stray);
  assert.ok(r.problems.length > 0 || r.incidents.length === 0, `${p.id} dropped unreadable lines silently`);
}
