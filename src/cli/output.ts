import { lstatSync, statSync, writeSync, type Stats } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { CliIO } from './command.js';

/** An output path memtriage refuses to write, or a write that failed; the message says what to do. */
export class OutputError extends Error {}

function whatItIs(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function errno(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/**
 * The report or bundle replaces only a regular file or takes a new name. A device (/dev/sda,
 * /dev/stdout → /proc/self/fd/1), a directory or a symlink is refused: renaming a temp file onto
 * /dev/null as root replaces the device node for every user of the machine. Called before the
 * work starts (fail fast) and again just before the rename (the path may have changed meanwhile).
 */
export function checkOutputPath(path: string): void {
  let st: Stats | null = null;
  try {
    st = lstatSync(path);
  } catch (e) {
    if (errno(e) !== 'ENOENT') throw new OutputError(`${path}: cannot use it as output (${errno(e)}); choose another place with -o`);
  }
  if (st) {
    const what = whatItIs(st);
    if (what) throw new OutputError(`${path} is ${what}, not a regular file; memtriage only writes regular files: give a file name with -o (or "-o -" for standard output)`);
    return;
  }
  const dir = dirname(resolve(path));
  let d: Stats;
  try {
    d = statSync(dir);
  } catch (e) {
    throw new OutputError(`${path}: its directory ${dir} does not exist (${errno(e)}); create it first or choose another place with -o`);
  }
  if (!d.isDirectory()) throw new OutputError(`${path}: ${dir} is not a directory; choose another place with -o`);
}

/** Where a report goes, chunk by chunk: standard output, or a temp file renamed onto the path at the end. */
export interface OutputTarget {
  write(chunk: string): Promise<void>;
  /** Makes the output final (renames the temp file into place). */
  commit(): Promise<void>;
  /** Removes a half-written temp file; the destination is left untouched. */
  abort(): Promise<void>;
  /** What a person sees in messages: the path, or "standard output". */
  label: string;
  toFile: boolean;
}

/** Opens the destination of `-o PATH` ("-" or undefined: standard output), checking it first. */
export async function openOutput(path: string | undefined, io: CliIO): Promise<OutputTarget> {
  if (path === undefined || path === '-') return stdoutTarget(io.stdout);
  checkOutputPath(path);
  const temp = join(dirname(resolve(path)), `.${basename(path)}.tmp-${process.pid}`);
  let fh: FileHandle;
  try {
    fh = await open(temp, 'wx', 0o644);
  } catch (e) {
    throw new OutputError(`${path}: cannot write in ${dirname(resolve(path))} (${errno(e)}); choose another place with -o`);
  }
  let closed = false;
  const close = async () => {
    if (!closed) { closed = true; await fh.close().catch(() => undefined); }
  };
  return {
    label: path,
    toFile: true,
    async write(chunk) {
      try {
        // A synchronous write: a regular file never blocks for long, and an await on the thread
        // pool per 64 KiB chunk left the main thread idle ~100 ms on a 35 MB report (issue 10).
        const bytes = Buffer.from(chunk, 'utf8');
        for (let done = 0; done < bytes.length;) done += writeSync(fh.fd, bytes, done, bytes.length - done);
      } catch (e) {
        await close();
        await rm(temp, { force: true });
        throw new OutputError(`${path}: writing the report failed (${errno(e)}${errno(e) === 'ENOSPC' ? ': no space left on the device' : ''}); free space or choose another place with -o`);
      }
    },
    async commit() {
      try {
        await fh.sync();
        await close();
        checkOutputPath(path);
        await rename(temp, path);
      } catch (e) {
        await close();
        await rm(temp, { force: true });
        if (e instanceof OutputError) throw e;
        throw new OutputError(`${path}: could not put the report in place (${errno(e)}); choose another place with -o`);
      }
    },
    async abort() {
      await close();
      await rm(temp, { force: true });
    },
  };
}

function stdoutTarget(out: CliIO['stdout']): OutputTarget {
  return {
    label: 'standard output',
    toFile: false,
    write(chunk) {
      // Waits for 'drain' when the pipe is full, so a huge report never piles up in memory.
      return new Promise((res) => {
        if (out.write(chunk)) res();
        else out.once('drain', () => res());
      });
    },
    async commit() {},
    async abort() {},
  };
}
