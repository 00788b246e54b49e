import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driverWarning } from '../../src/rules/driver-warning.js';
import { analyzeText } from '../helpers.js';
import { readFixture } from '../helpers.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

for (const inputs of [['seed000-4.15-warning-nvme.log'], ['seed:000']]) {
  test(`fires on ${inputs.join(' + ')}: mod_timer WARNING from nvme_irq, IRQ context`, { skip: !available(inputs) && 'no seeds' }, async () => {
    const f = await only(driverWarning, inputs);
    assert.equal(f.title, 'WARNING in mod_timer reached from the nvme driver in IRQ context');
    const d = f.data as Record<string, unknown>;
    assert.deepEqual([d.function, d.drivers, d.irqContext, d.comm, d.pid], ['mod_timer', ['nvme'], true, 'lotus-seal-work', 7755]);
    // xfs frames belong to the task the interrupt landed on, after </IRQ>: not on the WARNING's path.
    assert.deepEqual(d.driverFrames, [
      { fn: 'nvme_pci_complete_rq', module: 'nvme', irq: true },
      { fn: 'nvme_process_cq', module: 'nvme', irq: true },
      { fn: 'nvme_irq', module: 'nvme', irq: true },
    ]);
    assert.ok(f.explanation.includes('nvme_irq [nvme] → nvme_process_cq [nvme] → nvme_pci_complete_rq [nvme]'));
    assert.ok(f.explanation.includes('does not mean data was lost'));
    assert.match(evidenceText(f), /nvme_irq\+0x23\/0x50 \[nvme\]/);
  });
}

test('silent once the module frames are cut from the real WARNING', async () => {
  // seed000-4.15-warning-nvme.log with every call-trace line naming a module ("[nvme]", "[xfs]")
  // removed, and nothing else changed: the same WARNING with only built-in frames must not fire.
  const text = readFixture('seed000-4.15-warning-nvme.log').split('\n').filter((l) => !/\+0x[0-9a-f]+\/0x[0-9a-f]+ \[\w+\]$/.test(l)).join('\n');
  const a = await analyzeText(text, [driverWarning]);
  assert.equal(a.incidents.filter((i) => i.kind === 'warning').length, 1);
  assert.deepEqual(a.findings, []);
});

// OOMs, hung tasks and allocation failures are not WARN/BUG/Oops reports.
const silent = [['seed:003'], ['seed000-4.15-page-alloc-failure.log'], ['host-6.18-hung-task-fuse.dmesg.log'], ['host-6.18-memcg-v1-oom.dmesg.log'], ['seed:002']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(driverWarning, inputs)).findings, []);
  });
}
