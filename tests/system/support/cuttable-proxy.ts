// A TCP proxy that can be cut and restored, to make a dependency (the SQS emulator) unreachable
// without stopping it: while cut, every open connection is destroyed and every new one is reset
// at once, as when a network path or an endpoint disappears. Loopback only.
import { connect, createServer, type Socket } from 'node:net';

export interface CuttableProxy {
  url: string;
  port: number;
  cut(): void;
  restore(): void;
  /** Connections accepted since start, and how many were refused while cut. */
  stats(): { connections: number; refused: number };
  close(): Promise<void>;
}

export async function startCuttableProxy(target: string): Promise<CuttableProxy> {
  const upstream = new URL(target);
  const open = new Set<Socket>();
  let isCut = false;
  let connections = 0;
  let refused = 0;

  const server = createServer((client) => {
    connections += 1;
    if (isCut) {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    const remote = connect({ host: upstream.hostname, port: Number(upstream.port) });
    for (const socket of [client, remote]) {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      socket.on('error', () => {
        client.destroy();
        remote.destroy();
      });
    }
    client.pipe(remote);
    remote.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cut() {
      isCut = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      isCut = false;
    },
    stats: () => ({ connections, refused }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
