import type { Rec } from './Rec.js';

/**
 * Session structure of the retained log, kept incrementally: a session starts at an event at
 * least `timeout` after the previous one; the latest session is the one holding the newest event.
 */
export class Sessions {
  /** Number of sessions in the retained log. */
  nSessions = 0;
  /** First event of the latest session. */
  start: Rec | null = null;
  /** Events and page views in the latest session. */
  events = 0;
  pageViews = 0;
  lastT = 0;

  constructor(private readonly sessionGap: number) {}

  /** An event appended after `prev` (or first); returns true when it starts a new session. */
  onAppend(r: Rec, prev: Rec | undefined): boolean {
    const fresh = !prev || r.t - prev.t >= this.sessionGap;
    if (fresh) {
      this.nSessions++;
      this.start = r;
      this.events = 0;
      this.pageViews = 0;
    }
    this.events++;
    if (r.type === 'page_view') this.pageViews++;
    this.lastT = r.t;
    return fresh;
  }

  /** The oldest event `r` left the log; `next` is the new oldest. */
  onDropFront(r: Rec, next: Rec | undefined): void {
    if (!next) {
      this.reset();
      return;
    }
    if (next.t - r.t >= this.sessionGap) this.nSessions--;
    else if (this.start === r) {
      this.start = next;
      this.events--;
      if (r.type === 'page_view') this.pageViews--;
    } else return;
    // A dropped single-event session that was not the latest changes only the count.
  }

  reset(): void {
    this.nSessions = 0;
    this.start = null;
    this.events = 0;
    this.pageViews = 0;
    this.lastT = 0;
  }

  /** Rebuilds from a log slice, oldest first. */
  rebuild(log: readonly Rec[], from: number): void {
    this.reset();
    for (let i = from; i < log.length; i++) this.onAppend(log[i] as Rec, log[i - 1 >= from ? i - 1 : -1]);
  }

  metric(name: string): number {
    if (!this.start) return 0;
    if (name === 'pageViews') return this.pageViews;
    if (name === 'events') return this.events;
    if (name === 'duration') return this.lastT - this.start.t;
    return this.nSessions;
  }
}
