// This repository's workflow policy: which workflows exist and what runs them. The rules are
// generic; this file is where the repository says what it expects of its own automation.
import type { TriggerExpectation } from './rules/triggers.ts';

export const ENVIRONMENTS = ['staging', 'production'];
export const SERVICES = ['api', 'worker'];

export const expectedTriggers: TriggerExpectation[] = [
  { file: 'ci.yml', events: { pull_request: {}, push: {} } },
  {
    file: 'deploy.yml',
    events: { push: { branches: ['main'] }, workflow_dispatch: {} },
  },
  {
    file: 'rollback.yml',
    events: {
      workflow_dispatch: {
        inputs: {
          environment: { required: true, type: 'choice', options: ENVIRONMENTS },
          service: { required: true, type: 'choice', options: SERVICES },
          target: { required: false, type: 'string' },
        },
      },
    },
  },
];
