// The poll loop against a mocked SQS client (no network): concurrency above 10 bounded by
// MAX_IN_FLIGHT, a slow message not blocking the next poll, and backoff when SQS fails.
import { setTimeout as sleep } from 'node:timers/promises';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { InFlightLimiter } from '../src/in-flight-limiter.ts';
import { Poller } from '../src/poller.ts';
import { ReceiveTurn } from '../src/receive-turn.ts';
import { SendingGate } from '../src/sending-gate.ts';
import { WorkerStatus } from '../src/worker-status.ts';
import { captureLogger } from './support/local-stack.ts';

const sqsMock = mockClient(SQSClient);
beforeEach(() => sqsMock.reset());

let counter = 0;
function messages(n: number): Message[] {
  return Array.from({ length: n }, () => {
    counter += 1;
    return { MessageId: `m${counter}`, ReceiptHandle: `rh${counter}`, Body: '{}' };
  });
}

function setup(
  limit: number,
  pollers: number,
  onMessage: (m: Message, release: () => void) => void,
  batchWaitMs?: number,
  receiveTurn?: ReceiveTurn,
) {
  const { logger } = captureLogger();
  const limiter = new InFlightLimiter(limit);
  const status = new WorkerStatus();
  const gate = new SendingGate({ probeIntervalMs: 1_000, probe: async () => 'enabled' });
  const list = Array.from(
    { length: pollers },
    (_, id) =>
      new Poller({
        id,
        sqs: new SQSClient({ region: 'us-east-1' }),
        queueUrl: 'http://q',
        waitTimeSeconds: 1,
        visibilityTimeoutSeconds: 30,
        limiter,
        gate,
        status,
        logger,
        onMessage: (m) => onMessage(m, () => limiter.release(1)),
        failureBaseMs: 50,
        failureMaxMs: 200,
        batchWaitMs,
        receiveTurn,
      }),
  );
  return { limiter, status, gate, pollers: list };
}

/**
 * A queue as a long poll sees it: a receive returns what is there (up to what it asked for) in
 * 2 ms, and on an empty queue waits 40 ms and comes back empty. Counts receives open at once.
 */
function playQueue() {
  const q = { backlog: 0, open: 0, maxOpen: 0, delivered: 0 };
  sqsMock.on(ReceiveMessageCommand).callsFake(async (input) => {
    q.open += 1;
    q.maxOpen = Math.max(q.maxOpen, q.open);
    try {
      await sleep(q.backlog > 0 ? 2 : 40);
      const n = Math.min(q.backlog, input.MaxNumberOfMessages ?? 1);
      q.backlog -= n;
      q.delivered += n;
      return { Messages: messages(n) };
    } finally {
      q.open -= 1;
    }
  });
  return q;
}

