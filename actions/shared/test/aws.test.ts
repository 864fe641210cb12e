// Control-plane calls must fail at their deadline: a hung CodeDeploy or ECS call would otherwise
// eat the whole deploy deadline while the job looks busy.
import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { startHungServer, type HungServer } from '@notify/local-stack';
import { awsClientConfig } from '../src/aws.ts';

let hung: HungServer;
let port: number;

beforeAll(async () => {
  // Accepts every connection and never answers.
  hung = await startHungServer();
  port = hung.port;
});

afterAll(() => hung.close());

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
