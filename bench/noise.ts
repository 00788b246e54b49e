/**
 * Everyday kern.log/syslog traffic for the benchmark: the messages a busy server prints when
 * nothing is wrong (firewall drops, AppArmor audits, link flaps, USB plugs, ext4 mounts, systemd
 * units, NVMe queues). They are modelled on real messages; none may hold an incident marker, so
 * every incident the analyzer finds comes from an inserted fixture. generate.ts checks that.
 */
export type Rng = () => number;

/** A small fixed-seed PRNG (mulberry32): the same seed always gives the same file. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const hex = (r: Rng, n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(r, 0, 15)]).join('');
const ip = (r: Rng): string => `10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`;
const mac = (r: Rng): string => Array.from({ length: 14 }, () => hex(r, 2)).join(':');

const IFACES = ['eno1', 'enp3s0', 'eth0', 'ens5', 'wlp2s0'];
const COMMS = ['firefox', 'snapd', 'cupsd', 'dockerd', 'containerd', 'sshd', 'nginx', 'postgres', 'java'];
const PROFILES = ['snap.firefox.firefox', '/usr/sbin/cupsd', 'docker-default', 'lsb_release', '/usr/bin/man'];
const UNITS = ['apt-daily.service', 'logrotate.service', 'man-db.service', 'fwupd-refresh.service', 'sysstat-collect.service', 'certbot.service'];
const DISKS = ['nvme0n1p2', 'nvme1n1p1', 'sda1', 'sdb1', 'dm-0'];

/** Kernel messages (they get "kernel: [uptime] " in front). */
const KERNEL: ((r: Rng) => string)[] = [
  (r) => `[UFW BLOCK] IN=${pick(r, IFACES)} OUT= MAC=${mac(r)} SRC=${ip(r)} DST=${ip(r)} LEN=${int(r, 40, 1500)} TOS=0x00 PREC=0x00 TTL=${int(r, 32, 128)} ID=${int(r, 1, 65535)} ${pick(r, ['DF ', ''])}PROTO=${pick(r, ['TCP', 'UDP'])} SPT=${int(r, 1024, 65535)} DPT=${pick(r, [22, 137, 443, 5353, 8080])} LEN=${int(r, 20, 1400)}`,
  (r) => `[UFW AUDIT] IN= OUT=${pick(r, IFACES)} SRC=${ip(r)} DST=${ip(r)} LEN=${int(r, 40, 600)} TOS=0x00 PREC=0x00 TTL=64 ID=${int(r, 1, 65535)} DF PROTO=TCP SPT=${int(r, 30000, 60000)} DPT=443 WINDOW=${int(r, 1000, 64240)} RES=0x00 SYN URGP=0`,
  (r) => `audit: type=1400 audit(${int(r, 1700000000, 1760000000)}.${int(r, 100, 999)}:${int(r, 10, 99999)}): apparmor="DENIED" operation="${pick(r, ['open', 'capable', 'exec', 'file_mmap'])}" profile="${pick(r, PROFILES)}" name="/proc/${int(r, 2, 99999)}/mounts" pid=${int(r, 2, 99999)} comm="${pick(r, COMMS)}" requested_mask="r" denied_mask="r" fsuid=${pick(r, [0, 1000])} ouid=0`,
  (r) => `audit: type=1326 audit(${int(r, 1700000000, 1760000000)}.${int(r, 100, 999)}:${int(r, 10, 99999)}): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=${int(r, 2, 99999)} comm="${pick(r, COMMS)}" exe="/usr/bin/${pick(r, COMMS)}" sig=0 arch=c000003e syscall=${int(r, 0, 330)} compat=0 ip=0x7f${hex(r, 10)} code=0x50000`,
  (r) => `e1000e 0000:00:1f.6 ${pick(r, IFACES)}: NIC Link is ${pick(r, ['Up 1000 Mbps Full Duplex, Flow Control: None', 'Down', 'Up 100 Mbps Full Duplex, Flow Control: Rx/Tx'])}`,
  (r) => `IPv6: ADDRCONF(NETDEV_CHANGE): ${pick(r, IFACES)}: link becomes ready`,
  (r) => `br-${hex(r, 12)}: port ${int(r, 1, 9)}(veth${hex(r, 7)}) entered ${pick(r, ['blocking', 'disabled', 'forwarding'])} state`,
  (r) => `device veth${hex(r, 7)} ${pick(r, ['entered', 'left'])} promiscuous mode`,
  (r) => `usb ${int(r, 1, 4)}-${int(r, 1, 8)}: new ${pick(r, ['high-speed', 'full-speed', 'SuperSpeed'])} USB device number ${int(r, 2, 60)} using xhci_hcd`,
  (r) => `usb ${int(r, 1, 4)}-${int(r, 1, 8)}: New USB device found, idVendor=${hex(r, 4)}, idProduct=${hex(r, 4)}, bcdDevice=${int(r, 0, 9)}.${int(r, 0, 99)}`,
  (r) => `usb ${int(r, 1, 4)}-${int(r, 1, 8)}: USB disconnect, device number ${int(r, 2, 60)}`,
  (r) => `EXT4-fs (${pick(r, DISKS)}): mounted filesystem ${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)} r/w with ordered data mode. Quota mode: none.`,
  (r) => `EXT4-fs (${pick(r, DISKS)}): re-mounted ${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}. Quota mode: none.`,
  (r) => `nvme nvme${int(r, 0, 1)}: ${int(r, 2, 64)}/0/0 default/read/poll queues`,
  (r) => `nvme${int(r, 0, 1)}n1: p1 p2 p3`,
  (r) => `perf: interrupt took too long (${int(r, 2500, 9000)} > ${int(r, 2500, 9000)}), lowering kernel.perf_event_max_sample_rate to ${int(r, 20000, 80000)}`,
  (r) => `TCP: request_sock_TCP: Possible SYN flooding on port ${pick(r, [80, 443, 8080])}. Sending cookies.  Check SNMP counters.`,
  (r) => `nf_conntrack: nf_conntrack: table full, dropping packet`,
  (r) => `loop${int(r, 0, 30)}: detected capacity change from 0 to ${int(r, 8, 900000)}`,
  (r) => `docker0: port ${int(r, 1, 9)}(veth${hex(r, 7)}) entered disabled state`,
  (r) => `overlayfs: upper fs does not support tmpfile.`,
];

