import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { loadCommands } from '../../src/cli.js';
import { CONDITIONS } from '../../src/check/conditions.js';
import { REPO_ROOT } from '../helpers.js';

/**
 * Every file under deploy/ parses, and every memtriage invocation in it (Kubernetes container
 * command/args, node-problem-detector plugin path+args, systemd Exec* lines) names a real command
 * and only options that command declares (Command.options, the object its parseArgs uses).
 */
const DEPLOY = join(REPO_ROOT, 'deploy');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}
const FILES = existsSync(DEPLOY) ? walk(DEPLOY) : [];
const rel = (f: string) => relative(REPO_ROOT, f);

type Doc = Record<string, any>;
const yamlDocs = new Map<string, Doc[]>();
const jsonDocs = new Map<string, Doc>();
const units = new Map<string, string>();
for (const f of FILES) {
  if (/\.ya?ml$/.test(f)) yamlDocs.set(f, parseAllDocuments(readFileSync(f, 'utf8')).map((d) => { assert.deepEqual(d.errors, [], rel(f)); return d.toJS() as Doc; }).filter(Boolean));
  else if (f.endsWith('.json')) jsonDocs.set(f, JSON.parse(readFileSync(f, 'utf8')) as Doc);
  else if (/\.(service|timer|socket|path)$/.test(f)) units.set(f, readFileSync(f, 'utf8'));
}

interface Invocation { file: string; where: string; argv: string[] }
const isMemtriage = (w: string) => /^memtriage(\.js)?$/.test(basename(w));

function fromArgv(file: string, where: string, words: string[]): Invocation | null {
  const i = words.findIndex(isMemtriage);
  return i < 0 ? null : { file, where, argv: words.slice(i + 1) };
}

