import assert from 'node:assert/strict';
import { analyze } from '../../../src/index.js';
import type { KernelIncident } from '../../../src/model/kernel-incidents.js';
import type { KernelKind } from '../../../src/parse/kernel/kind.js';
import { startKind } from '../../../src/parse/kernel/markers.js';
import { kindById, kindOfIncident } from '../../../src/parse/kernel/registry.js';
import { parsePrefix } from '../../../src/read/prefix.js';
import { fixturePath, readFixture } from '../../helpers.js';

/** One report of a kind in a real fixture, and what a person reads off its lines. */
export interface KindCase {
  fixture: string;
  /** 1-based line of the fixture the report starts at. */
  line: number;
  incidentKind: string;
  /** Facts the one-line summary must state (read off the fixture's lines). */
  summary: RegExp[];
  /** Facts the details must state. */
  details?: RegExp[];
}

/**
 * The contract of a kind module, checked on real reports: the registry holds this very module
 * under its id; its start pattern claims the report's first line and no kind before it in the
 * registry does; that line holds one of its markers; reading the fixture gives an incident of it
 * at that line, of one of its incident kinds; its summary and details state the facts.
 */
export async function checkKind<I extends KernelIncident>(kind: KernelKind<I>, cases: KindCase[]): Promise<void> {
  assert.equal(kindById(kind.id), kind as unknown as KernelKind, 'the registry holds this module under its id');
  for (const c of cases) {
    const text = readFixture(c.fixture).split('\n')[c.line - 1].replace(/\r$/, '');
    const msg = parsePrefix(text).msg;
    assert.ok(kind.start.test(msg), `${c.fixture}:${c.line} "${msg}" starts a ${kind.id} report`);
    assert.equal(startKind(msg), kind.id, 'no kind before it in the registry claims the line');
    assert.ok(kind.markers.some((m) => msg.includes(m)), 'the line holds one of its markers');
    const a = await analyze([{ path: fixturePath(c.fixture) }], { rules: [] });
    const inc = a.incidents.find((i) => i.line === c.line && kindOfIncident(i.kind) === (kind as unknown as KernelKind)) as KernelIncident | undefined;
    assert.ok(inc, `an incident of ${kind.id} at ${c.fixture}:${c.line}`);
    assert.equal(inc.kind, c.incidentKind);
    assert.ok((kind.incidentKinds as readonly string[]).includes(inc.kind));
    const k = kind as unknown as KernelKind;
    const summary = k.summary(inc);
    for (const re of c.summary) assert.match(summary, re, `${c.fixture}:${c.line} summary`);
    const details = k.details(inc).join('\n');
    assert.ok(details.length > 0 && !/undefined|NaN|\[object /.test(details), details);
    for (const re of c.details ?? []) assert.match(details, re, `${c.fixture}:${c.line} details`);
  }
}
