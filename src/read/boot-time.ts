/**
 * Kernel timestamps count seconds since boot. For this machine's own log, boot time + uptime gives
 * the wall clock, as `dmesg -T` computes it (and with its caveat: time spent suspended is not in
 * the kernel's clock, so after a suspend the result is early by that much).
 */
export function wallClockFromBoot(bootTimeMs: number, uptimeSec: number): string {
  const d = new Date(bootTimeMs + Math.round(uptimeSec * 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  // Local time without a zone, like every other wall clock a log prints.
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Boot time from /proc/uptime's first field (seconds since boot) read at `nowMs`. */
export function bootTimeFromUptime(uptimeText: string, nowMs: number): number | null {
  const sec = Number(uptimeText.trim().split(/\s+/)[0]);
  return Number.isFinite(sec) && sec > 0 ? nowMs - sec * 1000 : null;
}
