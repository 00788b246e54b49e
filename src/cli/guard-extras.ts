import type { LockSession } from '../guard/lock/session.js';
import { DEFAULT_DAEMONS as DEFAULT_LOCK_DAEMONS } from '../guard/lock/targets.js';
import { readMinTtlMs, setMinTtlMs } from '../guard/min-ttl.js';
import type { GuardObserver } from '../guard/view.js';
import type { ProcReader } from '../live/reader.js';
import { intOption } from './options.js';

/** What the guard's optional parts add to its loop, and how to undo them. */
export interface GuardExtras {
  observers: GuardObserver[];
  lockedBytes?: () => number;
  close(): Promise<void>;
}

/** A setup step failed: the message for stderr; everything already started has been undone. */
export class ExtrasError extends Error {}

export interface ExtrasValues {
  metrics?: string;
  textfile?: string;
  'min-ttl-ms'?: string;
  'lock-critical'?: boolean;
  'lock-daemon'?: string[];
  'lock-budget-mib'?: string;
}

/**
 * --metrics/--textfile (issue 11's exporter, one more observer of the guard's view), --min-ttl-ms
 * (MGLRU, global, restored on close) and --lock-critical. Each is loaded only when asked, so a bare
 * guard keeps its small RSS; the metrics and the locker share one /proc reader. Undone in reverse
 * order by close(), also when a later step fails.
 */
export async function startGuardExtras(values: ExtrasValues, bundleDir: string, say: (line: string) => void): Promise<GuardExtras> {
  const undo: (() => Promise<void>)[] = [];
  const close = async () => { for (const u of undo.reverse()) await u(); };
  const observers: GuardObserver[] = [];
  let lock: LockSession | null = null;
  let reader: ProcReader | null = null;
  const sharedReader = async (): Promise<ProcReader> => {
    if (!reader) {
      const { RealReader } = await import('../live/real-reader.js');
      const r = new RealReader({ timeoutMs: 2000, helpers: 1 });
      undo.push(() => r.close());
      reader = r;
    }
    return reader;
  };
  try {
    if (values.metrics || values.textfile) {
      const { startMetricsExporter } = await import('../metrics/exporter.js');
      const ex = await startMetricsExporter({ listen: values.metrics, textfileDir: values.textfile, reader: await sharedReader(), onError: (m) => say(`memtriage guard: metrics: ${m}`) })
        .catch((e: Error) => { throw new ExtrasError(e.message); });
      undo.push(() => ex.close());
      observers.push((v) => ex.observe(v));
    }
    const minTtl = intOption(values['min-ttl-ms'], 'min-ttl-ms');
    if (minTtl != null) {
      const restore = await setMinTtlMs(minTtl).catch((e: Error) => { throw new ExtrasError(`--min-ttl-ms: ${e.message}`); });
      undo.push(() => restore().catch((e) => say(`memtriage guard: could not restore min_ttl_ms: ${(e as Error).message}`)));
      say(`memtriage guard: MGLRU min_ttl_ms set to ${minTtl} (global; the old value comes back when the guard stops)`);
    } else {
      const ttl = await readMinTtlMs();
      if (ttl != null) say(`memtriage guard: MGLRU present, min_ttl_ms = ${ttl}${ttl === 0 ? ' (off; --min-ttl-ms 1000 makes the kernel OOM-kill instead of thrashing, outside cgroup limits)' : ''}`);
    }
    if (values['lock-critical']) {
      const { LockSession: Session } = await import('../guard/lock/session.js');
      const budgetMib = intOption(values['lock-budget-mib'], 'lock-budget-mib');
      const session = new Session({
        reader: await sharedReader(), bundleDir, refreshMs: 30_000, say,
        daemons: values['lock-daemon']?.length ? [...DEFAULT_LOCK_DAEMONS, ...values['lock-daemon']] : undefined,
        budgetBytes: budgetMib != null ? budgetMib * 1024 * 1024 : undefined,
      });
      undo.push(() => session.stop());
      const st = await session.start();
      lock = session;
      say(`memtriage guard: --lock-critical: ${(st.lockedBytes / 1048576).toFixed(1)} MiB locked in ${st.files.length} files of a ${(st.budgetBytes / 1048576).toFixed(1)} MiB budget` +
        `${st.skipped.length ? `; ${st.skipped.length} files did not fit or failed (memtriage guard --status)` : ''}`);
    }
  } catch (e) {
    await close();
    throw e;
  }
  const held = lock as LockSession | null;
  return { observers, lockedBytes: held ? () => held.lockedBytes() : undefined, close };
}