describe('Poller', () => {
  it('on a drained queue, only one of the loops sharing a turn long-polls', async () => {
    const q = playQueue();
    const { pollers } = setup(40, 3, (_m, release) => release(), 0, new ReceiveTurn());
    pollers.forEach((p) => p.start());
    // The first receives start together; once they came back empty, one loop does the waiting.
    await sleep(60);
    q.maxOpen = q.open;
    await sleep(300);
    await Promise.all(pollers.map((p) => p.stop(0)));
    expect(q.maxOpen).toBe(1);
    expect(sqsMock.commandCalls(ReceiveMessageCommand).length).toBeLessThan(3 + 300 / 40 + 3);
  });

  it('every loop receives again at once when a receive comes back full (work is waiting)', async () => {
    const q = playQueue();
    const { pollers, limiter } = setup(
      40,
      3,
      (_m, release) => setTimeout(release, 5),
      0,
      new ReceiveTurn(),
    );
    pollers.forEach((p) => p.start());
    await sleep(60);
    q.maxOpen = q.open;
    q.backlog = 300;
    const until = Date.now() + 5_000;
    while (q.delivered < 300 && Date.now() < until) await sleep(5);
    await Promise.all(pollers.map((p) => p.stop(0)));
    expect(q.delivered).toBe(300);
    expect(q.maxOpen).toBe(3);
    expect(limiter.inFlight).toBe(0);
  });

  it('lets several pollers hold more than 10 messages, never more than the limit', async () => {
    sqsMock.on(ReceiveMessageCommand).callsFake(async (input) => ({
      Messages: messages(input.MaxNumberOfMessages),
    }));
    let held = 0;
    let maxHeld = 0;
    const { pollers, limiter } = setup(25, 3, (_m, release) => {
      held += 1;
      maxHeld = Math.max(maxHeld, held);
      // Each message is "slow": it holds its slot for 30 ms.
      setTimeout(() => {
        held -= 1;
        release();
      }, 30);
    });
    pollers.forEach((p) => p.start());
    await sleep(200);
    await Promise.all(pollers.map((p) => p.stop(0)));
    expect(maxHeld).toBe(25);
    expect(limiter.inFlight).toBeLessThanOrEqual(25);
    const asked = sqsMock
      .commandCalls(ReceiveMessageCommand)
      .map((c) => c.args[0].input.MaxNumberOfMessages ?? 0);
    expect(Math.max(...asked)).toBe(10);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0].args[0].input).toMatchObject({
      WaitTimeSeconds: 1,
      VisibilityTimeout: 30,
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
    });
  });

  it('polls again while an earlier message is still being processed', async () => {
    sqsMock.on(ReceiveMessageCommand).callsFake(async () => ({ Messages: messages(1) }));
    const seen: string[] = [];
    const { pollers } = setup(40, 1, (m) => seen.push(m.MessageId ?? ''));
    pollers[0].start();
    await sleep(50);
    await pollers[0].stop(0);
    // Nothing was ever released: the first message is still "processing".
    expect(seen.length).toBeGreaterThan(2);
  });

  it('backs off after failures, marks the queue unreachable, then recovers', async () => {
    let fail = true;
    sqsMock.on(ReceiveMessageCommand).callsFake(async () => {
      if (fail) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      await sleep(5);
      return {};
    });
    const { pollers, status } = setup(10, 1, () => undefined);
    pollers[0].start();
    await sleep(300);
    expect(status.queueReachable).toBe(false);
    // Delays grow towards the 200 ms cap: far fewer calls than a tight loop would make.
    expect(sqsMock.commandCalls(ReceiveMessageCommand).length).toBeLessThan(15);
    fail = false;
    await sleep(400);
    expect(status.queueReachable).toBe(true);
    expect(status.consecutivePollFailures).toBe(0);
    await pollers[0].stop(0);
  });

  it('does not poll while the sending gate is closed', async () => {
    sqsMock.on(ReceiveMessageCommand).resolves({});
    const { pollers, gate, status } = setup(10, 1, () => undefined);
    gate.pause('SendingPausedException');
    pollers[0].start();
    await sleep(50);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
    expect(status.pollersWaiting).toBe(1);
    await pollers[0].stop(0);
    gate.close();
  });

  describe('receive batch wait', () => {
    const askedFor = () =>
      sqsMock.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input.MaxNumberOfMessages);

    it('pauses after a receive that returned fewer messages than it asked for', async () => {
      // A queue that trickles: 3 messages per receive.
      sqsMock.on(ReceiveMessageCommand).callsFake(async () => ({ Messages: messages(3) }));
      const { pollers } = setup(40, 1, (_m, release) => release(), 100);
      pollers[0].start();
      await sleep(250);
      await pollers[0].stop(0);
      // Without the wait this loop would poll hundreds of times in 250 ms.
      const calls = askedFor().length;
      expect(calls).toBeGreaterThanOrEqual(2);
      expect(calls).toBeLessThanOrEqual(4);
    });

    it('polls again at once while receives come back full', async () => {
      sqsMock.on(ReceiveMessageCommand).callsFake(async (input) => {
        await sleep(2);
        return { Messages: messages(input.MaxNumberOfMessages) };
      });
      const { pollers } = setup(40, 1, (_m, release) => release(), 1_000);
      pollers[0].start();
      await sleep(100);
      await pollers[0].stop(0);
      expect(askedFor().length).toBeGreaterThan(10);
      expect(askedFor().every((asked) => asked === 10)).toBe(true);
    });

    it('does not pause when a full task asked for fewer than 10 and got them all', async () => {
      sqsMock.on(ReceiveMessageCommand).callsFake(async (input) => {
        await sleep(2);
        return { Messages: messages(input.MaxNumberOfMessages) };
      });
      // Room for 4: every receive asks for 4 and gets 4, so the queue may hold more.
      const { pollers } = setup(4, 1, (_m, release) => setTimeout(release, 1), 1_000);
      pollers[0].start();
      await sleep(100);
      await pollers[0].stop(0);
      expect(askedFor().length).toBeGreaterThan(5);
      expect(Math.max(...askedFor().map(Number))).toBe(4);
    });

    it('treats an empty receive as not full and pauses after it', async () => {
      sqsMock.on(ReceiveMessageCommand).resolves({});
      const { pollers } = setup(40, 1, () => undefined, 150);
      pollers[0].start();
      await sleep(100);
      await pollers[0].stop(0);
      expect(askedFor()).toHaveLength(1);
    });

    it('ends the pause at once when stopped, holding no slot', async () => {
      sqsMock.on(ReceiveMessageCommand).callsFake(async () => ({ Messages: messages(1) }));
      const { pollers, limiter, status } = setup(40, 1, (_m, release) => release(), 10_000);
      pollers[0].start();
      await sleep(30);
      expect(askedFor()).toHaveLength(1);
      expect(limiter.inFlight).toBe(0);
      const began = performance.now();
      await pollers[0].stop();
      expect(performance.now() - began).toBeLessThan(100);
      expect(status.pollersRunning).toBe(0);
      expect(askedFor()).toHaveLength(1);
    });
  });
});
