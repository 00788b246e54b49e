/**
 * Every kernel report kind, one folder each with its module in kind.ts (test/parse/kernel/registry.test.ts checks
 * the list matches the folder). Order matters: a line starts the first kind whose `start` matches
 * (a panic line is not an Oops, an OOM kill line is not a WARNING).
 *
 * This list is the only place a kind is named: the ids (BlockKind), the model's kernel incident
 * union (KernelIncident, and so the JSON schema) and the --kind values all come from it.
 */
import { alloc } from './alloc/kind.js';
import { error } from './error/kind.js';
import { hung } from './hung/kind.js';
import { lockup } from './lockup/kind.js';
import { oom } from './oom/kind.js';
import { overcommit } from './overcommit/kind.js';
import { panic } from './panic/kind.js';
import { rcu } from './rcu/kind.js';
import { showMem } from './show-mem/kind.js';
import { sysrq } from './sysrq/kind.js';
import type { IncidentOf, KernelKind } from './kind.js';

export const KERNEL_KINDS = [oom, alloc, overcommit, hung, lockup, rcu, panic, error, sysrq, showMem] as const;

/** The ids of the kinds: the report kinds lines are grouped into. */
export type BlockKind = (typeof KERNEL_KINDS)[number]['id'];

// The union of the incident types the registered kinds make. ts-json-schema-generator cannot
// evaluate it from its syntax; scripts/schema.ts resolves it with the type checker.
/** An incident read from a kernel report: its fields depend on its `kind`. */
export type KernelIncident = IncidentOf<(typeof KERNEL_KINDS)[number]>;

/** Every kernel incident kind, in registry order. */
export const KERNEL_INCIDENT_KINDS: readonly KernelIncident['kind'][] = KERNEL_KINDS.flatMap((k) => [...k.incidentKinds]);

// A module must list every `kind` value its incident type can take in incidentKinds (the --kind
// check and kindOfIncident read it). The types cannot see the list's values, so
// test/report/schema.test.ts checks it: the schema's shapes of KernelIncident, read from the types,
// against KERNEL_INCIDENT_KINDS, naming any kind on one side only.

const BY_ID = new Map<BlockKind, KernelKind>(KERNEL_KINDS.map((k) => [k.id, k as unknown as KernelKind]));
const BY_INCIDENT = new Map<string, KernelKind>(KERNEL_KINDS.flatMap((k) => k.incidentKinds.map((i) => [i, k as unknown as KernelKind] as const)));

export function kindById(id: BlockKind): KernelKind {
  return BY_ID.get(id)!;
}

/** The module of an incident kind; null for snapshot kinds (/proc files, tool screens). */
export function kindOfIncident(kind: string): KernelKind | null {
  return BY_INCIDENT.get(kind) ?? null;
}

export type { KernelKind } from './kind.js';
