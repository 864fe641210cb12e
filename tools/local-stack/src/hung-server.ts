// A dependency that accepts connections and never answers: the most common way a network
// dependency fails, and the one refusing stand-ins do not show. Reads what arrives (so the
// client's writes complete), writes nothing back. Loopback only.
import { createServer, type Socket } from 'node:net';

export interface HungServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHungServer(
  options: { onData?: (chunk: Buffer) => void } = {},
): Promise<HungServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => options.onData?.(chunk));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
