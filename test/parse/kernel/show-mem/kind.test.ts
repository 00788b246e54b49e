import { test } from 'node:test';
import { showMem } from '../../../../src/parse/kernel/show-mem/kind.js';
import { checkKind } from '../kind-case.js';

test('show-mem: a Mem-Info printed on its own (warn_alloc_show_mem after suppressed callbacks, seed 000)', async () => {
  // line 12 "Node 0 DMA32 free:2054768kB min:5428kB", line 14 "Node 0 Normal free:1044152kB min:1042948kB"
  await checkKind(showMem, [{ fixture: 'seed000-4.15-meminfo-after-failure.log', line: 1, incidentKind: 'show_mem',
    summary: [/Mem-Info/], details: [/DMA32: free 2054768 kB, min 5428/, /Normal: free 1044152 kB, min 1042948/] }]);
});
