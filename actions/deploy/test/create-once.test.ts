// CreateDeployment through the real SDK stack (serialize, sign, retry, parse) against a local
// CodeDeploy stand-in whose first CreateDeployment creates the deployment and then answers 500,
// as a lost response would look. A retry would meet DeploymentLimitExceededException naming the
// orphan, exactly as CodeDeploy answers while a deployment holds the group.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { createManualClock } from '@notify/actions-shared';
import { createDeployClients, type DeployClients } from '../src/clients.ts';
import { createDeployment } from '../src/create-deployment.ts';
import { createContext } from '../src/deploy.ts';
import { apiInputs, codeDeployService, region, taskDefArn, apiService } from './fixtures.ts';

interface StandIn {
  calls: string[];
  deployments: Map<string, { sha256: string; status: string }>;
  /** Status to answer CreateDeployment with after creating (500 = lost answer). */
  createAnswer: number;
  /** GetDeployment calls to answer 503 first (retryable on the normal client). */
  getFailures: number;
}

const standIn: StandIn = {
  calls: [],
  deployments: new Map(),
  createAnswer: 500,
  getFailures: 0,
};
let server: Server;
let clients: DeployClients;
const savedEnv = { ...process.env };

function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(JSON.parse(body || '{}') as Record<string, unknown>));
  });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      standIn.calls.push(operation);
      const answer = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(payload));
      };
      const active = [...standIn.deployments].filter(([, d]) => d.status !== 'Succeeded');
      if (operation === 'CreateDeployment') {
        if (active.length > 0) {
          return answer(400, {
            __type: 'DeploymentLimitExceededException',
            message: `The Deployment Group '${apiService}' already has an active Deployment '${active[0][0]}'`,
          });
        }
        const revision = body.revision as { appSpecContent: { sha256: string } };
        const id = `d-${String(standIn.deployments.size + 1).padStart(9, 'A')}`;
        standIn.deployments.set(id, { sha256: revision.appSpecContent.sha256, status: 'Created' });
        if (standIn.createAnswer !== 200) {
          return answer(standIn.createAnswer, {
            __type: 'InternalFailure',
            message: 'We encountered an internal error. Please try again.',
          });
        }
        return answer(200, { deploymentId: id });
      }
      if (operation === 'ListDeployments') {
        return answer(200, { deployments: active.map(([id]) => id) });
      }
      if (operation === 'GetDeployment') {
        if (standIn.getFailures > 0) {
          standIn.getFailures--;
          return answer(503, { __type: 'ServiceUnavailable', message: 'Service unavailable' });
        }
        const id = String(body.deploymentId);
        const deployment = standIn.deployments.get(id);
        if (!deployment) {
          return answer(400, {
            __type: 'DeploymentDoesNotExistException',
            message: `Deployment ${id} does not exist`,
          });
        }
        // GetDeployment never returns the AppSpec content, only its sha256.
        return answer(200, {
          deploymentInfo: {
            deploymentId: id,
            status: deployment.status,
            revision: {
              revisionType: 'AppSpecContent',
              appSpecContent: { sha256: deployment.sha256 },
            },
          },
        });
      }
      return answer(400, { __type: 'UnknownOperationException', message: operation });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = `http://127.0.0.1:${port}`;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  clients = createDeployClients(region);
});

afterAll(async () => {
  clients.codeDeploy.destroy();
  clients.codeDeployCreate.destroy();
  clients.ecs.destroy();
  process.env = savedEnv;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  standIn.calls = [];
  standIn.deployments.clear();
  standIn.createAnswer = 500;
  standIn.getFailures = 0;
});

function context() {
  return createContext(apiInputs(), {
    ...clients,
    clock: createManualClock(),
    log: () => undefined,
  });
}

it('sends CreateDeployment once on a 500 and follows the deployment of its own revision', async () => {
  const id = await createDeployment(context(), codeDeployService(), taskDefArn(apiService, 42), {
    description: 'Deploy notify-staging-api:42',
  });
  expect(id).toBe('d-AAAAAAAA1');
  expect(standIn.calls.filter((call) => call === 'CreateDeployment')).toHaveLength(1);
  expect(standIn.calls).toEqual(['CreateDeployment', 'ListDeployments', 'GetDeployment']);
});

it('keeps retrying idempotent calls on the other client', async () => {
  standIn.deployments.set('d-AAAAAAAA1', { sha256: 'abc', status: 'InProgress' });
  standIn.getFailures = 1;
  const response = await clients.codeDeploy.send(
    new GetDeploymentCommand({ deploymentId: 'd-AAAAAAAA1' }),
  );
  expect(response.deploymentInfo?.status).toBe('InProgress');
  expect(standIn.calls).toEqual(['GetDeployment', 'GetDeployment']);
});

it('answers with the deployment id when nothing goes wrong, without any lookup', async () => {
  standIn.createAnswer = 200;
  const id = await createDeployment(context(), codeDeployService(), taskDefArn(apiService, 42), {
    description: 'Deploy',
  });
  expect(id).toBe('d-AAAAAAAA1');
  expect(standIn.calls).toEqual(['CreateDeployment']);
});
