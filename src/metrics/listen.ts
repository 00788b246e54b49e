/** "127.0.0.1:9477", "[::1]:9477", "0.0.0.0:9477" or a bare port ("9477", ":9477": localhost). */
export interface ListenAddress {
  host: string;
  port: number;
}

export const DEFAULT_LISTEN = '127.0.0.1:9477';

export class ListenError extends Error {}

/**
 * A bare port binds to 127.0.0.1, not to every interface: metrics name cgroups and programs, and
 * exposing them on the network is a decision to write out ("0.0.0.0:9477" in the DaemonSet).
 */
export function parseListen(text: string): ListenAddress {
  const t = text.trim();
  const m = /^(?:\[([0-9a-fA-F:.]+)\]:|([\w.-]*):)?(\d{1,5})$/.exec(t);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new ListenError(`listen address "${text}": give HOST:PORT ("127.0.0.1:9477", "[::1]:9477", "0.0.0.0:9477") or a port`);
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
