import { Counter, Gauge, Registry } from 'prom-client';

/**
 * Every metric memtriage exports, as data: the README's table is checked against this list, and
 * createMetrics() builds the prom-client objects from it. Names follow the Prometheus conventions:
 * `memtriage_` prefix, base units (bytes, seconds, ratios 0..1), `_total` for counters only.
 * A value the machine did not give us is left out (no series), never exported as 0.
 */
export interface MetricDef {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  labels: readonly string[];
  /** Where it comes from, for the README. */
  source: 'guard' | 'accounting' | 'kernel log' | 'exporter';
}

/** Label caps: the number of label values is bounded whatever the machine does. */
export const DEFAULT_MAX_CGROUPS = 100;
export const DEFAULT_MAX_OOM_SERIES = 100;
/** The value cgroup/program/action labels take beyond their cap. */
export const OVERFLOW_LABEL = 'other';

export const METRICS = [
  { name: 'memtriage_cgroup_memory_pressure_ratio', type: 'gauge', labels: ['cgroup', 'kind', 'window'], source: 'guard',
    help: 'Share of the window (1s or 10s) in which some (kind="some") or all non-idle (kind="full") tasks of the cgroup stalled on memory, 0..1, from PSI totals.' },
  { name: 'memtriage_cgroup_major_page_faults_per_second', type: 'gauge', labels: ['cgroup'], source: 'guard',
    help: 'Major page faults per second in the cgroup over the last guard tick.' },
  { name: 'memtriage_cgroup_refaults_per_second', type: 'gauge', labels: ['cgroup'], source: 'guard',
    help: 'File pages read back soon after being evicted (workingset refaults) per second: the thrash signal.' },
  { name: 'memtriage_cgroup_guard_state', type: 'gauge', labels: ['cgroup', 'state'], source: 'guard',
    help: 'The guard state of the cgroup: 1 for the current state (quiet, suspect, storm, cooldown), 0 for the others.' },
  { name: 'memtriage_cgroups_not_exported', type: 'gauge', labels: [], source: 'guard',
    help: 'Cgroups the guard watches that are left out of the per-cgroup metrics by the label cap (least pressure first).' },
  { name: 'memtriage_guard_mode', type: 'gauge', labels: ['mode'], source: 'guard',
    help: 'The guard mode: 1 for the current one (dry-run, warn, kill).' },
  { name: 'memtriage_guard_last_tick_timestamp_seconds', type: 'gauge', labels: [], source: 'guard',
    help: 'Wall clock of the guard tick these metrics come from, seconds since the epoch.' },
  { name: 'memtriage_guard_detections_total', type: 'counter', labels: [], source: 'guard',
    help: 'Memory storms the guard detected since it started.' },
  { name: 'memtriage_guard_actions_total', type: 'counter', labels: ['action'], source: 'guard',
    help: 'Actions the guard took since it started, by kind (bundle, hook, kill, kill_cgroup).' },
  { name: 'memtriage_guard_locked_bytes', type: 'gauge', labels: [], source: 'guard',
    help: 'Bytes of critical daemons\' code the guard holds mlocked (--lock-critical); absent when locking is off.' },
  { name: 'memtriage_memory_total_bytes', type: 'gauge', labels: [], source: 'accounting',
    help: 'MemTotal: the memory the kernel manages.' },
  { name: 'memtriage_memory_holder_bytes', type: 'gauge', labels: ['holder'], source: 'accounting',
    help: 'Memory by holder (anon, cache, shmem, slab, hugetlb, unaccounted). unaccounted is MemTotal minus every counter: memory held outside them (drivers, balloons); absent when a counter it needs is missing.' },
  { name: 'memtriage_memory_accounting_up', type: 'gauge', labels: [], source: 'accounting',
    help: '1 when /proc/meminfo was read at the last scrape, 0 when it could not be.' },
  { name: 'memtriage_oom_kills_total', type: 'counter', labels: ['cgroup', 'program'], source: 'kernel log',
    help: 'OOM kills seen in the kernel log since the exporter started reading it (the ring buffer since boot included), by the cgroup whose limit was hit ("/" for the whole machine) and the killed program.' },
  { name: 'memtriage_kernel_log_overruns_total', type: 'counter', labels: [], source: 'kernel log',
    help: 'Times kernel log records were overwritten in the ring buffer before memtriage read them: OOM kills in them may be missing from memtriage_oom_kills_total.' },
  { name: 'memtriage_kernel_log_up', type: 'gauge', labels: [], source: 'kernel log',
    help: '1 when /dev/kmsg is being read, 0 when it cannot be (no CAP_SYSLOG, no /dev/kmsg): then no OOM kill is counted.' },
] as const satisfies readonly MetricDef[];

export type MetricName = (typeof METRICS)[number]['name'];

export interface Metrics {
  registry: Registry;
  gauge(name: MetricName): Gauge<string>;
  counter(name: MetricName): Counter<string>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const byName = new Map<string, Gauge<string> | Counter<string>>();
  for (const d of METRICS) {
    const cfg = { name: d.name, help: d.help, labelNames: [...d.labels], registers: [registry] };
    if (d.type === 'counter') { byName.set(d.name, new Counter(cfg)); continue; }
    const g = new Gauge(cfg);
    // prom-client starts an unlabelled gauge at 0; ours start absent until a real value is set.
    g.remove({});
    byName.set(d.name, g);
  }
  return {
    registry,
    gauge: (name) => byName.get(name) as Gauge<string>,
    counter: (name) => byName.get(name) as Counter<string>,
  };
}
