import { DEFAULT_PROTECT } from '../guard/policy.js';

/** `memtriage guard --help`: what it watches, when it decides, what it does, every option. */
export const GUARD_HELP = `Usage: memtriage guard [--mode dry-run|warn|kill] [options]
       memtriage guard --replay SAMPLES [threshold options]

Watches for the swapless thrash spiral: memory so tight that the code and data pages of every
daemon are evicted and re-read from disk on each access, so nothing makes progress and the kernel's
OOM killer never comes (seed 001: Kubernetes nodes NotReady for hours). Runs in the foreground (a
systemd unit is in deploy/systemd/); as root for the full picture.

Every --interval-ms (10 Hz) it reads, from files kept open and read with pread, for the whole
machine and for each cgroup with a memory limit or with processes (cgroup v1, v2, or the hybrid
where v1 holds the memory controller and the cgroup2 twin gives memory.pressure):
  memory/io PSI "total" (stall time), memory.stat major faults and refaults, usage and limit,
  /proc/vmstat scan and steal, and cachestat of the protected daemons' binaries (evicted pages).
Only the PSI files, a few bytes each, are read on every tick (and while the machine's own PSI
total stands still, nothing stalled anywhere: only that one). The larger memory.stat, usage and
/proc/vmstat of a group whose stall over the last tick stayed under --quiet-stall-percent (1) of
the tick are read every --quiet-stat-ms (1000) and carried between, as are limits, OOM kill counts,
io PSI and meminfo always (and the cachestat of the protected binaries on ticks when nothing
stalled anywhere); the first tick with a stall at or above that floor reads them again,
and so does every tick while it lasts, so the fault rate that confirms a storm is at full rate
from the stall's first tick and detection is not delayed.

A cgroup is in a storm when (defaults measured on real storms, see the README):
  its memory stall over the last 1 s ("some", from PSI total deltas) is >= --some-percent (10)
  at every tick for --hold-ms (2000), confirmed by >= --major-faults (10) major faults/s over that
  time or by the protected binaries losing pages; without confirmation only when some >=
  --severe-some-percent (40) or full >= --severe-full-percent (30) for --severe-hold-ms (5000).
  MemAvailable, PSI avg10 and host-wide PSI alone never decide. A storm is attributed to the
  limited cgroup it happens in; the whole machine ("/") decides only when no cgroup is pressured.

On a storm, first the evidence: one .tar.gz bundle in --bundle-dir (the last 60 s of samples, the
decision with its numbers, the victim ranking, /proc and the cgroup's files), then one JSON line
on standard output. Then, by --mode:
  dry-run   (default) nothing more
  warn      run --hook CMD
  kill      run --pre-hook, kill one process of the storming cgroup (SIGTERM, --grace-ms, SIGKILL
            and process_mrelease, through a pidfd), run --post-hook; --kill-cgroup kills every
            eligible process of the cgroup instead (containers)
One action per storm, then --cooldown-ms. The victim is the process that grew its anonymous
memory and read the most over the last 10 s, else the one with the most anonymous memory; never
one with oom_score_adj -1000, never a protected one (${DEFAULT_PROTECT.join(', ')} and the
guard itself, plus --protect NAME|/CGROUP|UNIT.service), --prefer/--avoid REGEX rank first/last.
Hooks get MEMTRIAGE_EVENT, MEMTRIAGE_CGROUP, MEMTRIAGE_BUNDLE, MEMTRIAGE_DECISION (JSON) and
MEMTRIAGE_VICTIM_PID in their environment and are killed after --hook-timeout-ms.

Output: standard output carries only JSON lines, one per decision ("event":"storm") and one per
action ("event":"action"); standard error carries lines for people (start, problems).

Options:
  --mode M                 dry-run (default), warn or kill
  --interval-ms N          sampling period (default 100)
  --watch PATH             only cgroups under PATH (repeatable), e.g. --watch /kubepods
  --no-host                do not watch the whole machine as "/"
  --max-cgroups N          watch at most N cgroups (default 64)
  --bundle-dir DIR         where evidence bundles go (default /var/tmp/memtriage-guard)
  --keep-bundles N         newest bundles kept (default 50)
  --protect X              never kill: a process name, a /cgroup/path or a unit (repeatable)
  --prefer RE, --avoid RE  rank processes whose name matches first / last
  --kill-cgroup            in kill mode, kill every eligible process of the cgroup
  --grace-ms N             SIGTERM to SIGKILL (default 1000)
  --hook CMD               warn mode: run CMD;  --pre-hook CMD / --post-hook CMD around a kill
  --hook-timeout-ms N      default 2000
  --some-percent P, --hold-ms N, --major-faults N, --evicted-pages N (per second, default 16),
  --severe-some-percent P, --severe-full-percent P, --severe-hold-ms N, --cooldown-ms N (10000)
  --quiet-interval-ms N    tick every N ms while the machine's PSI total stands still (default
                           200, at most 500; the first tick that sees a stall goes back to
                           --interval-ms; equal to --interval-ms: always the same rate)
  --quiet-stat-ms N        read the stat files of quiet groups, limits and meminfo every N ms
                           (default 1000; --interval-ms reads everything on every tick)
  --quiet-stall-percent P  a tick is quiet below P % stall (default 1; must be below --some-percent;
                           0 reads the stat files on every tick)
  --metrics ADDR           serve Prometheus metrics (the guard's view, memory holders, kernel OOM
                           kills) on ADDR, e.g. 127.0.0.1:9477 (README "Fleet")
  --textfile DIR           write them to DIR/memtriage.prom for node_exporter's textfile collector
  --lock-critical          mlock the executables and libraries of the protected daemons (sshd,
                           systemd, systemd-journald, kubelet, containerd, dockerd and the guard)
                           so a storm cannot evict their code; refreshed every 30 s (a restarted
                           daemon's new binary is locked, the old one let go); the guard lowers its
                           own oom_score_adj as far as it may (the pages count in its OOM score)
  --lock-daemon NAME       one more daemon (comm) to lock (repeatable)
  --lock-budget-mib N      lock at most N MiB (default the smaller of 256 MiB and 5 % of RAM)
  --status                 what the running guard (same --bundle-dir) holds locked, its budget,
                           its oom_score_adj and MGLRU's min_ttl_ms; exit 3 when no guard runs
  --min-ttl-ms N           where MGLRU exists, set /sys/kernel/mm/lru_gen/min_ttl_ms to N while
                           the guard runs (global; the old value is restored on exit)
  --record FILE            append every sample to FILE as JSON lines (for --replay, fixtures)
  --duration-s N           stop after N seconds (default: run until SIGTERM/SIGINT)
  --replay FILE            run the detector and the victim policy over a recorded series (a
                           bundle's guard/samples.jsonl, a --record file or a CSV with the
                           columns of src/guard/series.ts); prints each decision as a JSON line;
                           exit 1 when a storm would have been decided, 0 when not

Examples:
  sudo memtriage guard                                   # dry-run: detect, keep evidence, log
  sudo memtriage guard --mode kill --watch /kubepods --protect /kubepods/besteffort/critical
  memtriage guard --replay samples.jsonl --some-percent 15
  sudo memtriage guard --lock-critical --lock-daemon my-agent   # keep critical code in RAM
  memtriage guard --status
  memtriage analyze /var/tmp/memtriage-guard/memtriage-guard-node7-20261201-104400-kubepods.tar.gz

Exit codes: 0 stopped by a signal or --duration-s, 2 bad usage; with --replay 1 when a storm is
found; with --status 3 when no running guard has written a status.`;
