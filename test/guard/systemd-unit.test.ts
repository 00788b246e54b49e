import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { guardCommand } from '../../src/cli/guard.js';
import { REPO_ROOT } from '../helpers.js';

const unit = readFileSync(join(REPO_ROOT, 'deploy', 'systemd', 'memtriage-guard.service'), 'utf8');
/** The unit's directives, continuation lines joined, comments dropped. */
const directives = unit.replace(/\\\n\s*/g, ' ').split('\n').filter((l) => l && !l.startsWith('#') && l.includes('='));
const value = (key: string) => directives.filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

describe('deploy/systemd/memtriage-guard.service', () => {
  const exec = value('ExecStart')[0];
  const args = exec.slice(exec.indexOf(' guard ') + 7).trim().split(/\s+/);

  it('runs the guard in dry-run, with options the command really has', () => {
    assert.match(exec, /bin\/memtriage\.js guard /);
    const opts = guardCommand.options!;
    for (const a of args.filter((x) => x.startsWith('--'))) assert.ok(a.slice(2) in opts, `${a} is not a guard option`);
    for (let i = 0; i < args.length; i++) {
      const name = args[i].slice(2);
      if (opts[name]?.type === 'string') assert.ok(args[i + 1] && !args[i + 1].startsWith('--'), `${args[i]} needs a value`);
    }
    assert.equal(args[args.indexOf('--mode') + 1], 'dry-run');
  });

  it('keeps the guard alive and ahead under a storm, and restarts it on failure', () => {
    assert.ok(Number(value('OOMScoreAdjust')[0]) <= -800 && Number(value('OOMScoreAdjust')[0]) > -1000);
    assert.ok(Number(value('Nice')[0]) < 0);
    assert.match(value('MemoryMin')[0], /^\d+M$/);
    assert.equal(value('Restart')[0], 'on-failure');
    assert.ok(value('StateDirectory')[0]);
    assert.ok(args.includes(`/var/lib/${value('StateDirectory')[0]}`), 'bundles go to the state directory');
  });
});
