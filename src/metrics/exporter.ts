import { createServer, type Server } from 'node:http';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuardView } from '../guard/view.js';
import type { ProcReader } from '../live/reader.js';
import { GuardMetrics } from './guard-metrics.js';
import { HOLDER_NAMES, readHolders } from './holders.js';
import { DEFAULT_LISTEN, ListenError, parseListen } from './listen.js';
import { KernelLogKills } from './kernel-log.js';
import { createMetrics, DEFAULT_MAX_CGROUPS, DEFAULT_MAX_OOM_SERIES } from './registry.js';
import { checkTextfileDir, TEXTFILE_NAME, writeTextfile } from './textfile.js';

export interface ExporterOptions {
  /** HTTP address ("127.0.0.1:9477"); default 127.0.0.1:9477 unless only textfileDir is given. */
  listen?: string;
  /** node_exporter textfile collector directory: DIR/memtriage.prom is rewritten atomically. */
  textfileDir?: string;
  reader: ProcReader;
  /** Tail the kernel log for OOM kills: true (default) reads /dev/kmsg, a string reads that file. */
  kmsg?: boolean | string;
  textfileIntervalMs?: number;
  /** How often the kernel log is read between scrapes (default 5000 ms): the ring buffer must not wrap unread. */
  kmsgPollMs?: number;
  /** Label caps (see README "Fleet"): most pressured cgroups kept; OOM series beyond the cap go to "other". */
  maxCgroups?: number;
  maxOomSeries?: number;
  /** Told about what the exporter could not do (a textfile write, the kernel log going away); never throws. */
  onError?: (message: string) => void;
}

export interface MetricsExporter {
  observe(view: GuardView): void;
  close(): Promise<void>;
  /** "127.0.0.1:9477" once listening (the real port when 0 was asked for). */
  address?: string;
  /** Reads the machine and returns the exposition text (what a scrape or the textfile gets). */
  render(): Promise<string>;
}

export class ExporterError extends Error {}

export async function startMetricsExporter(opts: ExporterOptions): Promise<MetricsExporter> {
  const m = createMetrics();
  const guard = new GuardMetrics(m, opts.maxCgroups ?? DEFAULT_MAX_CGROUPS);
  const report = (msg: string) => { try { opts.onError?.(msg); } catch { /* a logger must not break the exporter */ } };
  const kills = opts.kmsg === false ? null
    : new KernelLogKills(m, typeof opts.kmsg === 'string' ? opts.kmsg : '/dev/kmsg', opts.maxOomSeries ?? DEFAULT_MAX_OOM_SERIES, report, opts.kmsgPollMs ?? 5000);
  let running: Promise<string> | null = null;

  async function refresh(): Promise<string> {
    const h = await readHolders(opts.reader).catch(() => null);
    m.gauge('memtriage_memory_accounting_up').set(h ? 1 : 0);
    const total = m.gauge('memtriage_memory_total_bytes');
    const holder = m.gauge('memtriage_memory_holder_bytes');
    if (h) total.set(h.totalBytes); else total.remove({});
    for (const name of HOLDER_NAMES) {
      const v = h?.bytes[name] ?? null;
      if (v == null) holder.remove({ holder: name }); else holder.set({ holder: name }, v);
    }
    await kills?.poll();
    return m.registry.metrics();
  }
  /** One refresh at a time: concurrent scrapes share it. */
  const render = () => (running ??= refresh().finally(() => { running = null; }));

  if (opts.textfileDir) await checkTextfileDir(opts.textfileDir);
  const listen = opts.listen ?? (opts.textfileDir ? undefined : DEFAULT_LISTEN);
  let server: Server | null = null;
  let address: string | undefined;
  if (listen) {
    const where = parseListen(listen);
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
      if (path === '/') { res.writeHead(200, { 'Content-Type': 'text/plain' }).end('memtriage metrics: /metrics\n'); return; }
      if (path !== '/metrics') { res.writeHead(404).end(); return; }
      render().then(
        (text) => res.writeHead(200, { 'Content-Type': m.registry.contentType }).end(text),
        (e: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`memtriage: ${e.message}\n`),
      );
    });
    const srv = server;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', (e: NodeJS.ErrnoException) => reject(new ExporterError(`cannot listen on ${listen}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`)));
      srv.listen(where.port, where.host, () => resolve());
    }).catch(async (e) => { await kills?.close(); throw e; });
    const a = srv.address();
    if (a && typeof a === 'object') address = a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  }

  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const dir = opts.textfileDir;
  // Writes are chained, and close() waits for the chain: a write finishing after close() removed
  // the file would bring stale numbers back.
  let writing: Promise<void> = Promise.resolve();
  const writeOnce = () => (writing = writing.then(async () => {
    if (!dir || closed) return;
    const text = await render().catch(() => null);
    if (text == null || closed) return;
    await writeTextfile(dir, text).catch((e: Error) => report(`--textfile ${dir}: ${e.message}`));
  }));
  if (dir) {
    try {
      await writeTextfile(dir, await render());
    } catch (e) {
      await kills?.close();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      throw new ExporterError(`--textfile ${dir}: ${(e as Error).message}`);
    }
    timer = setInterval(() => void writeOnce(), opts.textfileIntervalMs ?? 15_000);
    timer.unref();
  }

  return {
    address,
    observe(view: GuardView): void {
      try { guard.observe(view); } catch { /* the guard's tick must never fail because of metrics */ }
    },
    render,
    async close(): Promise<void> {
      closed = true;
      if (timer) clearInterval(timer);
      await writing;
      await running?.catch(() => undefined);
      await kills?.close();
      // Stale numbers in the textfile would be exported by node_exporter forever: remove them.
      if (dir) await unlink(join(dir, TEXTFILE_NAME)).catch(() => undefined);
      if (server) await new Promise<void>((resolve) => { server!.close(() => resolve()); server!.closeAllConnections(); });
    },
  };
}

export { ListenError };
