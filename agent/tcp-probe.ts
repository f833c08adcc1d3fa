/** Can a TCP connection (or a Unix socket) be opened to this address within the timeout? Never throws. */
import { connect } from 'node:net';

export interface Address {
  /** A host name or IP, or an absolute directory holding a PostgreSQL Unix socket. */
  host: string;
  port: number;
}

export function formatAddress(a: Address): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** `host:port` or `[v6]:port`; null when it is not one. */
export function parseAddress(text: string): Address | null {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

export type ProbeResult = { ok: true } | { ok: false; reason: string };

export function tcpProbe(address: Address, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = address.host.startsWith('/')
      ? connect({ path: `${address.host}/.s.PGSQL.${address.port}` })
      : connect({ host: address.host, port: address.port });
    const done = (result: ProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, reason: `no TCP answer within ${timeoutMs} ms` }), timeoutMs);
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (error) => done({ ok: false, reason: error.message }));
  });
}
