/**
 * Every kernel report kind, one folder each with its module in kind.ts (test/parse/kernel/registry.test.ts checks
 * the list matches the folder). Order matters: a line starts the first kind whose `start` matches
 * (a panic line is not an Oops, an OOM kill line is not a WARNING).
 */
import type { KernelIncident } from '../../model/kernel-incidents.js';
import { alloc } from './alloc/kind.js';
import { error } from './error/kind.js';
import { hung } from './hung/kind.js';
import { lockup } from './lockup/kind.js';
import { oom } from './oom/kind.js';
import { panic } from './panic/kind.js';
import { rcu } from './rcu/kind.js';
import { showMem } from './show-mem/kind.js';
import { sysrq } from './sysrq/kind.js';
import type { BlockKind, KernelKind } from './kind.js';

export const KERNEL_KINDS = [oom, alloc, hung, lockup, rcu, panic, error, sysrq, showMem] as const;

type Covered = (typeof KERNEL_KINDS)[number]['incidentKinds'][number];
// Compile-time check: every incident kind of the model has a module (else this line fails to build).
const EVERY_KIND_HAS_A_MODULE: [Exclude<KernelIncident['kind'], Covered>] extends [never] ? true : never = true;
void EVERY_KIND_HAS_A_MODULE;

const BY_ID = new Map<BlockKind, KernelKind>(KERNEL_KINDS.map((k) => [k.id, k as unknown as KernelKind]));
const BY_INCIDENT = new Map<string, KernelKind>(KERNEL_KINDS.flatMap((k) => k.incidentKinds.map((i) => [i, k as unknown as KernelKind] as const)));

export function kindById(id: BlockKind): KernelKind {
  return BY_ID.get(id)!;
}

/** The module of an incident kind; null for snapshot kinds (/proc files, tool screens). */
export function kindOfIncident(kind: string): KernelKind | null {
  return BY_INCIDENT.get(kind) ?? null;
}

export type { BlockKind, KernelKind } from './kind.js';
