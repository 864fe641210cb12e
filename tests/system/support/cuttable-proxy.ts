// A TCP proxy that can be cut, hung and restored, to make a dependency (an emulator) fail
// without stopping it. Loopback only.
// - cut: every open connection is destroyed and every new one is reset at once, as when a
//   network path or an endpoint disappears;
// - hang: connections are accepted and never answered, and connections already open stop
//   answering too, as when a dependency wedges: the worst case, because only the client's own
//   deadline ends the wait. With `forwardRequests`, requests still reach the dependency and
//   only the answers are lost: the dependency may have done the work the client gave up on.
// Restoring lets new connections through; a connection that was hung stays hung until its
// client gives up on it, as a wedged connection would.
import { connect, createServer, type Socket } from 'node:net';

export interface HangOptions {
  /** Pass requests on to the dependency and drop only its answers. */
  forwardRequests?: boolean;
}

export interface CuttableProxy {
  url: string;
  port: number;
  cut(): void;
  hang(options?: HangOptions): void;
  restore(): void;
  /** Connections accepted since start, refused while cut, and accepted or caught while hung. */
  stats(): { connections: number; refused: number; hung: number };
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  remote: Socket | undefined;
  hung: boolean;
  forwardWhileHung: boolean;
}

export async function startCuttableProxy(target: string): Promise<CuttableProxy> {
  const upstream = new URL(target);
  const links = new Set<Link>();
  let mode: 'open' | 'cut' | 'hang' = 'open';
  let forwardRequests = false;
  let connections = 0;
  let refused = 0;
  let hung = 0;

  const server = createServer((client) => {
    connections += 1;
    if (mode === 'cut') {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    const link: Link = { client, remote: undefined, hung: false, forwardWhileHung: false };
    if (mode === 'hang') {
      hung += 1;
      link.hung = true;
      link.forwardWhileHung = forwardRequests;
    }
    links.add(link);
    const drop = () => {
      links.delete(link);
      client.destroy();
      link.remote?.destroy();
    };
    client.on('error', drop);
    client.once('close', drop);
    if (!link.hung || link.forwardWhileHung) {
      const remote = connect({ host: upstream.hostname, port: Number(upstream.port) });
      link.remote = remote;
      remote.on('error', drop);
      remote.once('close', () => {
        // A hung connection never reports its dependency going away either.
        if (!link.hung) drop();
      });
      remote.on('data', (chunk: Buffer) => {
        if (!link.hung) client.write(chunk);
      });
    }
    client.on('data', (chunk: Buffer) => {
      if (link.hung && !link.forwardWhileHung) return;
      link.remote?.write(chunk);
    });
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
      mode = 'cut';
      for (const link of links) {
        link.client.resetAndDestroy();
        link.remote?.destroy();
      }
    },
    hang(options = {}) {
      mode = 'hang';
      forwardRequests = options.forwardRequests ?? false;
      for (const link of links) {
        if (link.hung) continue;
        hung += 1;
        link.hung = true;
        link.forwardWhileHung = forwardRequests;
      }
    },
    restore() {
      mode = 'open';
    },
    stats: () => ({ connections, refused, hung }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const link of links) {
          link.client.destroy();
          link.remote?.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
