/**
 * Everyday kernel messages for the read-path tests: the messages of real fixture lines that belong
 * to no incident and hold no marker (bench/corpus.ts realFiller: boot, cgroup, audit and test-module
 * lines of the qemu and host captures), picked by a seeded PRNG. The tests put their own
 * timestamps in front (the formats the fast reader counts); no message text is made up.
 */
import { realFiller } from '../../bench/corpus.js';
import type { Rng } from '../../bench/rng.js';
import { FIXTURES } from '../helpers.js';

const messages = await realFiller(FIXTURES);

export function realNoise(r: Rng): string {
  return messages[Math.floor(r() * messages.length)];
}
