/**
 * Lists in findings stay readable on a flapping node (10,000 OOM kills): the first items, then
 * "and N more". Evidence keeps the first and the last examples, so the span is visible.
 */
export function capList<T>(items: readonly T[], show: (x: T) => string, max = 10): string {
  if (items.length <= max) return items.map(show).join(', ');
  return `${items.slice(0, max).map(show).join(', ')} and ${items.length - max} more`;
}

/** The first `head` and last `tail` items (all of them when there are few). */
export function firstAndLast<T>(items: readonly T[], head = 3, tail = 2): T[] {
  if (items.length <= head + tail) return items.slice();
  return items.slice(0, head).concat(items.slice(items.length - tail));
}
