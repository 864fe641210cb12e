// Control-plane calls must fail at their deadline: a hung CodeDeploy or ECS call would otherwise
// eat the whole deploy deadline while the job looks busy.
import { createServer, type Server, type Socket } from 'node:net';
import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { awsClientConfig } from '../src/aws.ts';

let server: Server;
let port: number;
const sockets = new Set<Socket>();

beforeAll(async () => {
  // Accepts every connection and never answers.
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('fails a hung control-plane call at requestTimeoutMs', async () => {
  const client = new CodeDeployClient({
    ...awsClientConfig({ region: 'eu-west-1', requestTimeoutMs: 300, maxAttempts: 1 }),
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const outcome = await Promise.race([
    client.send(new GetDeploymentCommand({ deploymentId: 'd-HANG12345' })).then(
      () => 'answered',
      (error: Error) => error.name,
    ),
    new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000)),
  ]);
  client.destroy();
  expect(outcome).toBe('TimeoutError');
});
