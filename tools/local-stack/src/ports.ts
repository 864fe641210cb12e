import { createServer } from 'node:net';

/** Fails with a message naming every port that something else already listens on. */
export async function assertPortsFree(ports: number[], host = '127.0.0.1'): Promise<void> {
  const busy: number[] = [];
  for (const port of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, host, () => server.close(() => resolve(true)));
    });
    if (!free) busy.push(port);
  }
  if (busy.length > 0) {
    throw new Error(
      `port(s) ${busy.join(', ')} on ${host} are already in use. Stop whatever uses them ` +
        '(another `npm start`?) or choose others with LOCAL_SQS_PORT, LOCAL_SES_PORT, ' +
        'LOCAL_DYNAMODB_PORT, LOCAL_SES_EVENTS_PORT, LOCAL_API_PORT, LOCAL_WORKER_PORT.',
    );
  }
}
