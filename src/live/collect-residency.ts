import { scanResidency } from './cache-scan.js';
import { renderCacheText } from './cache-text.js';
import { mappedFiles } from './mapped-files.js';
import { statusField } from './proc-text.js';
import type { ProcReader } from './reader.js';
import type { ResidencyFn } from './residency.js';

// Daemons whose eviction takes a node down (seed 001: kubelet's own code evicted, node NotReady).
// Matched on the 15-character comm the kernel keeps; PID 1 and the 5 largest processes
// (`pids` comes largest first) are always included.
const CRITICAL = /^(kubelet|containerd|containerd-shim.*|dockerd|docker-proxy|cri-o|crio|conmon|sshd|systemd|systemd-journal|systemd-logind|systemd-udevd|systemd-network|systemd-resolve|journald|rsyslogd|syslog-ng|crond?|chronyd|ntpd|NetworkManager|dbus-daemon|kube-proxy|etcd|node_exporter|multipathd|agetty|init)$/;

/**
 * residency.txt (the table) and residency.json: how much of each critical daemon's binary and
 * libraries is still in memory. Comms are read from the status files already copied.
 */
export async function collectResidency(reader: ProcReader, sink: (name: string, text: string) => Promise<void>, residency: ResidencyFn, pageSize: number, pids: number[]): Promise<void> {
  const chosen: { pid: number; comm: string }[] = [];
  for (const [rank, pid] of pids.entries()) {
    if (chosen.length >= 50) break;
    const status = await reader.readFile(`/proc/${pid}/status`, 64 << 10);
    const comm = status ? statusField(status, 'Name') : null;
    if (comm && (pid === 1 || CRITICAL.test(comm) || rank < 5)) chosen.push({ pid, comm });
  }
  const files = await mappedFiles(reader, chosen.map((c) => c.pid), 2000);
  const result = scanResidency(files.map((f) => ({ path: f.path, openPath: f.openPath })), residency, { maxFiles: 2000 });
  // Biggest files first: the daemons' own binaries, whose residency is the question.
  const sorted = [...result.files].sort((a, b) => b.pages - a.pages || a.path.localeCompare(b.path));
  const daemons = chosen.map((c) => `${c.pid} ${c.comm}`).join(', ');
  await sink('residency.txt', `# page-cache residency of files mapped by: ${daemons || 'no critical daemon found'}\n` + renderCacheText(sorted, pageSize));
  await sink('residency.json', JSON.stringify({ daemons: chosen, files: sorted, unreadable: result.failures }, null, 2) + '\n');
}
