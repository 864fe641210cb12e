import { GroupCommitBatcher, type EntryOutcome } from '../src/group-commit.ts';

/** A send whose calls stay open until the test releases them, one at a time or all. */
function controlledSend(judge: (item: string) => EntryOutcome<string> = okOutcome) {
  const calls: string[][] = [];
  const open: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const send = (items: string[]) => {
    calls.push(items);
    return new Promise<EntryOutcome<string>[]>((resolve, reject) => {
      open.push({ resolve: () => resolve(items.map(judge)), reject });
    });
  };
  const settle = async () => {
    // Let promise callbacks (results, the slot freeing, the next call starting) run, then the
    // end of the turn, where entries added meanwhile leave.
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
    await nextTurn();
  };
  return {
    send,
    calls,
    async releaseNext() {
      open.shift()?.resolve();
      await settle();
    },
    async failNext(error: Error) {
      open.shift()?.reject(error);
      await settle();
    },
    get openCalls() {
      return open.length;
    },
    settle,
  };
}

/** The end of the current event-loop turn, where a batcher sends what gathered in it. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function okOutcome(item: string): EntryOutcome<string> {
  return { ok: true, value: `done:${item}` };
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('group-commit batcher', () => {
  afterEach(() => jest.useRealTimers());

  it('sends a lone item at the end of its turn when a slot is free: no linger by default', async () => {
    const s = controlledSend();
    const batcher = new GroupCommitBatcher({ send: s.send, maxEntries: 10, maxInFlight: 1 });
    const result = batcher.add('a');
    expect(s.calls).toEqual([]);
    await nextTurn();
    expect(s.calls).toEqual([['a']]);
    await s.releaseNext();
    await expect(result).resolves.toBe('done:a');
  });

  it('fills the next batch while every slot is busy and sends it the moment one frees', async () => {
    const s = controlledSend();
    const batcher = new GroupCommitBatcher({ send: s.send, maxEntries: 10, maxInFlight: 1 });
    const first = batcher.add('a');
    await nextTurn();
    const rest = names('b', 4).map((item) => batcher.add(item));
    await nextTurn();
    expect(s.calls).toEqual([['a']]);
    expect(batcher.waitingCount).toBe(4);
    await s.releaseNext();
    expect(s.calls[1]).toEqual(['b0', 'b1', 'b2', 'b3']);
    await s.releaseNext();
    await expect(first).resolves.toBe('done:a');
    await expect(Promise.all(rest)).resolves.toEqual(names('b', 4).map((i) => `done:${i}`));
  });

  it('sends the entries of one turn in one call even while other slots are free', async () => {
    const s = controlledSend();
    const batcher = new GroupCommitBatcher({ send: s.send, maxEntries: 10, maxInFlight: 4 });
    const all = names('t', 3).map((item) => batcher.add(item));
    await nextTurn();
    expect(s.calls).toEqual([['t0', 't1', 't2']]);
    await s.releaseNext();
    await expect(Promise.all(all)).resolves.toEqual(names('t', 3).map((i) => `done:${i}`));
  });

  it('gives entries of later turns the free slots instead of making them wait', async () => {
    const s = controlledSend();
    const batcher = new GroupCommitBatcher({ send: s.send, maxEntries: 10, maxInFlight: 2 });
    batcher.add('a');
    await nextTurn();
    batcher.add('b');
    await nextTurn();
    expect(s.calls).toEqual([['a'], ['b']]);
    expect(batcher.inFlightCount).toBe(2);
    batcher.add('c');
    await nextTurn();
    expect(s.calls).toHaveLength(2);
    expect(batcher.waitingCount).toBe(1);
  });

  it('sends a full batch within the turn, uses every slot, then caps batches at maxEntries', async () => {
    const s = controlledSend();
    const batcher = new GroupCommitBatcher({ send: s.send, maxEntries: 3, maxInFlight: 2 });
    const all = names('m', 11).map((item) => batcher.add(item));
    // Full batches leave inside add(), without waiting for the turn to end.
    expect(s.calls).toEqual([
      ['m0', 'm1', 'm2'],
      ['m3', 'm4', 'm5'],
    ]);
    expect(batcher.inFlightCount).toBe(2);
    expect(batcher.waitingCount).toBe(5);
    await s.releaseNext();
    expect(s.calls[2]).toEqual(['m6', 'm7', 'm8']);
    await s.releaseNext();
    expect(s.calls[3]).toEqual(['m9', 'm10']);
    while (s.openCalls > 0) await s.releaseNext();
    expect(s.calls).toHaveLength(4);
    await expect(Promise.all(all)).resolves.toHaveLength(11);
  });

  it('keeps a batch under the byte limit and sends an oversized item alone', async () => {
    const s = controlledSend();
    const batcher = new GroupCommitBatcher({
      send: s.send,
      maxEntries: 10,
      maxInFlight: 1,
      maxBytes: 10,
      sizeOf: (item: string) => item.length,
    });
    const first = batcher.add('first');
    await nextTurn();
    const rest = ['aaaa', 'bbbb', 'cccc', 'x'.repeat(25), 'dd'].map((i) => batcher.add(i));
    const all = [first, ...rest];
    await s.releaseNext(); // 'first' went alone; the rest waited
    expect(s.calls[1]).toEqual(['aaaa', 'bbbb']);
    await s.releaseNext();
    expect(s.calls[2]).toEqual(['cccc']);
    await s.releaseNext();
    expect(s.calls[3]).toEqual(['x'.repeat(25)]);
    await s.releaseNext();
    expect(s.calls[4]).toEqual(['dd']);
    await s.releaseNext();
    await expect(Promise.all(all)).resolves.toHaveLength(6);
  });

  it('fails only the entries the call reported as failed', async () => {
    const s = controlledSend((item) =>
      item === 'bad' ? { ok: false, error: new Error('rejected: bad') } : okOutcome(item),
    );
    const batcher = new GroupCommitBatcher({ send: s.send, maxEntries: 10, maxInFlight: 1 });
    const blocker = batcher.add('first');
    await nextTurn();
    const results = Promise.allSettled(['a', 'bad', 'c'].map((item) => batcher.add(item)));
    await s.releaseNext();
    await s.releaseNext();
    await blocker;
    const settled = await results;
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('rejected: bad');
  });

  it('fails every entry of a call that failed as a whole, with the caller-shaped error, and goes on', async () => {
    const s = controlledSend();
    const batcher = new GroupCommitBatcher({
      send: s.send,
      maxEntries: 10,
      maxInFlight: 1,
      batchError: (cause) => new Error(`batch failed: ${(cause as Error).message}`),
    });
    const failed = [batcher.add('a')];
    await nextTurn();
    failed.push(batcher.add('b'));
    // 'a' went alone; 'b' is waiting for the slot.
    await s.failNext(new Error('socket hang up'));
    await expect(failed[0]).rejects.toThrow('batch failed: socket hang up');
    expect(s.calls[1]).toEqual(['b']);
    await s.releaseNext();
    await expect(failed[1]).resolves.toBe('done:b');
  });

  it('rejects an entry the call gave no outcome for', async () => {
    const batcher = new GroupCommitBatcher<string, string>({
      send: async () => [okOutcome('a')],
      maxEntries: 10,
      maxInFlight: 1,
    });
    const blocker = batcher.add('zero');
    await nextTurn();
    const both = [batcher.add('a'), batcher.add('b')];
    await blocker;
    const settled = await Promise.allSettled(both);
    expect(settled[1]).toMatchObject({ status: 'rejected' });
  });

  it('with a linger, waits for company while a slot is free, but not past a full batch', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const s = controlledSend();
    const batcher = new GroupCommitBatcher({
      send: s.send,
      maxEntries: 3,
      maxInFlight: 1,
      lingerMs: 20,
    });
    batcher.add('a');
    batcher.add('b');
    await nextTurn();
    expect(s.calls).toHaveLength(0);
    jest.advanceTimersByTime(19);
    expect(s.calls).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(s.calls).toEqual([['a', 'b']]);
    await s.releaseNext();
    ['c', 'd', 'e'].forEach((item) => batcher.add(item));
    expect(s.calls[1]).toEqual(['c', 'd', 'e']);
  });

  it('flush sends what waits for a linger and resolves only when every call has finished', async () => {
    jest.useFakeTimers();
    let finished = 0;
    const batcher = new GroupCommitBatcher<string, string>({
      send: async (items) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        finished += items.length;
        return items.map(okOutcome);
      },
      maxEntries: 10,
      maxInFlight: 1,
      lingerMs: 60_000,
    });
    const results = names('s', 12).map((item) => batcher.add(item));
    const flushed = batcher.flush();
    await jest.advanceTimersByTimeAsync(5);
    expect(finished).toBe(10);
    await jest.advanceTimersByTimeAsync(5);
    await flushed;
    expect(finished).toBe(12);
    await expect(Promise.all(results)).resolves.toHaveLength(12);
    // After a flush began, a late item does not wait out the linger.
    const late = batcher.add('late');
    await jest.advanceTimersByTimeAsync(5);
    await expect(late).resolves.toBe('done:late');
  });

  it('refuses settings that cannot work', () => {
    const send = async () => [];
    expect(() => new GroupCommitBatcher({ send, maxEntries: 0, maxInFlight: 1 })).toThrow(
      /maxEntries/,
    );
    expect(() => new GroupCommitBatcher({ send, maxEntries: 10, maxInFlight: 1.5 })).toThrow(
      /maxInFlight/,
    );
    expect(
      () => new GroupCommitBatcher({ send, maxEntries: 10, maxInFlight: 1, lingerMs: -1 }),
    ).toThrow(/lingerMs/);
  });
});
