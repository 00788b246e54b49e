import { test } from 'node:test';
import { alloc } from '../../../../src/parse/kernel/alloc/kind.js';
import { checkKind } from '../kind-case.js';

test('alloc: an order-9 GFP_ATOMIC page allocation failure of 6.1', async () => {
  // line 7 "insmod: page allocation failure: order:9, mode:0xa20(GFP_ATOMIC)"; line 8 "CPU: 0 PID: 91 Comm: insmod Tainted: G     U     OE"
  await checkKind(alloc, [{ fixture: 'qemu-6.1-page-alloc-failure-order9-atomic.log', line: 7, incidentKind: 'page_alloc_failure',
    summary: [/insmod \(pid 91\)/, /order 9/, /GFP_ATOMIC/], details: [/tainted G U OE/, /DMA32: free 12964 kB/] }]);
});
