// The delivery check: the notification the smoke test sent must reach `delivered`, read from
// GET /v1/notifications/{id} (architecture.md, "Notification status"). An accepted request
// proves the API and its queue; only this proves the worker, SES and the status pipeline behind
// them. Statuses move forward only, so each poll either waits (queued, sent, delayed), passes
// (delivered) or fails for good (bounced, suppressed, rejected, failed).
import { DeadlineExceededError, poll, type PollStep } from '@notify/actions-shared';
import {
  attempt,
  excerpt,
  expectStatus,
  MisconfiguredError,
  WarmingUpError,
  type Answer,
  type HttpSettings,
} from './http.ts';

export const DELIVERY_CHECK = 'notification delivered';

const pendingStatuses = new Set(['queued', 'sent', 'delayed']);
const undeliveredStatuses = new Set(['bounced', 'suppressed', 'rejected', 'failed']);

export interface DeliveryCheckOptions {
  http: HttpSettings;
  token: string;
  /** The id the API gave the smoke notification. */
  id: string;
  /** Time allowed from the first status read to `delivered` (ms). */
  deadlineMs: number;
  /** Delay between status reads (ms). */
  intervalMs: number;
  log: (line: string) => void;
}

export interface DeliveryVerdict {
  ok: boolean;
  detail: string;
  /** Time from the first status read to the verdict (ms). */
  elapsedMs: number;
}

interface Watch {
  options: DeliveryCheckOptions;
  path: string;
  startedAt: number;
  /** Every status seen, in order, each once: "queued → sent → delivered". */
  seen: string[];
  lastProblem?: string;
}

type Verdict = Omit<DeliveryVerdict, 'elapsedMs'>;

const history = (watch: Watch) => (watch.seen.length > 0 ? watch.seen.join(' → ') : 'none');

/** 404: the API does not know the notification it just accepted, or has no status endpoint. */
function unknownNotification(watch: Watch, answer: Answer): Verdict {
  return {
    ok: false,
    detail:
      `GET ${watch.path} answered 404 (${excerpt(answer.text)}): the API does not know the ` +
      'notification it accepted. Where the status endpoint is not deployed, set check-delivery: false.',
  };
}

function statusOf(watch: Watch, answer: Answer): string | Verdict {
  const body = answer.json as { id?: unknown; status?: unknown; reason?: unknown } | undefined;
  if (typeof body?.status !== 'string') {
    return {
      ok: false,
      detail: `GET ${watch.path}: 200 without a status: ${excerpt(answer.text)}`,
    };
  }
  if (body.id !== watch.options.id) {
    return {
      ok: false,
      detail: `GET ${watch.path}: 200 for id ${JSON.stringify(body.id)} instead of ${watch.options.id}`,
    };
  }
  return body.status;
}

function undelivered(watch: Watch, status: string, answer: Answer): Verdict {
  const reason = (answer.json as { reason?: { code?: unknown } }).reason;
  const why = typeof reason?.code === 'string' ? ` (reason ${reason.code})` : '';
  return {
    ok: false,
    detail: `${watch.options.id} ended ${status}${why} instead of delivered (statuses: ${history(watch)})`,
  };
}

/** One status read: a verdict, or undefined to read again. */
async function readStatus(watch: Watch): Promise<PollStep<Verdict>> {
  const answer = await attempt(watch.options.http, {
    method: 'GET',
    path: watch.path,
    headers: { authorization: `Bearer ${watch.options.token}` },
  });
  if (answer.status === 404) return { done: true, value: unknownNotification(watch, answer) };
  const statusProblem = expectStatus(answer, 200);
  if (statusProblem) {
    return { done: true, value: { ok: false, detail: `GET ${watch.path}: ${statusProblem}` } };
  }
  const status = statusOf(watch, answer);
  if (typeof status !== 'string') return { done: true, value: status };
  if (watch.seen.at(-1) !== status) {
    watch.seen.push(status);
    watch.options.log(`${DELIVERY_CHECK}: ${watch.options.id} is ${status}`);
  }
  if (status === 'delivered') {
    return { done: true, value: { ok: true, detail: `${watch.options.id}: ${history(watch)}` } };
  }
  if (undeliveredStatuses.has(status)) {
    return { done: true, value: undelivered(watch, status, answer) };
  }
  if (pendingStatuses.has(status)) return { done: false };
  return {
    done: true,
    value: { ok: false, detail: `GET ${watch.path}: unknown status ${JSON.stringify(status)}` },
  };
}

function pastDeadline(watch: Watch): Verdict {
  const waited = `${Math.round(watch.options.deadlineMs / 1000)} s`;
  const last = watch.seen.at(-1);
  const where = last ? `still ${last} after ${waited}` : `no status read within ${waited}`;
  const problem = watch.lastProblem ? `; last error: ${watch.lastProblem}` : '';
  return {
    ok: false,
    detail: `${watch.options.id} ${where} (statuses: ${history(watch)})${problem}`,
  };
}

/** Reads the notification's status until it is delivered, ends otherwise, or the deadline passes. */
export async function checkDelivery(options: DeliveryCheckOptions): Promise<DeliveryVerdict> {
  const watch: Watch = {
    options,
    path: `/v1/notifications/${encodeURIComponent(options.id)}`,
    startedAt: Date.now(),
    seen: [],
  };
  let verdict: Verdict;
  try {
    verdict = await poll(() => readStatus(watch), {
      intervalMs: options.intervalMs,
      maxIntervalMs: Math.max(options.intervalMs, 5_000),
      deadline: watch.startedAt + options.deadlineMs,
      isRetryableError: (error) => error instanceof WarmingUpError,
      onRetryableError: (error) => {
        watch.lastProblem = (error as Error).message;
        options.log(`GET ${watch.path}: ${watch.lastProblem}; retrying`);
      },
    });
  } catch (error) {
    if (error instanceof MisconfiguredError) verdict = { ok: false, detail: error.message };
    else if (error instanceof DeadlineExceededError) verdict = pastDeadline(watch);
    else throw error;
  }
  return { ...verdict, elapsedMs: Date.now() - watch.startedAt };
}
