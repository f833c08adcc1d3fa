/**
 * A TCP relay a test can black-hole: while cut, every byte stops in both directions but the
 * connections stay open, as a dead switch port or a silent firewall would leave them. This is the
 * cut that tells "judged by the freshness of replies" from "judged by an open connection": the
 * primary's walsender keeps its connection until `wal_sender_timeout`, yet no reply arrives.
 * Healing drops the stalled connections (the peers reconnect) and relays new ones again.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpGate {
  port: number;
  cut(cut: boolean): void;
  close(): Promise<void>;
}

export async function startTcpGate(target: { host: string; port: number }): Promise<TcpGate> {
  let isCut = false;
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((inbound) => {
    const outbound = connect(target.port, target.host);
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      inbound.destroy();
      outbound.destroy();
    };
    for (const s of pair) {
      s.on('error', end);
      s.on('close', end);
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    if (isCut) {
      inbound.pause();
      outbound.pause();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    cut(value) {
      isCut = value;
      for (const [a, b] of pairs) {
        if (value) {
          a.unpipe(b);
          b.unpipe(a);
          a.pause();
          b.pause();
        } else {
          a.destroy();
          b.destroy();
        }
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
