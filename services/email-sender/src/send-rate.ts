// Decides the task's send rate at start: the configured SEND_RATE_PER_SECOND, or, when asked,
// this account's SES MaxSendRate split across the tasks that share it. If SES cannot be asked,
// the configured rate is the safe fallback rather than a failed start.
import type { Logger } from '@notify/shared';

export interface SendRateOptions {
  fromAccount: boolean;
  configuredRate: number;
  taskShare: number;
  readMaxSendRate: () => Promise<number>;
  logger: Logger;
}

export async function resolveSendRate(options: SendRateOptions): Promise<number> {
  if (!options.fromAccount) return options.configuredRate;
  try {
    const accountRate = await options.readMaxSendRate();
    const rate = accountRate / options.taskShare;
    options.logger.info(
      { accountRate, taskShare: options.taskShare, ratePerSecond: rate },
      'send rate taken from the SES account quota',
    );
    return rate;
  } catch (error) {
    options.logger.warn(
      { err: error, ratePerSecond: options.configuredRate },
      'could not read the SES send quota; using SEND_RATE_PER_SECOND',
    );
    return options.configuredRate;
  }
}