/** Other programs writing to syslog (they get "<name>[pid]: " instead of "kernel: "). */
const USERLAND: ((r: Rng) => [string, string])[] = [
  (r) => ['systemd[1]', `${pick(r, ['Starting', 'Started', 'Finished'])} ${pick(r, UNITS)} - ${pick(r, ['Daily apt download activities', 'Rotate log files', 'Daily man-db regeneration', 'Refresh fwupd metadata'])}...`],
  (r) => ['systemd[1]', `${pick(r, UNITS)}: Deactivated successfully.`],
  (r) => ['systemd[1]', `${pick(r, UNITS)}: Consumed ${int(r, 1, 90)}.${int(r, 100, 999)}s CPU time.`],
  (r) => [`sshd[${int(r, 1000, 99999)}]`, `Accepted publickey for deploy from ${ip(r)} port ${int(r, 30000, 60000)} ssh2: ED25519 SHA256:${hex(r, 20)}`],
  (r) => [`CRON[${int(r, 1000, 99999)}]`, `(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)`],
  (r) => [`dockerd[${int(r, 500, 2000)}]`, `time="2025-03-0${int(r, 1, 9)}T0${int(r, 0, 9)}:${int(r, 10, 59)}:${int(r, 10, 59)}.${int(r, 100000000, 999999999)}Z" level=info msg="ignoring event" container=${hex(r, 64)} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"`],
  (r) => [`rsyslogd[${int(r, 500, 900)}]`, `imuxsock: Acquired UNIX socket '/run/systemd/journal/syslog' (fd 3) from systemd.  [v8.2112.0]`],
];

/** One noise message: [tag, text]; the tag is "kernel" for kernel messages. */
export function noise(r: Rng): [string, string] {
  if (r() < 0.8) return ['kernel', pick(r, KERNEL)(r)];
  return pick(r, USERLAND)(r);
}

/** Throws if a template could print one of the markers (it would be a false incident). */
export function checkNoise(markers: readonly string[], samples = 20000): void {
  const r = rng(7);
  for (let i = 0; i < samples; i++) {
    const [, t] = noise(r);
    const m = markers.find((x) => t.includes(x));
    if (m) throw new Error(`noise line holds marker "${m}": ${t}`);
  }
}
