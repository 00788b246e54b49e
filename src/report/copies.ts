/** Places shown for the copies of one record; the rest are counted ("and 49,990 more"). */
export const MAX_COPIES_SHOWN = 10;

/**
 * "same record also at f:10-60, f:70-120 and 3 more": a console capture that looped over `dmesg`
 * holds one report thousands of times, and a line of 50,000 places helps no one at 3 am. The
 * JSON keeps every copy.
 */
export function copiesLine(copies: readonly { input: number; line: number; endLine: number }[], place: (c: { input: number; line: number; endLine: number }) => string): string {
  const shown = copies.slice(0, MAX_COPIES_SHOWN).map(place).join(', ');
  const more = copies.length - MAX_COPIES_SHOWN;
  return `same record also at ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}
