/**
 * analyze's help and options, apart from its code: `memtriage analyze --help` loads this module
 * only (src/cli/registry.ts), not the parsers, rules and reports analyze itself imports.
 */
export const ANALYZE_HELP = `Usage: memtriage analyze [FILE…] [options]

Reads kernel logs, /proc snapshots, tool screens and crash-utility output, finds every OOM kill,
allocation failure, hung task, lockup and kernel error, and explains why memory ran out.

  FILE            a log or snapshot: dmesg, dmesg -T, kern.log/syslog, journalctl -k (also -o json),
                  /dev/kmsg, a console capture, compressed with gzip, xz, bzip2 or zstd (told by its
                  content, not its name), an article or chat paste that mixes them, /proc/meminfo,
                  slabinfo, top/pidstat/iostat screens, crash output, a \`memtriage collect\` bundle.
                  Several files are analyzed together (a log plus meminfo plus two top screens).
                  "-" reads standard input (also compressed); <(dmesg) and named pipes work.
                  With no FILE and nothing piped in, reads this machine's own kernel log
                  (/dev/kmsg, else dmesg, else journalctl -k -b), with wall-clock times from the boot time.

Options:
  -f, --format F  text (default), json (the public contract, see docs), md (for a ticket)
  -o, --output P  write the report to the regular file P (replaced whole, at the end); "-" is
                  standard output. Devices, directories and symlinks are refused.
      --since T   only incidents at or after T: "2022-06-12 03:00" or seconds since boot ("63000")
      --until T   only incidents at or before T (same forms)
      --kind K,…  only these incident kinds (oom_kill,page_alloc_failure,hung_task,soft_lockup,…)
      --fail-on S exit 1 when a finding is at least S: critical, warning or info (default: never)
      --set R.O=V set threshold O of rule R to the number V (repeatable); an unknown rule or option
                  is an error that lists the ones there are, e.g. --set unaccounted-memory.reportShare=0.2
      --no-color  plain text even on a terminal (also NO_COLOR=1)
  -h, --help      this text

Examples:
  memtriage analyze                       # this machine, now (as root: non-root users usually may not read it)
  memtriage analyze /var/log/kern.log.1.gz
  journalctl -k -b -1 | memtriage analyze -
  memtriage analyze dmesg.txt meminfo.txt slabinfo.txt --format json -o report.json

Exit codes: 0 ran fine, 1 a finding at or above --fail-on, 2 bad usage or unreadable input,
3 could not look (this machine's kernel log unreadable, empty input, a time filter that could not
place the incidents): never read 3 as "nothing happened".`;

export const ANALYZE_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'text' }, output: { type: 'string', short: 'o' },
  since: { type: 'string' }, until: { type: 'string' }, kind: { type: 'string' },
  'fail-on': { type: 'string' }, 'no-color': { type: 'boolean', default: false },
  set: { type: 'string', multiple: true },
} as const;
