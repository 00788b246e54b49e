/**
 * Child process for collect.test.ts: runs a collection and stops in a chosen place so the test can
 * SIGKILL it there. Does nothing unless started with --child (node --test also loads this file).
 *   --child OUT block    collect into a BundleWriter; after 20 members, stop forever
 *   --child OUT finish   one 96 MiB member, then finish(): killed while the archive is written
 */
import { randomBytes } from 'node:crypto';
import { BundleWriter } from '../../../src/live/bundle-writer.js';
import { collect } from '../../../src/live/collect.js';
import { RealReader } from '../../../src/live/real-reader.js';

async function main(out: string, mode: string): Promise<void> {
  const writer = new BundleWriter(out);
  await writer.start();
  if (mode === 'finish') {
    await writer.add('big.txt', randomBytes(48 << 20).toString('hex'));
    process.stdout.write('finishing\n');
    await writer.finish('{"schema":"memtriage/bundle@1"}');
    process.stdout.write('finished\n');
    return;
  }
  let n = 0;
  await collect(new RealReader(), async (name, text) => {
    await writer.add(name, text);
    if (++n === 20) {
      process.stdout.write('midway\n');
      await new Promise(() => undefined);
    }
  });
}

if (process.argv[2] === '--child') void main(process.argv[3], process.argv[4]);
