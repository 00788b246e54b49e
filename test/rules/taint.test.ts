import assert from 'node:assert/strict';
import { test } from 'node:test';
import { taint } from '../../src/rules/taint.js';
import { available, evidenceText, only, runRule } from './run-rule.js';

const NVIDIA = [{ name: 'nvidia_drm', flags: 'POE' }, { name: 'nvidia_modeset', flags: 'POE' }, { name: 'nvidia', flags: 'POE' }];

test('seed 000: "P OE" then "P W OE", nvidia modules, W set after the mod_timer WARNING', { skip: !available(['seed:000']) && 'no seeds' }, async () => {
  const f = await only(taint, ['seed:000']);
  const d = f.data as { taints: string[]; flags: { letter: string }[]; taintedModules: unknown; changes: number };
  assert.deepEqual(d.taints, ['P OE', 'P W OE']);
  assert.deepEqual(d.flags.map((x) => x.letter), ['P', 'O', 'E', 'W']);
  assert.deepEqual(d.taintedModules, NVIDIA);
  assert.equal(d.changes, 1);
  assert.equal(f.severity, 'info');
  for (const s of ['P: a proprietary (non-GPL) module was loaded', 'O: an externally-built (out-of-tree) module', 'E: an unsigned module', 'nvidia(POE)', 'W appeared between', 'so a WARN happened in between', 'in mod_timer, earlier in this input']) {
    assert.ok(f.explanation.includes(s), `lacks "${s}"`);
  }
  assert.match(evidenceText(f), /Tainted: P {11}OE/);
  assert.match(evidenceText(f), /Tainted: P {8}W {2}OE/);
});

test('the WARNING alone: "P OE", module flags from Modules linked in, no change', async () => {
  const f = await only(taint, ['seed000-4.15-warning-nvme.log']);
  const d = f.data as { taints: string[]; taintedModules: unknown; changes: number };
  assert.deepEqual([d.taints, d.taintedModules, d.changes], [['P OE'], NVIDIA, 0]);
  assert.match(evidenceText(f), /Modules linked in: .*nvidia_drm\(POE\)/);
});

test('the allocation failure alone: "P W OE", no module list', async () => {
  const f = await only(taint, ['seed000-4.15-page-alloc-failure.log']);
  const d = f.data as { taints: string[]; taintedModules: unknown[] };
  assert.deepEqual([d.taints, d.taintedModules], [['P W OE'], []]);
  assert.ok(f.explanation.includes('W: the kernel issued a warning (WARN) earlier'));
});

// "Not tainted" kernels (seed 003's 4.9, this machine's 6.18) and inputs with no CPU line.
const silent = [['seed:003'], ['host-6.18-memcg-v1-oom.dmesg.log'], ['host-6.18-hung-task-fuse.dmesg.log'], ['seed000-4.15-oom-kill-syslog.log'], ['seed:001']];
for (const inputs of silent) {
  test(`silent on ${inputs.join(' + ')}`, { skip: !available(inputs) && 'no seeds' }, async () => {
    assert.deepEqual((await runRule(taint, inputs)).findings, []);
  });
}
