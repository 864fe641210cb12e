import { randomBytes } from 'node:crypto';
import {
  parseWebhookClients,
  type StatusEvent,
  type WebhookJob,
  type AppliedStatusChange,
} from '@notify/shared';
import { withWebhooks } from '../../src/webhooks/status-hook.ts';
import { captureLogger } from '../support/local-stack.ts';

const clients = parseWebhookClients(
  JSON.stringify({
    'client-a': {
      url: 'https://h.example/',
      secrets: [`whsec_${randomBytes(32).toString('base64')}`],
    },
  }),
);

const event: StatusEvent = {
  eventId: 'e-1',
  notificationId: 'n-1',
  type: 'delivery',
  at: '2026-12-07T10:01:00.000Z',
  recipients: [{ address: 'a@example.com', status: 'delivered' }],
};

const record: AppliedStatusChange['record'] = {
  id: 'n-1',
  clientId: 'client-a',
  status: 'delivered',
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: event.at,
  recipients: [{ address: 'a@example.com', status: 'delivered', updatedAt: event.at }],
  version: 3,
};

type Outcome =
  | {
      outcome: 'applied';
      transitions: AppliedStatusChange['transitions'];
      record: AppliedStatusChange['record'];
    }
  | { outcome: 'unchanged' };

/** An event that moved a@example.com from sent to delivered. */
const applied: Outcome = {
  outcome: 'applied',
  transitions: [{ address: 'a@example.com', from: 'sent', to: 'delivered' }],
  record,
};

function setup(outcome: Outcome, enqueue: (jobs: readonly WebhookJob[]) => Promise<void>) {
  const emitted: Record<string, number> = {};
  const metrics = {
    emit: (m: Record<string, { value: number }>) => {
      for (const [k, v] of Object.entries(m)) emitted[k] = (emitted[k] ?? 0) + v.value;
    },
    flush() {},
    close() {},
  };
  const { logger, lines } = captureLogger();
  const store = {
    applyEvent: jest.fn(async () => outcome),
    applyEvents: jest.fn(async (events: StatusEvent[]) => events.map(() => outcome)),
    // A group whose first event id is 'refused' fails, as a lost record write does.
    applyEventBatch: jest.fn(async (groups: StatusEvent[][]) =>
      groups.map((g) =>
        g[0]?.eventId === 'refused'
          ? { ok: false as const, error: new Error('record write failed') }
          : { ok: true as const, outcomes: g.map(() => outcome) },
      ),
    ),
  };
  const hooked = withWebhooks(store, {
    clients: () => clients,
    queue: { enqueue },
    logger,
    metrics,
  });
  return { hooked, store, emitted, lines };
}

describe('withWebhooks', () => {
  it('enqueues the jobs of an applied event and returns the store answer unchanged', async () => {
    const enqueued: WebhookJob[] = [];
    const { hooked, emitted } = setup(applied, async (jobs) => void enqueued.push(...jobs));
    await expect(hooked.applyEvent(event)).resolves.toBe(applied);
    expect(enqueued.map((j) => [j.clientId, j.event.type, j.event.data.version])).toEqual([
      ['client-a', 'notification.delivered', 3],
    ]);
    expect(emitted.WebhookJobsEnqueued).toBe(1);
  });

  it('applyEvents enqueues the jobs of every applied event in one call', async () => {
    const calls: WebhookJob[][] = [];
    const { hooked, store, emitted } = setup(applied, async (jobs) => void calls.push([...jobs]));
    const second = { ...event, eventId: 'e-2' };
    await expect(hooked.applyEvents([event, second])).resolves.toEqual([applied, applied]);
    expect(store.applyEvents).toHaveBeenCalledWith([event, second]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(2);
    expect(emitted.WebhookJobsEnqueued).toBe(2);
  });

  it('applyEventBatch enqueues each applied group, and nothing for a group that failed', async () => {
    const calls: WebhookJob[][] = [];
    const { hooked, emitted } = setup(applied, async (jobs) => void calls.push([...jobs]));
    const other = { ...event, notificationId: 'n-2', eventId: 'e-2' };
    const refused = { ...event, notificationId: 'n-3', eventId: 'refused' };
    const results = await hooked.applyEventBatch([
      [event, { ...event, eventId: 'e-1b' }],
      [other],
      [refused],
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(calls.map((c) => c.length).sort()).toEqual([1, 2]);
    expect(emitted.WebhookJobsEnqueued).toBe(3);
  });

  it('enqueues nothing for an event that changed nothing', async () => {
    const enqueue = jest.fn(async () => undefined);
    const { hooked } = setup({ outcome: 'unchanged' }, enqueue);
    await expect(hooked.applyEvent(event)).resolves.toEqual({ outcome: 'unchanged' });
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('keeps the status write when the queue refuses, counting and logging the lost jobs', async () => {
    const { hooked, emitted, lines } = setup(applied, async () => {
      throw new Error('queue down');
    });
    await expect(hooked.applyEvent(event)).resolves.toBe(applied);
    expect(emitted.WebhookEnqueueFailed).toBe(1);
    expect(
      lines().some((l) => l.msg === 'could not enqueue webhook jobs; these deliveries are lost'),
    ).toBe(true);
  });
});
