/**
 * The bench logs' clock (bench/corpus.ts): fixture lines re-stamped with the file's own syslog
 * and uptime stamps (a kernel report in a kern.log carries kern.log prefixes); message text is
 * never touched, and lines without a prefix we know (console, /dev/kmsg, folded pastes) go in verbatim.
 */
import { readdirSync } from 'node:fs';
import { parsePrefix } from '../src/read/prefix.js';
import { unfold } from '../src/read/unfold.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Clock {
  private ms = Date.UTC(2025, 2, 1, 6, 0, 0);
  private uptimeUs = 1_000_000;
  tick(us: number): void {
    this.uptimeUs += us;
    this.ms += us / 1000;
  }
  prefix(tag: string): string {
    const d = new Date(this.ms);
    const hms = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
    const head = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms} web-07 ${tag}: `;
    if (tag !== 'kernel') return head;
    const up = `${Math.floor(this.uptimeUs / 1e6)}.${String(this.uptimeUs % 1e6).padStart(6, '0')}`;
    return `${head}[${up.padStart(12, ' ')}] `;
  }
}

/** The fixtures whose reports the sized logs insert. */
export function fixtureNames(dir: string): string[] {
  return readdirSync(dir).filter((n) => /^(?:seed000-.*|seed003-.*|host-6\.18-.*|seed002-.*sysrq.*)\.log$/.test(n)).sort();
}

/** A fixture's lines as they appear in this file: known prefixes replaced, text kept. */
export function restamp(text: string, clock: Clock): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => {
    clock.tick(7);
    const p = parsePrefix(l);
    if (p.format === 'console' || p.format === 'kmsg' || unfold(l).length > 1) return l;
    return clock.prefix('kernel') + p.msg;
  });
}
