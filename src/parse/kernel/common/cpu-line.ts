import { intern } from './intern.js';
import type { KernelInfo } from '../../../model/common.js';

export interface CpuLine {
  cpu: number | null;
  pid: number;
  comm: string;
  kernel: KernelInfo;
}

// "CPU: 42 PID: 7755 Comm: lotus-seal-work Tainted: P           OE    4.15.0-184-generic #194-Ubuntu"
// "CPU: 1 UID: 0 PID: 1234 Comm: python3 Not tainted 6.12.0 #1"   (6.12+ prints UID)
// "CPU: 3 PID: 99 Comm: java Kdump: loaded Tainted: G  ..."      (RHEL prints Kdump state)
const CPU_RE = /^\s*CPU: (\d+) (?:UID: \d+ )?PID: (\d+) Comm: (.*?)(?: Kdump: \S+)? (Not tainted|Tainted: [A-Z ]*?) +(\d+\.\d+\S*)/;
// 2.6-era: "Pid: 1234, comm: foo Not tainted 2.6.32-431.el6.x86_64 #1 Dell Inc. …"
const PID_RE = /^\s*Pid: (\d+), comm: (.*?) (Not tainted|Tainted: [A-Z ]*?) +(\d+\.\d+\S*)/;
// hung-task continuation: "      Tainted: P           OE    4.15.0-184-generic #194-Ubuntu"
const TAINT_ONLY_RE = /^\s*(Not tainted|Tainted: [A-Z ]*?) +(\d+\.\d+\S*)/;

/** "Tainted: P           OE" → "P OE"; "Not tainted" → null. */
export function foldTaint(field: string): string | null {
  if (field.startsWith('Not tainted')) return null;
  const flags = field.replace(/^Tainted:\s*/, '').trim().replace(/\s+/g, ' ');
  return flags.length > 0 ? flags : null;
}

export function parseCpuLine(msg: string): CpuLine | null {
  let m = CPU_RE.exec(msg);
  if (m) return { cpu: Number(m[1]), pid: Number(m[2]), comm: intern(m[3]), kernel: { version: intern(m[5]), taint: foldTaint(m[4]) } };
  m = PID_RE.exec(msg);
  if (m) return { cpu: null, pid: Number(m[1]), comm: intern(m[2]), kernel: { version: intern(m[4]), taint: foldTaint(m[3]) } };
  return null;
}

export function parseTaintLine(msg: string): KernelInfo | null {
  const m = TAINT_ONLY_RE.exec(msg);
  return m ? { version: m[2], taint: foldTaint(m[1]) } : null;
}

export const NO_KERNEL: KernelInfo = Object.freeze({ version: null, taint: null }) as KernelInfo;
