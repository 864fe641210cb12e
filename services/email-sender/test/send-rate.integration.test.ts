import { resolveSendRate } from '../src/send-rate.ts';
import { captureLogger } from './support/local-stack.ts';

const base = { configuredRate: 14, taskShare: 1, logger: captureLogger().logger };

describe('resolveSendRate', () => {
  it('uses SEND_RATE_PER_SECOND unless asked to read the account', async () => {
    const readMaxSendRate = jest.fn(async () => 200);
    await expect(resolveSendRate({ ...base, fromAccount: false, readMaxSendRate })).resolves.toBe(
      14,
    );
    expect(readMaxSendRate).not.toHaveBeenCalled();
  });

  it('splits the account MaxSendRate across the tasks that share it', async () => {
    await expect(
      resolveSendRate({
        ...base,
        fromAccount: true,
        taskShare: 4,
        readMaxSendRate: async () => 200,
      }),
    ).resolves.toBe(50);
  });

  it('falls back to SEND_RATE_PER_SECOND when GetAccount fails', async () => {
    await expect(
      resolveSendRate({
        ...base,
        fromAccount: true,
        readMaxSendRate: async () => {
          throw new Error('AccessDenied');
        },
      }),
    ).resolves.toBe(14);
  });
});
