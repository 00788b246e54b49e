/** "/var/log/kern.log" → "kern.log"; a bundle member "/tmp/b.tar.gz:proc/meminfo" → "b.tar.gz:proc/meminfo". */
export function shortPath(path: string): string {
  const colon = path.indexOf('.tar.gz:');
  if (colon !== -1) return `${path.slice(0, colon + 7).split('/').pop()}${path.slice(colon + 7)}`;
  return path.split('/').pop() ?? path;
}
