import { lstat, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TEXTFILE_NAME = 'memtriage.prom';

export class TextfileError extends Error {}

/** The directory must exist and be a directory: we never create or replace anything else. */
export async function checkTextfileDir(dir: string): Promise<void> {
  const st = await lstat(dir).catch((e: NodeJS.ErrnoException) => {
    throw new TextfileError(`--textfile ${dir}: ${e.code === 'ENOENT' ? 'no such directory' : e.message}; give node_exporter's --collector.textfile.directory`);
  });
  if (!st.isDirectory()) throw new TextfileError(`--textfile ${dir}: not a directory; give node_exporter's --collector.textfile.directory`);
}

/**
 * Writes DIR/memtriage.prom atomically: node_exporter reads the directory at every scrape, and a
 * half-written file would be a parse error (the whole textfile collector fails) or a false value.
 * The temporary name does not end in .prom, so the collector never reads it; rename(2) within one
 * directory replaces the old file in one step.
 */
export async function writeTextfile(dir: string, text: string): Promise<string> {
  const final = join(dir, TEXTFILE_NAME);
  const tmp = join(dir, `.${TEXTFILE_NAME}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text, { mode: 0o644 });
    await rename(tmp, final);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  return final;
}
