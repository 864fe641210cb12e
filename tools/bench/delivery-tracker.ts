// Watches the SES emulator's store (`GET /store?since=<epoch s>`) and records when each email
// first appears, keyed by its subject (the bench puts a unique token there). The `since` filter
// keeps each poll small; entries are de-duplicated by the emulator's messageId, so an email
// sent twice counts as a duplicate, not as one.
import { setTimeout as sleep } from 'node:timers/promises';

interface StoredEmail {
  messageId: string;
  subject: string;
  at: number;
}

export interface DeliveryTracker {
  /** Epoch ms at which each subject was first seen. */
  firstSeen: Map<string, number>;
  /** Emails seen per subject (>1 = duplicates). */
  copies: Map<string, number>;
  /** Polls once right now. */
  poll(): Promise<void>;
  /** Polls until `done()` or the timeout; resolves true if done. */
  waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean>;
  stop(): void;
}

export async function fetchStore(sesUrl: string, sinceSeconds?: number): Promise<StoredEmail[]> {
  const query = sinceSeconds === undefined ? '' : `?since=${sinceSeconds}`;
  const res = await fetch(`${sesUrl}/store${query}`);
  if (!res.ok) throw new Error(`SES emulator /store answered ${res.status}`);
  return ((await res.json()) as { emails: StoredEmail[] }).emails;
}

export async function clearStore(sesUrl: string): Promise<void> {
  const res = await fetch(`${sesUrl}/clear-store`, { method: 'POST' });
  await res.arrayBuffer();
}

export function trackDeliveries(
  sesUrl: string,
  options: { intervalMs: number; subjectPrefix: string },
): DeliveryTracker {
  const firstSeen = new Map<string, number>();
  const copies = new Map<string, number>();
  const seenIds = new Set<string>();
  let stopped = false;
  let lastPollStart = Date.now();

  const poll = async () => {
    const started = Date.now();
    // Everything stored since the last poll began has `at` (whole seconds) >= that second; the
    // window stays under ~1 s of mail so that polling does not load the emulator being measured.
    // Ids de-duplicate the overlap.
    const since = Math.floor(Math.min(lastPollStart, started) / 1000);
    lastPollStart = started;
    const emails = await fetchStore(sesUrl, since);
    const now = Date.now();
    for (const email of emails) {
      if (seenIds.has(email.messageId) || !email.subject.startsWith(options.subjectPrefix)) {
        continue;
      }
      seenIds.add(email.messageId);
      copies.set(email.subject, (copies.get(email.subject) ?? 0) + 1);
      if (!firstSeen.has(email.subject)) firstSeen.set(email.subject, now);
    }
  };

  return {
    firstSeen,
    copies,
    poll,
    async waitUntil(done, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!stopped && Date.now() < deadline) {
        await poll();
        if (done()) return true;
        await sleep(options.intervalMs);
      }
      return done();
    },
    stop() {
      stopped = true;
    },
  };
}
