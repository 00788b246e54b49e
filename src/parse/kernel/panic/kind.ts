/** "Kernel panic - not syncing: …" and what follows, to its "---[ end Kernel panic" line. */
import type { KernelErrorIncident } from '../error/kind.js';
import { parseKernelError } from '../error/parse.js';
import { errorIdentity, errorSummary } from '../error/kind.js';
import { stackLines } from '../common/text.js';
import type { KernelKind } from '../kind.js';

export const panic: KernelKind<KernelErrorIncident, 'panic'> = {
  id: 'panic',
  incidentKinds: ['panic'],
  markers: ['Kernel panic'],
  // The closing "---[ end Kernel panic - not syncing: … ]---" line belongs to the panic it ends.
  start: /^(?!\s*---\[ end ).*Kernel panic - not syncing/,
  tolerance: 2,
  belongs: (_open, kind, msg) => kind === 'panic' && /---\[ end Kernel panic/.test(msg),
  endsHere: (msg) => /---\[ end Kernel panic/.test(msg),
  identity: errorIdentity,
  read: (lines) => [parseKernelError(lines)],
  summary: errorSummary,
  details: (k) => stackLines(k.kernel, k.callTrace),
};
