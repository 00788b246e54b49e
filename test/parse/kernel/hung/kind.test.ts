import { test } from 'node:test';
import { hung } from '../../../../src/parse/kernel/hung/kind.js';
import { checkKind } from '../kind-case.js';

test('hung: the 10 s and the 20 s report of one D-state insmod (hung_task_timeout_secs=10)', async () => {
  // "INFO: task insmod:90 blocked for more than 10 seconds." (line 5), "… 20 seconds." (line 43)
  await checkKind(hung, [
    { fixture: 'qemu-6.1-hung-task.log', line: 5, incidentKind: 'hung_task', summary: [/insmod \(pid 90\)/, /10 s/], details: [/schedule_timeout/] },
    { fixture: 'qemu-6.1-hung-task.log', line: 43, incidentKind: 'hung_task', summary: [/insmod \(pid 90\)/, /20 s/] },
  ]);
});
