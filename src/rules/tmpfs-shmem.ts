import { formatKb } from '../model/units.js';
import { holderCause } from './util/holder-cause.js';

// Shmem counts tmpfs/devtmpfs files, SysV and POSIX shared memory, memfd and shared anonymous
// mappings. Killing a process frees none of it while the files exist (or the segment is attached).
export const tmpfsShmem = holderCause({
  id: 'tmpfs-shmem', holder: 'shmem', subject: 'tmpfs and shared memory', warningShare: 0.25, criticalShare: 0.5,
  description: 'tmpfs files or shared memory (Shmem) hold much of RAM: memory the OOM killer cannot free by killing a process.',
  meminfoLine: 'Shmem:', reportLine: 'shmem:',
  title: (h, _a, share) => `tmpfs or shared memory holds ${formatKb(h.kb)} (${share}); killing processes does not free it`,
  explain: (_h, a) => [
    'This is Shmem: files in tmpfs (/dev/shm, /run, /tmp when it is tmpfs, container overlays on tmpfs), SysV and POSIX shared memory, memfd and shared anonymous mappings.',
    'A tmpfs file stays in memory until it is deleted, whoever wrote it and whether or not that process still runs; without swap it cannot be reclaimed at all, so the OOM killer kills processes and gets nothing back.',
    a.source === 'mem-info' ? 'The task table\'s rss and shmem-rss columns count only pages that processes map: files that nobody maps appear in no row.' : '',
  ],
  advice: ['`df -h -t tmpfs` (and `du -x` inside the fullest mount) for files, `ipcs -m` for SysV segments; cap tmpfs mounts with size= so that a runaway writer gets ENOSPC instead of exhausting RAM.'],
});
