/**
 * "/var/log/kern.log" → "kern.log"; a bundle member "/tmp/b.tar.gz:proc/meminfo" → "b.tar.gz:proc/meminfo";
 * this machine's own log keeps its whole name ("/dev/kmsg", "journalctl -k"): "kmsg" alone says nothing.
 */
export function shortPath(path: string): string {
  const colon = path.indexOf('.tar.gz:');
  if (colon !== -1) return `${path.slice(0, colon + 7).split('/').pop()}${path.slice(colon + 7)}`;
  if (path.startsWith('/dev/') || path.includes(' ')) return path;
  return path.split('/').pop() ?? path;
}
