/**
 * Records the guard's fixtures on this machine (root): the real `memtriage guard --record` over a
 * lab cgroup (test/guard/lab/harness.ts) in four phases, each to its own file in test/fixtures/:
 *   guard-host-6.18-quiet.jsonl       the daemon alone, 30 s
 *   guard-host-6.18-stream.jsonl      the daemon and one streaming pass over a 1 GiB file at 32 MiB/s, 30 s
 *   guard-host-6.18-stream-loop.jsonl the daemon and a 1 GiB file re-read in a loop at full speed, 30 s
 *                                     (this one slows the daemon's passes 100-fold and IS detected)
 *   guard-host-6.18-storm.jsonl       the daemon and a hog holding a plateau just under the limit, 25 s
 *   guard-host-6.18-storm-leak.jsonl  the daemon and a hog leaking 10 MiB/s until the kernel's OOM kill
 *   guard-host-6.18-storm-bundle.tar.gz  the evidence bundle the dry-run guard wrote on a plateau storm
 *                                     (for `analyze BUNDLE`), with its log lines in …storm-bundle.log
 * Run: npx tsc -p . && node dist/bench/guard-record.js [PHASE…]
 * Each phase also keeps the daemon's pass log (…daemon.log: "pass <epoch_ms> <pass_us>"), the
 * ground truth the replay tests compare decisions with; test/fixtures/README.md says how.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../test/helpers.js';
import { GuardProcess, Lab, labUnsupported, sleep, streamFile } from '../test/guard/lab/harness.js';

async function phase(lab: Lab, name: string, seconds: number, during: () => void | Promise<void>): Promise<void> {
  const rec = join(lab.tmp, `${name}.jsonl`);
  const g = new GuardProcess(['--watch', lab.rel, '--no-host', '--record', rec, '--bundle-dir', join(lab.tmp, 'bundles')]);
  await sleep(1500);
  const t0 = Date.now();
  await during();
  await sleep(seconds * 1000 - (Date.now() - t0));
  await g.stop();
  const out = join(FIXTURES, `guard-host-6.18-${name}.jsonl`);
  copyFileSync(rec, out);
  writeFileSync(join(lab.tmp, `${name}.daemon.log`), lab.log('daemon'));
  copyFileSync(join(lab.tmp, `${name}.daemon.log`), join(FIXTURES, `guard-host-6.18-${name}.daemon.log`));
  const storms = g.of('storm').map((e) => `${e.time} ${e.reason} some=${e.memSomeRatio1s}`);
  process.stdout.write(`${name}: ${out} (${storms.length} storm decisions${storms.length ? `: ${storms.join('; ')}` : ''})\n`);
}

async function main(): Promise<void> {
  const why = labUnsupported();
  if (why) throw new Error(`cannot record: ${why}`);
  const want = process.argv.slice(2);
  const on = (p: string) => want.length === 0 || want.includes(p);
  const big = streamFile(1024);
  const lab = new Lab('mt-guard-rec');
  try {
    await lab.start();
    lab.startDaemon();
    await sleep(4000);
    if (on('quiet')) await phase(lab, 'quiet', 30, () => undefined);
    if (on('stream')) await phase(lab, 'stream', 30, () => lab.startStreaming(big, 30));
    if (on('stream-loop')) await phase(lab, 'stream-loop', 30, () => lab.startStreamingLoop(big, 30));
    if (on('storm')) {
      await phase(lab, 'storm', 25, () => lab.startHog(270));
      lab.killComm('mtg-hog');
      await sleep(5000);
    }
    if (on('storm-leak')) await phase(lab, 'storm-leak', 45, () => lab.startHog(600, 1, 100));
    if (on('bundle')) {
      const g = new GuardProcess(['--watch', lab.rel, '--no-host', '--bundle-dir', join(lab.tmp, 'bundles-fixture')]);
      await sleep(3000);
      lab.startHog(270);
      const e = await g.waitFor('storm', 20_000);
      await sleep(2000);
      lab.killComm('mtg-hog');
      await g.stop();
      if (!e) throw new Error('no storm decided while recording the bundle');
      copyFileSync(e.bundle as string, join(FIXTURES, 'guard-host-6.18-storm-bundle.tar.gz'));
      const { receivedMs, ...line } = e;
      void receivedMs;
      writeFileSync(join(FIXTURES, 'guard-host-6.18-storm-bundle.log'), `${JSON.stringify(line)}\n${g.stderr}`);
      process.stdout.write(`bundle: ${e.bundle} (evidence ${e.evidenceMs} ms)\n`);
    }
    process.stdout.write(`kernel OOM kills in the lab cgroup: ${lab.oomKills()}\n`);
  } finally {
    await lab.cleanup();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
