import { test } from 'node:test';
import { sysrq } from '../../../../src/parse/kernel/sysrq/kind.js';
import { checkKind } from '../kind-case.js';

test('sysrq: w (Show Blocked State) with one D task, m (Show Memory)', async () => {
  // sysrq-w line 2 "task:insmod state:D … pid:91"; sysrq-m line 14 "Node 0 DMA32 free:394240kB … min:2608kB"
  await checkKind(sysrq, [
    { fixture: 'qemu-6.1-sysrq-w.log', line: 1, incidentKind: 'sysrq_blocked', summary: [/Show Blocked State/, /1 task/], details: [/insmod pid 91 D/] },
    { fixture: 'qemu-6.1-sysrq-m.log', line: 3, incidentKind: 'sysrq_show_mem', summary: [/Show Memory/], details: [/DMA32: free 394240 kB, min 2608/] },
  ]);
});
