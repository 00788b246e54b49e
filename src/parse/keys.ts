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
