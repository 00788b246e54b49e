import { test } from 'node:test';
import { error } from '../../../../src/parse/kernel/error/kind.js';
import { checkKind } from '../kind-case.js';

test('error: lkdtm WARNING then BUG, each from its "cut here" line', async () => {
  // line 6 "WARNING: CPU: 0 PID: 93 at /tmp/qemu-fixtures/lkdtm/bugs.c:85 …", CPU line "Comm: sh";
  // the BUG after it: "kernel BUG at /tmp/qemu-fixtures/lkdtm/bugs.c:78!", pid 94, taint now G W OE
  await checkKind(error, [
    { fixture: 'qemu-6.1-warning-and-bug.log', line: 5, incidentKind: 'warning', summary: [/bugs\.c:85/, /sh pid 93/], details: [/tainted G OE/] },
    { fixture: 'qemu-6.1-warning-and-bug.log', line: 49, incidentKind: 'bug', summary: [/bugs\.c:78/, /sh pid 94/], details: [/tainted G W OE/] },
  ]);
});
