/**
 * Node's gunzip stream ends quietly on a truncated .gz (a log copied off a dying box, a download
 * cut short), so the trailer is checked too: its last 4 bytes are the uncompressed size mod 2^32
 * (RFC 1952 ISIZE), read by openSource (open.ts) from the same open file. A concatenated
 * multi-member file only states its last member's size, hence "may be".
 */
export function truncatedGzipMessage(path: string, bytes: number, trailer: number, error: Error | null): string | null {
  if (error) return `${path}: the gzip data breaks off after ${bytes} bytes (${error.message}): the file is truncated or damaged; what was read before is reported`;
  if (bytes % 2 ** 32 === trailer) return null;
  return `${path}: the gzip data may end early (${bytes} bytes decompressed, its trailer says ${trailer}): the file may be truncated; what was read is reported`;
}
