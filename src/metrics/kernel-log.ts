import { KmsgTail } from '../live/kmsg-tail.js';
import { OomKillTracker } from './oom-kills.js';
import { OVERFLOW_LABEL, type Metrics } from './registry.js';

/**
 * Feeds the OOM kill counter from the kernel log. Polled on every scrape and on its own timer: the
 * ring buffer is small, and a log read only when Prometheus comes by could wrap between two scrapes
 * (or while nobody scrapes) and lose kills. Reads never block (O_NONBLOCK); a full parse runs only
 * when a batch holds a victim line. Overruns are counted, so an undercount is said, not hidden.
 */
export class KernelLogKills {
  private tail: KmsgTail | null;
  private readonly tracker = new OomKillTracker();
  private readonly seen = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private overruns = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly m: Metrics, path: string, private readonly maxSeries: number, private readonly report: (msg: string) => void, pollMs: number) {
    this.tail = new KmsgTail(path);
    try {
      this.tail.open();
      m.gauge('memtriage_kernel_log_up').set(1);
    } catch (e) {
      report(`kernel log: cannot open ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); OOM kills are not counted`);
      this.tail = null;
      m.gauge('memtriage_kernel_log_up').set(0);
      return;
    }
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.timer.unref();
  }

  /** Reads what arrived and counts new kills; polls run one after another. */
  poll(): Promise<void> {
    return (this.chain = this.chain.then(() => this.once()));
  }

  private async once(): Promise<void> {
    const tail = this.tail;
    if (!tail) return;
    try {
      this.tracker.add(tail.poll());
      if (tail.overruns > this.overruns) {
        this.m.counter('memtriage_kernel_log_overruns_total').inc(tail.overruns - this.overruns);
        this.overruns = tail.overruns;
      }
      for (const k of await this.tracker.take()) this.count(k.cgroup, k.program);
    } catch (e) {
      this.stop();
      this.m.gauge('memtriage_kernel_log_up').set(0);
      this.report(`kernel log: ${(e as Error).message}; OOM kills are no longer counted`);
    }
  }

  /** Bounded label set: beyond maxSeries (cgroup, program) pairs, kills go to "other". */
  private count(cgroup: string, program: string): void {
    const key = `${cgroup}\0${program}`;
    if (!this.seen.has(key) && this.seen.size < this.maxSeries) this.seen.add(key);
    const labels = this.seen.has(key) ? { cgroup, program } : { cgroup: OVERFLOW_LABEL, program: OVERFLOW_LABEL };
    this.m.counter('memtriage_oom_kills_total').inc(labels, 1);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.tail?.close();
    this.tail = null;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.chain;
    this.stop();
  }
}
