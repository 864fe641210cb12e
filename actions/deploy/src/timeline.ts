// The deploy's story as it happens: every change is logged once (not every poll) and kept
// for the job summary's timeline table.
import { type Clock, formatClock, type Status, type TimelineEntry } from '@notify/actions-shared';

export class Timeline {
  readonly entries: TimelineEntry[] = [];
  private readonly lastByKey = new Map<string, string>();
  private readonly clock: Clock;
  private readonly log: (line: string) => void;

  constructor(clock: Clock, log: (line: string) => void) {
    this.clock = clock;
    this.log = log;
  }

  add(text: string, status?: Status): void {
    const at = this.clock.now();
    this.entries.push({ at, text, status });
    this.log(`[${formatClock(at)}] ${text}`);
  }

  /** Adds `text` only when it differs from what was last recorded under `key`. */
  change(key: string, text: string, status?: Status): void {
    if (this.lastByKey.get(key) === text) return;
    this.lastByKey.set(key, text);
    this.add(text, status);
  }
}
