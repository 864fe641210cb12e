import { SendingGate, type SendingProbeResult } from '../src/sending-gate.ts';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

function gateWith(results: SendingProbeResult[]) {
  const probe = jest.fn(async () => results.shift() ?? 'enabled');
  const events: string[] = [];
  const gate = new SendingGate({
    probeIntervalMs: 1_000,
    probe,
    onPause: (reason) => events.push(`pause:${reason}`),
    onResume: (how) => events.push(`resume:${how}`),
  });
  return { gate, probe, events };
}

describe('SendingGate', () => {
  it('is open until paused, then holds waiters until a probe says sending is enabled', async () => {
    const { gate, probe, events } = gateWith(['paused', 'enabled']);
    await expect(gate.whenOpen()).resolves.toBeUndefined();
    gate.pause('SendingPausedException');
    expect(gate.isOpen).toBe(false);
    let opened = false;
    const waiting = gate.whenOpen().then(() => (opened = true));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(opened).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);
    await waiting;
    expect(opened).toBe(true);
    expect(events).toEqual(['pause:SendingPausedException', 'resume:enabled']);
  });

  it('lets the next send decide when GetAccount cannot tell', async () => {
    const { gate } = gateWith(['unknown']);
    gate.pause('AccountSuspendedException');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(gate.isOpen).toBe(true);
  });

  it('pausing again while paused does not start a second probe', async () => {
    const { gate, probe } = gateWith(['enabled']);
    gate.pause('a');
    gate.pause('b');
    expect(gate.pausedReason).toBe('b');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it('rejects a waiter whose signal aborts', async () => {
    const { gate } = gateWith(['paused']);
    gate.pause('x');
    const controller = new AbortController();
    const waiting = gate.whenOpen(controller.signal);
    controller.abort(new Error('draining'));
    await expect(waiting).rejects.toThrow('draining');
    gate.close();
  });
});
