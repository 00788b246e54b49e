/**
 * Counter names as the JSON spells them. One converter for every parser: the kernel's snake_case
 * ("slab_reclaimable", "isolated(anon)") and /proc/meminfo's mixed case ("Active(anon)",
 * "NFS_Unstable", "HugePages_Total") both become camelCase; the caller appends the unit.
 */
/** "Active(anon)" → activeAnon, "NFS_Unstable" → nfsUnstable, "HugePages_Total" → hugePagesTotal. */
export function camelKey(key: string): string {
  const parts = key.split(/[^A-Za-z0-9]+/).filter((p) => p !== '');
  return parts
    .map((p, i) => {
      const w = p === p.toUpperCase() && /[A-Z]{2}/.test(p) ? p.toLowerCase() : p;
      return i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1);
    })
    .join('');
}

/**
 * Names a kernel prints are few (a memory.stat has ≈ 40, a Mem-Info ≈ 25) and every report prints
 * them again: a 1 GiB log converted the same names ≈ 400,000 times (issue 10). Remembered by the
 * name as printed and the unit, the table bounded (cleared when full) so odd input cannot grow it.
 */
const MAX_NAMES = 4096;
let names = new Map<string, Map<string, string>>();
let count = 0;

/** camelKey(key) + unit, remembered. */
export function counterKey(key: string, unit: string): string {
  let byUnit = names.get(unit);
  const had = byUnit?.get(key);
  if (had !== undefined) return had;
  if (count >= MAX_NAMES) { names = new Map(); byUnit = undefined; count = 0; }
  if (!byUnit) names.set(unit, (byUnit = new Map()));
  const name = camelKey(key) + unit;
  // A flat copy of the key: the regex capture it came from is a slice that keeps its line alive.
  byUnit.set((' ' + key).slice(1), name);
  count++;
  return name;
}
