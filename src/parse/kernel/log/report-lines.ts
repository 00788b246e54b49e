/**
 * Lines that occur inside kernel reports (traces, registers, Mem-Info, zone and buddy lines, task
 * tables, memcg stats…). A report block goes on while its lines look like these, and ends at the
 * first lines that do not: the next unrelated kernel message, or the prose around a pasted log.
 */
const WORDS = [
  'Call Trace', 'Call trace', 'Stack', 'Backtrace', 'Code', 'Exception stack', 'Hardware name', 'Workqueue',
  'Modules linked in', 'irq event stamp', 'hardirqs', 'softirqs', 'Sending NMI', 'NMI backtrace', 'Kernel Offset',
  'task', 'CR2', 'Mem abort info', 'Data abort info', 'ESR', 'FAR', 'Internal error', 'Process', 'Preemption disabled at',
  'Showing busy workqueues', 'Showing all locks', 'RIP', 'RSP', 'RAX', 'RBX', 'RCX', 'RDX', 'RSI', 'RDI', 'RBP',
  'R\\d+', 'FS', 'GS', 'CS', 'DS', 'ES', 'CR0', 'DR\\d', 'PKRU', 'EIP', 'EAX', 'ESI', 'EBP', 'pc', 'lr', 'sp', 'ip', 'fp',
  'x\\d+', 'r\\d+', 'PC is at', 'LR is at', 'Flags', 'Control', 'Table', 'psr', 'pstate', 'CPU', 'Pid', 'Comm', 'Tainted',
  'Not tainted', 'INFO', 'NIP', 'MSR', 'GPR\\d+', 'LR', 'CTR', 'XER', 'TRAP', 'DAR', 'DSISR', 'Instruction dump',
  'rcu', 'Task dump', 'oom-kill', 'Tasks state', 'Memory cgroup', 'memory', 'kmem', 'swap', 'Task in', 'Free swap',
  'Total swap', 'Swap cache', 'Node \\d+', 'lowmem_reserve', 'Mem-Info', 'warn_alloc', 'oom_reaper', 'Out of memory',
  'Killed process', 'Kernel panic', 'watchdog', 'NMI watchdog', 'show_mem', 'sched_show_task', 'sysrq',
  'Disabling lock debugging', 'possible reason', 'Dumping ftrace', 'Rebooting', 'hugetlb',
  // arm64 panic epilogue
  'SMP: stopping secondary CPUs', 'PHYS_OFFSET', 'CPU features', 'Memory Limit',
];
/** The one pattern not anchored at the message's start (see isReportLine). */
const CPUSET = /\bcpuset=\S* mems_allowed=/;
// memcg stat lines "cache 53248", and call-trace frames: the most common lines inside reports
const STAT_LINE = /^\s*[a-z_]+ \d+\s*$/;
const FRAME = /^\s*(?:\? )?[\w.$]+\+0x[0-9a-f]+\/0x[0-9a-f]+/;
const PATTERNS: RegExp[] = [
  new RegExp(`^\\s*(?:${WORDS.join('|')})\\b`),
  // stack frames: x86/arm64 "fn+0x1/0x2 [mod]", "[<addr>] fn+…", arm "(fn) from", IRQ/TASK markers
  FRAME, /^\s*\[<[0-9a-f]+>\]/, /^\s*<\/?(?:IRQ|TASK|NMI|EOI|SOFTIRQ)>\s*$/,
  // task table header and rows, "---[ end trace …]---", elisions "..." in pasted dumps
  /^\s*\[\s*(?:pid|\d+)\s*\]/, /^\s*---\[ end /, /^\s*#PF: /, /^\s*PGD [0-9a-f]+ /, /^\s*\.{3,}\s*$/, /^\s*"echo 0 >/,
  // OOM "Unreclaimable slab info:" table: "Name  Used  Total", "kmalloc-cg-4k   416752KB   416752KB"
  /^\s*Unreclaimable slab info:/, /^\s*Name\s+Used\s+Total\s*$/, /^\s*\S+\s+\d+KB\s+\d+KB\s*$/,
  // "tor cpuset=/ mems_allowed=0" (≤4.x OOM header's second line), memcg "memory+swap:", and the
  // "DMA per-cpu:" headings that open a 2.6.x–3.x Mem-Info (each followed by "CPU    0: hi: …" lines)
  CPUSET, /^\s*(?:DMA32|DMA|Normal|HighMem|Movable|Device)(?: free:|: \d+\*| per-cpu:\s*$)/, /^\s*memory\+swap:/, /^\s*\d+ (?:total pagecache|pages)\b/,
  // hung-task / sysrq-w task lines: "logd            D    0   493      1 0x00000000"
  /^\s*\S+\s+[DRSTIZXWP]\s+\S+\s+\d+\s+\d+\s+0x[0-9a-f]+/, /^\s*task\s+PC\s+stack\s+pid\s+father/,
  // hex dump words (old x86 stack, arm exception stack "9ce0: 00000200 …")
  /^\s*(?:[0-9a-f]{4}:\s+)?(?:[0-9a-f]{8,16}\s*){2,}$/,
  // memcg stat lines "cache 53248", Mem-Info counters "active_anon:125187 …"
  STAT_LINE, /^\s*[a-z_]+:\s?\d+/,
  // register dumps "r10: e79e9d78  r9 : 00000001", rcu per-CPU lines "\t3-...!: (1 GPs behind)"
  /^\s*[a-z]{1,3}\d{0,2}\s*: [0-9a-f]{8}/, /^\s*\d+-[.\w!]+:\s*\(/, /^\s*\((?:detected by|t=)/,
  // module list continuation: " i2c_algo_bit cryptd nvme ptp usbhid drm ahci nvme_core", or a
  // short one whose module carries flags (" test_lockup(+)": + loading, - unloading, letters taint)
  /^\s+[\w-]+(?:\([A-Z+-]+\))?(?:\s+[\w-]+(?:\([A-Z+-]+\))?){3,}\s*$/,
  /^\s+[\w-]+\([A-Z+-]+\)(?:\s+[\w-]+(?:\([A-Z+-]+\))?)*\s*$/,
];
// Joined into one pattern, tried in this order: any match gives the same answer, but the lines
// most common in reports matched first cost half the time of trying the hundred words before
// them (in the sized bench logs' reports 39 % are stat lines, 22 % frames). CPUSET, the one pattern not
// anchored at the start, is tried only when its literal is there.
const FIRST = [STAT_LINE, FRAME];
const ANCHORED = new RegExp([...FIRST, ...PATTERNS.filter((r) => r !== CPUSET && !FIRST.includes(r))].map((r) => `(?:${r.source})`).join('|'));

export function isReportLine(msg: string): boolean {
  return ANCHORED.test(msg) || (msg.includes('cpuset=') && CPUSET.test(msg));
}
