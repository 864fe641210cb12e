import { ReceiveTurn } from '../src/receive-turn.ts';

const never = new AbortController().signal;
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ReceiveTurn', () => {
  it('makes the first loop after a short receive the watcher and keeps the others waiting', async () => {
    const turn = new ReceiveTurn();
    await expect(turn.enter(never)).resolves.toBe('watch');
    const roles: string[] = [];
    void turn.enter(never).then((r) => roles.push(`b:${r}`));
    void turn.enter(never).then((r) => roles.push(`c:${r}`));
    await flush();
    expect(roles).toEqual([]);
    expect(turn.waitingCount).toBe(2);
  });

  it('lets every waiting loop join when the watcher came back full', async () => {
    const turn = new ReceiveTurn();
    await turn.enter(never);
    const waiting = [turn.enter(never), turn.enter(never)];
    turn.leave(true);
    await expect(Promise.all(waiting)).resolves.toEqual(['join', 'join']);
    // Nobody watches now: the next short receive makes a new watcher.
    await expect(turn.enter(never)).resolves.toBe('watch');
  });

  it('hands the turn to the first waiting loop when the watcher came back short', async () => {
    const turn = new ReceiveTurn();
    await turn.enter(never);
    const roles: string[] = [];
    void turn.enter(never).then((r) => roles.push(`b:${r}`));
    void turn.enter(never).then((r) => roles.push(`c:${r}`));
    await flush();
    turn.leave(false);
    await flush();
    expect(roles).toEqual(['b:watch']);
    expect(turn.waitingCount).toBe(1);
  });

  it('frees the turn when the watcher leaves with nobody waiting', async () => {
    const turn = new ReceiveTurn();
    await turn.enter(never);
    turn.leave(false);
    await expect(turn.enter(never)).resolves.toBe('watch');
  });

  it('rejects a waiting loop when it is stopped, and forgets it', async () => {
    const turn = new ReceiveTurn();
    await turn.enter(never);
    const stop = new AbortController();
    const waiting = turn.enter(stop.signal);
    stop.abort(new Error('poller stopped'));
    await expect(waiting).rejects.toThrow('poller stopped');
    expect(turn.waitingCount).toBe(0);
    await expect(turn.enter(stop.signal)).rejects.toThrow('poller stopped');
  });
});
