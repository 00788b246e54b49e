import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a bundle atomically. Members go to a staging directory next to the output as they are
 * collected (memory stays flat however many processes there are), then one .tar.gz is written to
 * a temp name in the same directory, fsynced and renamed: rename(2) within a filesystem is
 * atomic, so the final name holds a whole bundle or nothing, even after SIGKILL or power loss.
 * What a kill leaves behind is dot-named (".NAME.staging-PID", ".NAME.tmp-PID").
 */
export class BundleWriter {
  readonly staging: string;
  readonly temp: string;
  private readonly names: string[] = [];
  private readonly sizes = new Map<string, number>();

  /** beforeRename: a last check of the destination (it throws to refuse), run just before rename(2). */
  constructor(readonly outPath: string, pid = process.pid, private readonly beforeRename: () => void = () => undefined) {
    const dir = dirname(outPath);
    this.staging = join(dir, `.${basename(outPath)}.staging-${pid}`);
    this.temp = join(dir, `.${basename(outPath)}.tmp-${pid}`);
  }

  async start(): Promise<void> {
    await mkdir(this.staging, { recursive: false });
  }

  /** Adds one member; `name` is a relative path like "proc/meminfo" (no "..", no leading "/"). */
  async add(name: string, text: string): Promise<void> {
    const safe = name.split('/').filter((s) => s && s !== '.' && s !== '..').join('/');
    if (!safe || this.sizes.has(safe)) return;
    const file = join(this.staging, safe);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    this.names.push(safe);
    this.sizes.set(safe, Buffer.byteLength(text));
  }

  members(): { name: string; bytes: number }[] {
    return this.names.map((name) => ({ name, bytes: this.sizes.get(name)! }));
  }

  /**
   * Archives manifest.json first (readers recognise a bundle by it without inflating the rest),
   * then the members in the order added, then renames into place.
   */
  async finish(manifest: string): Promise<void> {
    try {
      await writeFile(join(this.staging, 'manifest.json'), manifest);
      this.names.unshift('manifest.json');
      // portable: no uid/gid/user names or mtimes beyond what tar needs; the bundle may leave the host.
      const { create } = await import('tar'); // loaded on use: analyze and --help never need it
      await create({ gzip: true, file: this.temp, cwd: this.staging, portable: true, noDirRecurse: true }, this.names);
      const fh = await open(this.temp, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      this.beforeRename();
      await rename(this.temp, this.outPath);
    } finally {
      await this.abort(false);
    }
  }

  /** Removes the staging directory (and the temp archive unless it was renamed). */
  async abort(removeTemp = true): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
    if (removeTemp) await rm(this.temp, { force: true });
    else await rm(this.temp, { force: true }).catch(() => undefined);
  }
}
