/** Unit helpers. Conversions take the page size the input implies; none assumes 4 KiB. */

export function pagesToKb(pages: number | null | undefined, pageSizeKb: number | null): number | null {
  if (pages == null || pageSizeKb == null) return null;
  return pages * pageSizeKb;
}

/** "1.8 GiB", "374956 kB" → human text; keeps one decimal above KiB. */
export function formatKb(kb: number | null | undefined): string {
  if (kb == null) return 'n/a';
  const abs = Math.abs(kb);
  if (abs >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GiB`;
  if (abs >= 1024) return `${(kb / 1024).toFixed(1)} MiB`;
  return `${kb} KiB`;
}

/**
 * A cgroup limit as text. An unlimited memcg prints PAGE_COUNTER_MAX pages (9007199254740988 kB
 * with 4 KiB pages, "8589934592.0 GiB"): anything from 1 EiB up is no limit at all.
 */
export function limitText(kb: number | null | undefined): string {
  if (kb != null && kb >= 2 ** 50) return 'no limit';
  return formatKb(kb);
}
