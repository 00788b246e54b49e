import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fixturePath, REPO_ROOT } from '../helpers.js';

// Item 5 of issue 10, fast start: each command loads only its own modules (src/cli/registry.ts).
// Node's ESM loader costs ≈ 0.5 ms of CPU a module; before, every command loaded all 244 of them.
// A load hook records which of memtriage's modules a real CLI run loads.
const BIN = join(REPO_ROOT, 'bin', 'memtriage.js');
const SRC = pathToFileURL(join(REPO_ROOT, 'dist', 'src')).href + '/';
// The CLI runs from esbuild's bundle (scripts/bundle.ts): a chunk it loads stands for the source
// modules its metafile says the chunk holds, so "loads only its own modules" is asked of them.
const BUNDLE = pathToFileURL(join(REPO_ROOT, 'dist', 'bundle')).href + '/';
type Meta = { outputs: Record<string, { inputs: Record<string, unknown> }> };
let meta: Meta = { outputs: {} };
let dir = '';
let register = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mt-lazy-'));
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function load(url, ctx, next) {
  appendFileSync(process.env.MT_LOADED, url + '\\n');
  return next(url, ctx);
}\n`);
  register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'bundle', 'meta.json'), 'utf8')) as Meta;
});

/** The dist/src modules a loaded URL holds: itself, or a bundle chunk's inputs. */
function sourcesOf(url: string): string[] {
  if (url.startsWith(SRC)) return [url.slice(SRC.length)];
  if (!url.startsWith(BUNDLE)) return [];
  const chunk = meta.outputs[`dist/bundle/${url.slice(BUNDLE.length)}`];
  assert.ok(chunk, `${url} is in dist/bundle/meta.json`);
  return Object.keys(chunk.inputs).filter((i) => i.startsWith('dist/src/')).map((i) => i.slice('dist/src/'.length));
}
after(() => rmSync(dir, { recursive: true, force: true }));

/** The dist/src modules `memtriage ARGS` loads, as paths under src ("cli/registry.js"). */
function loaded(args: string[], expectCode = 0): string[] {
  const log = join(dir, `loaded-${args.join('-').replace(/[^a-z0-9-]/gi, '_').slice(0, 60)}.txt`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], { encoding: 'utf8', env: { ...process.env, MT_LOADED: log, NO_COLOR: '1' } });
  assert.equal(r.status, expectCode, `memtriage ${args.join(' ')}: ${r.stderr}`);
  return [...new Set(readFileSync(log, 'utf8').split('\n').flatMap(sourcesOf))];
}

const under = (mods: string[], ...dirs: string[]): string[] => mods.filter((m) => dirs.some((d) => m.startsWith(d)));

test('the hook sees the modules a command loads (otherwise the tests below prove nothing)', () => {
  const mods = loaded(['analyze', fixturePath('host-6.18-memcg-v1-oom.dmesg.log')]);
  assert.ok(mods.includes('cli/analyze.js') && mods.includes('parse/kernel/kernel-log.js') && mods.includes('rules/index.js'), mods.join(' '));
  assert.ok(mods.length > 100, `${mods.length} modules`);
});

test('--version and --help load the dispatcher only, no command', () => {
  for (const args of [['--version'], ['--help'], ['-V'], ['help']]) {
    assert.deepEqual(loaded(args).sort(), ['cli.js', 'cli/command.js', 'cli/heap-flags.js', 'cli/output.js', 'cli/registry.js'], args.join(' '));
  }
});

test('analyze of a file loads no live, guard daemon, metrics or other command modules', () => {
  for (const args of [[fixturePath('host-6.18-memcg-v1-oom.dmesg.log')], ['analyze', fixturePath('host-6.18-meminfo.txt'), '-f', 'json']]) {
    const mods = loaded(args);
    // guard/rates.js is the one guard module a parser uses (the guard-samples section of a bundle).
    assert.deepEqual(under(mods, 'live/', 'metrics/', 'check/', 'guard/').filter((m) => m !== 'guard/rates.js'), [], args.join(' '));
    assert.deepEqual(under(mods, 'cli/where', 'cli/cache', 'cli/collect', 'cli/check', 'cli/guard'), []);
  }
});

test('where, cache and collect load neither the rules nor the kernel-log parser', () => {
  for (const cmd of ['where', 'cache', 'collect']) {
    const mods = loaded([cmd, '--help']);
    assert.ok(mods.includes(`cli/${cmd}.js`), cmd);
    assert.deepEqual(under(mods, 'rules/', 'parse/kernel/', 'metrics/', 'guard/', 'cli/analyze'), [], cmd);
  }
});

test('analyze --help and guard --help load their help text, not the command', () => {
  const base = ['cli.js', 'cli/command.js', 'cli/heap-flags.js', 'cli/output.js', 'cli/registry.js'];
  assert.deepEqual(loaded(['analyze', '--help']).sort(), [...base, 'cli/analyze-help.js'].sort());
  const guard = loaded(['guard', '--help']);
  assert.ok(guard.includes('cli/guard-help.js'));
  assert.deepEqual(under(guard, 'cli/guard.js', 'guard/guard.js', 'live/', 'parse/', 'rules/'), []);
});

test('the help a registry entry prints is the command\'s own, for every command', async () => {
  const { COMMAND_ENTRIES } = await import('../../src/cli/registry.js');
  for (const e of COMMAND_ENTRIES) {
    const cmd = await e.load();
    assert.equal(cmd.name, e.name);
    assert.equal(cmd.summary, e.summary);
    assert.equal(await e.help(), cmd.help, e.name);
  }
});
