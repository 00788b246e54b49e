import type { SectionParser } from '../types.js';
import { busyboxTop } from './busybox-top.js';
import { buddyinfo } from './buddyinfo.js';
import { crashBt } from './crash-bt.js';
import { crashCount } from './crash-count.js';
import { crashKmem } from './crash-kmem.js';
import { crashPs } from './crash-ps.js';
import { crashStruct } from './crash-struct.js';
import { crashTask } from './crash-task.js';
import { free } from './free.js';
import { funccount } from './funccount.js';
import { guardDecision } from './guard-decision.js';
import { guardSamples } from './guard-samples.js';
import { iostat } from './iostat.js';
import { lsFd } from './ls-fd.js';
import { memcgEvents } from './memcg-events.js';
import { memcgStat } from './memcg-stat.js';
import { meminfo } from './meminfo.js';
import { mpstat } from './mpstat.js';
import { pagetypeinfo } from './pagetypeinfo.js';
import { pcstat } from './pcstat.js';
import { pidstat } from './pidstat.js';
import { procVmstat } from './proc-vmstat.js';
import { procpsTop } from './procps-top.js';
import { ps } from './ps.js';
import { psi } from './psi.js';
import { slabinfo } from './slabinfo.js';
import { slabtop } from './slabtop.js';
import { trace } from './trace.js';
import { vmstatTool } from './vmstat-tool.js';
import { vmtouch } from './vmtouch.js';
import { zoneinfo } from './zoneinfo.js';
import { sysctl } from './sysctl.js';
import { enomem } from './enomem.js';

/**
 * Every section parser, in the order they are asked (more specific formats first): crash commands
 * before the generic crash struct reader, "… | wc -l" before crash ps, the tools that print
 * process tables before the generic ps, and the loose "key value" formats last. Of those, the memory
 * cgroup files go before meminfo and proc-vmstat: memory.stat looks like /proc/vmstat, and the keys
 * each claims are disjoint (memcg-stat.ts), so the order is a second guard, not the only one.
 * test/parse/sections-registry.test.ts checks this list matches the folder.
 */
export const SECTION_PARSERS: SectionParser[] = [
  guardDecision,
  guardSamples,
  crashCount,
  crashKmem,
  crashPs,
  crashBt,
  crashTask,
  crashStruct,
  funccount,
  trace,
  pidstat,
  mpstat,
  iostat,
  busyboxTop,
  procpsTop,
  free,
  vmstatTool,
  slabtop,
  slabinfo,
  pagetypeinfo,
  buddyinfo,
  zoneinfo,
  psi,
  pcstat,
  vmtouch,
  lsFd,
  memcgEvents,
  memcgStat,
  meminfo,
  procVmstat,
  ps,
  sysctl,
  enomem,
];
