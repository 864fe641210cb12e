// What one attempt's outcome means for the delivery: done, try again later, or give up now.
// Retried: network errors, timeouts, 429 and 5xx (the receiver may recover). Given up: other
// 4xx (the receiver refuses this request and will again), redirects (never followed, so they
// would repeat) and a destination that the address check refuses.
import type { AttemptOutcome } from './attempt.ts';

export type Verdict =
  | { verdict: 'delivered'; status: number }
  | { verdict: 'retry'; reason: string }
  | { verdict: 'give_up'; reason: string };

export function classifyOutcome(outcome: AttemptOutcome): Verdict {
  switch (outcome.kind) {
    case 'timeout':
      return { verdict: 'retry', reason: `no answer within the attempt deadline` };
    case 'network':
      return { verdict: 'retry', reason: `network error ${outcome.code}: ${outcome.message}` };
    case 'response': {
      const { status } = outcome;
      if (status >= 200 && status < 300) return { verdict: 'delivered', status };
      const said = outcome.body.trim() === '' ? '' : `: ${outcome.body.trim().slice(0, 200)}`;
      if (status === 429 || status >= 500)
        return { verdict: 'retry', reason: `HTTP ${status}${said}` };
      if (status >= 300 && status < 400) {
        return {
          verdict: 'give_up',
          reason: `HTTP ${status} redirect to ${outcome.location ?? '(no Location)'} (redirects are not followed)`,
        };
      }
      return { verdict: 'give_up', reason: `HTTP ${status}${said}` };
    }
  }
}
