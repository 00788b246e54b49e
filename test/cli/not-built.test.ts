import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../helpers.js';

// bin/memtriage.js runs what `npm ci` / `npm run build` wrote into dist/ (dist/bundle since the
// CLI is bundled). A copy that was never built, or whose build stopped half-way, says so and
// what to do (exit 2), never the module loader's stack trace.

const tmp = mkdtempSync(join(tmpdir(), 'memtriage-not-built-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the package's bin (and package.json) with only the given dist files. */
function copyWith(name: string, distFiles: string[]): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'bin', 'memtriage.js'), join(root, 'bin', 'memtriage.js'));
  copyFileSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
  for (const f of distFiles) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    copyFileSync(join(REPO_ROOT, f), join(root, f));
  }
  return root;
}

test('a copy never built, or built without its bundle, says what is missing and to run npm ci (exit 2, no stack trace)', () => {
  const cases: [string, string[], string][] = [
    ['nothing built', [], join('dist', 'src', 'cli', 'heap-flags.js')],
    ['no bundle', [join('dist', 'src', 'cli', 'heap-flags.js')], join('dist', 'bundle', 'cli.js')],
  ];
  for (const [name, files, missing] of cases) {
    const root = copyWith(name.replace(/ /g, '-'), files);
    for (const args of [['--version'], ['analyze', join(REPO_ROOT, 'test', 'fixtures', 'host-6.18-meminfo.txt')]]) {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'memtriage.js'), ...args], { encoding: 'utf8' });
      assert.equal(r.status, 2, `${name}, ${args[0]}: ${r.stderr}`);
      assert.ok(r.stderr.includes(join(root, missing)), `${name}: names ${missing}: ${r.stderr}`);
      assert.match(r.stderr, /not built\. Run "npm ci"/);
      assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    }
  }
  // The same copy with the built dist/ beside it runs: what fails above is the missing build.
  const built = copyWith('built', []);
  symlinkSync(join(REPO_ROOT, 'dist'), join(built, 'dist'));
  const r = spawnSync(process.execPath, [join(built, 'bin', 'memtriage.js'), '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+/);
});
