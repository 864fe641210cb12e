// Measurements of a made-up run, shared by the report and document tests.
import type { LoadResult } from '../../http-load.ts';
import type { E2eRun, Measurements } from '../../report.ts';

export const load = (perSecond: number, p99 = 10): LoadResult => ({
  connections: 64,
  durationSeconds: 10,
  acceptedPerSecond: perSecond,
  accepted: perSecond * 10,
  non2xx: 0,
  errors: 0,
  p50Ms: 2,
  p99Ms: p99,
});

export const e2e = (overrides: Partial<E2eRun>): E2eRun => ({
  ratePerSecond: 100,
  sent: 1000,
  delivered: 1000,
  duplicates: 0,
  lost: 0,
  rejected: 0,
  p50Ms: 30,
  p99Ms: 80,
  sqsRequests: {},
  emptyReceives: 0,
  statusSqsRequests: {},
  statusEmptyReceives: 0,
  statusQueues: ['bench-ses-events', 'bench-ses-events-dlq'],
  eventsPublished: {},
  statusBacklog: 0,
  statusSettledMs: null,
  dynamodbRequests: {},
  dynamodbByTable: {},
  deliveredPerSecond: 100,
  cpuMsPerNotification: { api: 0.5, worker: 1.2, 'load generator (bench)': 0.2 },
  busyCores: 0.19,
  ...overrides,
});

/** A product run's status path: 2 events per notification, 3 DynamoDB writes and a read each. */
const statusPath = (notifications: number): Partial<E2eRun> => ({
  statusSqsRequests: { ReceiveMessage: notifications / 5, DeleteMessageBatch: notifications / 5 },
  statusEmptyReceives: 1,
  eventsPublished: { 'Email Sent': notifications, 'Email Delivered': notifications },
  statusSettledMs: 120,
  dynamodbRequests: {
    BatchWriteItem: notifications / 10,
    PutItem: notifications * 4,
    GetItem: notifications * 2,
  },
  dynamodbByTable: {
    'bench-status': {
      BatchWriteItem: notifications / 10,
      PutItem: notifications * 4,
      GetItem: notifications * 2,
    },
  },
});

export function measurements(): Measurements {
  return {
    api: {
      product: { 1: { ...load(900, 3), p50Ms: 1 }, 16: load(4000), 64: load(5000, 40) },
      naive: { 1: load(500, 4), 16: load(1000), 64: load(1000) },
      ceiling: { 1: load(9000, 1), 16: load(10_000), 64: load(10_000) },
    },
    worker: {
      product: { messages: 1000, sent: 1000, seconds: 1, emailsPerSecond: 1000, cpuMsPerEmail: {} },
      naive: { messages: 1000, sent: 250, seconds: 1, emailsPerSecond: 250, cpuMsPerEmail: {} },
    },
    e2e: {
      product: e2e({
        sqsRequests: { SendMessageBatch: 100, ReceiveMessage: 150, DeleteMessageBatch: 100 },
        ...statusPath(1000),
      }),
      lowRate: e2e({
        ratePerSecond: 20,
        sent: 100,
        delivered: 100,
        p50Ms: 25,
        p99Ms: 60,
        sqsRequests: { SendMessageBatch: 100, ReceiveMessage: 110, DeleteMessageBatch: 100 },
        emptyReceives: 10,
        ...statusPath(100),
        dynamodbRequests: { BatchWriteItem: 100, PutItem: 400, GetItem: 200 },
      }),
      costTuned: e2e({
        p50Ms: 250,
        p99Ms: 400,
        sqsRequests: { SendMessageBatch: 100, ReceiveMessage: 120, DeleteMessageBatch: 100 },
        emptyReceives: 20,
        ...statusPath(1000),
        statusBacklog: 300,
        statusSettledMs: null,
      }),
      naive: e2e({ sqsRequests: { SendMessage: 1000, ReceiveMessage: 1000, DeleteMessage: 1000 } }),
    },
    costTunedSettings: { ENQUEUE_LINGER_MS: '20', RECEIVE_BATCH_WAIT_MS: '200' },
    memoryMiB: { 'product-api': 80 },
    readyMs: { 'product-api': 400 },
  };
}