/** Shell-like words of a systemd Exec line: quotes kept together, `\` continuations joined. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function podSpecs(doc: Doc): Doc[] {
  if (doc.kind === 'Pod') return [doc.spec];
  const t = doc.spec?.template?.spec ?? doc.spec?.jobTemplate?.spec?.template?.spec;
  return t ? [t] : [];
}

function invocations(): Invocation[] {
  const out: Invocation[] = [];
  for (const [f, docs] of yamlDocs) for (const d of docs) for (const spec of podSpecs(d)) {
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const inv = fromArgv(f, `${d.kind}/${d.metadata?.name} container ${c.name}`, [...(c.command ?? []), ...(c.args ?? [])]);
      if (inv) out.push(inv);
    }
  }
  for (const [f, j] of jsonDocs) for (const r of j.rules ?? []) {
    if (typeof r.path === 'string' && isMemtriage(r.path)) out.push({ file: f, where: `rule ${r.reason}`, argv: r.args ?? [] });
  }
  for (const [f, text] of units) {
    for (const m of text.replace(/\\\n/g, ' ').matchAll(/^(Exec\w+)=[-@:+!]*(.*)$/gm)) {
      const inv = fromArgv(f, m[1], words(m[2]));
      if (inv) out.push(inv);
    }
  }
  return out;
}

test('deploy/: every YAML, JSON and unit file parses, and memtriage is invoked somewhere', () => {
  assert.ok(yamlDocs.size > 0 && jsonDocs.size > 0, 'deploy/kubernetes and deploy/node-problem-detector are there');
  assert.ok(invocations().length >= 3);
});

const COMMANDS = await loadCommands();

for (const inv of invocations()) {
  test(`${rel(inv.file)} ${inv.where}: memtriage ${inv.argv.join(' ')}`, () => {
    const [name, ...rest] = inv.argv;
    const cmd = COMMANDS.find((c) => c.name === name);
    assert.ok(cmd, `memtriage ${name}: no such command (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
    assert.ok(cmd.options, `memtriage ${name} does not declare its options (Command.options), so they cannot be checked`);
    // Throws on an undeclared option or a missing value, exactly as the command would.
    parseArgs({ args: rest, options: cmd.options, strict: true, allowPositionals: true });
  });
}

test('node-problem-detector monitors: permanent rules have default conditions, timeouts fit, conditions are memtriage\'s', () => {
  const secs = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1] ?? NaN);
  for (const [f, j] of jsonDocs) {
    if (j.plugin !== 'custom') continue;
    const global = secs(j.pluginConfig.timeout);
    assert.ok(global < secs(j.pluginConfig.invoke_interval), `${rel(f)}: a run must end before the next one`);
    for (const r of j.rules) {
      assert.ok(['permanent', 'temporary'].includes(r.type), rel(f));
      if (r.timeout) assert.ok(secs(r.timeout) <= global, `${rel(f)} ${r.reason}: rule timeout above the global one (NPD refuses it)`);
      if (r.type === 'permanent') assert.ok(j.conditions.some((c: Doc) => c.type === r.condition), `${rel(f)}: ${r.condition} has no default condition`);
      const i = r.args.indexOf('--condition');
      if (i >= 0) {
        assert.ok((CONDITIONS as readonly string[]).includes(r.args[i + 1]), r.args[i + 1]);
        if (r.type === 'permanent') assert.equal(r.args[i + 1], r.condition, 'the NPD condition is the one memtriage checks');
      }
    }
  }
});

const k8s = [...yamlDocs].flatMap(([f, docs]) => docs.map((d) => ({ f, d })));

test('Kubernetes objects validate against the Kubernetes API schema (kubernetes-models)', async () => {
  const objects = k8s.filter((x) => typeof x.d.apiVersion === 'string' && typeof x.d.kind === 'string' && x.d.kind !== 'Kustomization');
  assert.ok(objects.length >= 3);
  for (const { f, d } of objects) {
    const mod = (await import(`kubernetes-models/${d.apiVersion}/${d.kind}`)) as Record<string, new (o: Doc) => { validate(): void }>;
    const Model = mod[d.kind];
    assert.ok(Model, `${rel(f)}: no model for ${d.apiVersion} ${d.kind}`);
    assert.doesNotThrow(() => new Model(d).validate(), `${rel(f)} ${d.kind}/${d.metadata?.name}`);
  }
});
const daemonSets = k8s.filter((x) => x.d.kind === 'DaemonSet');

test('Kubernetes DaemonSet: hostPID, read-only host mounts of /proc, /sys and /dev/kmsg, limits, few capabilities', () => {
  assert.ok(daemonSets.length > 0);
  const ALLOWED_CAPS = new Set(['SYS_PTRACE', 'SYSLOG', 'IPC_LOCK', 'KILL']);
  for (const { f, d } of daemonSets) {
    const spec = d.spec.template.spec;
    assert.equal(spec.hostPID, true, rel(f));
    const hostVolumes = new Map<string, string>(spec.volumes.filter((v: Doc) => v.hostPath).map((v: Doc) => [v.name, v.hostPath.path]));
    assert.deepEqual([...hostVolumes.values()].sort(), ['/dev/kmsg', '/proc', '/sys']);
    for (const c of spec.containers) {
      for (const m of c.volumeMounts ?? []) if (hostVolumes.has(m.name)) assert.equal(m.readOnly, true, `${c.name}: ${m.mountPath} must be read-only`);
      for (const k of ['requests', 'limits']) for (const r of ['cpu', 'memory']) assert.ok(c.resources?.[k]?.[r], `${c.name}: resources.${k}.${r}`);
      const sc = c.securityContext;
      assert.notEqual(sc.privileged, true);
      assert.equal(sc.allowPrivilegeEscalation, false);
      assert.deepEqual(sc.capabilities.drop, ['ALL']);
      for (const cap of sc.capabilities.add ?? []) assert.ok(ALLOWED_CAPS.has(cap), `${c.name}: capability ${cap} is not one memtriage uses`);
    }
  }
});

test('Kubernetes: the scraped port is the one the guard listens on; kustomization lists every manifest', () => {
  for (const { f, d } of daemonSets) {
    const c = d.spec.template.spec.containers[0];
    const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])];
    const listen = argv[argv.indexOf('--metrics') + 1];
    const port = Number(/:(\d+)$/.exec(listen)?.[1]);
    assert.equal(c.ports.find((p: Doc) => p.name === 'metrics').containerPort, port, rel(f));
    assert.equal(d.spec.template.metadata.annotations['prometheus.io/port'], String(port));
    for (const s of k8s.filter((x) => x.d.kind === 'Service' && dirname(x.f) === dirname(f))) {
      assert.equal(s.d.metadata.annotations['prometheus.io/port'], String(port));
      assert.equal(s.d.spec.ports[0].targetPort, 'metrics');
    }
  }
  for (const [f, [k]] of [...yamlDocs].filter(([f]) => basename(f) === 'kustomization.yaml')) {
    const here = readdirSync(dirname(f)).filter((n) => /\.ya?ml$/.test(n) && n !== 'kustomization.yaml').sort();
    assert.deepEqual([...k.resources].sort(), here, `${rel(f)} lists every manifest beside it`);
  }
});
