import { test } from 'node:test';
import { oom } from '../../../../src/parse/kernel/oom/kind.js';
import { checkKind } from '../kind-case.js';

test('oom: a global OOM report of 6.1, from its "invoked oom-killer" line', async () => {
  // line 1 "hog invoked oom-killer: gfp_mask=0x140dca(…), order=0"; line 61 "Killed process 95 (hog) … anon-rss:315948kB"
  await checkKind(oom, [{ fixture: 'qemu-6.1-global-oom.log', line: 1, incidentKind: 'oom_kill',
    summary: [/killed hog \(pid 95\)/, /triggered by hog/, /order 0/], details: [/6\.1\.0-53-amd64/, /CONSTRAINT_NONE/, /0x140dca/] }]);
});
