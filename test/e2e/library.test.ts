import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, fixturePath } from '../helpers.js';

// Issue 10 item 7: the README's library example, run as a program that installed memtriage.
test('import { analyze, render } from "memtriage" works as the README shows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mt-lib-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'memtriage'));
    writeFileSync(join(dir, 'use.mjs'), `import { analyze, render } from 'memtriage';
const analysis = await analyze([{ path: ${JSON.stringify(fixturePath('host-6.18-memcg-v1-oom.dmesg.log'))} }]);
for (const f of analysis.findings) console.log(f.severity, f.rule);
console.log(render(analysis, 'md').split('\\n')[0]);
`);
    const r = spawnSync(process.execPath, [join(dir, 'use.mjs')], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^critical memcg-limit$/m);
    assert.match(r.stdout, /^## memtriage report$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
