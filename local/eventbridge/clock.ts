import { realTimerClock, type TimerClock, type TimerHandle } from '../timer-clock';

/** Time for the bus, injected so a simulated clock can drive retries (the shape all local services share). */
export type Clock = TimerClock;
export type { TimerHandle };
export const realClock: Clock = realTimerClock;

/**
 * A clock that only moves when told to: `advance(ms)` or `runNext()` fire due timers in time
 * order. Meant for tests and for a runtime that wants to skip to the next timer.
 */
export class ManualClock implements Clock {
  private timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  private seq = 0;

  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  setTimer(atMs: number, fn: () => void): TimerHandle {
    const timer = { at: atMs, seq: this.seq++, fn };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.timers.length;
  }

  /** Jump to the earliest timer and fire it; false when none is waiting. */
  runNext(): boolean {
    if (this.timers.length === 0) return false;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const timer = this.timers.shift()!;
    this.current = Math.max(this.current, timer.at);
    timer.fn();
    return true;
  }

  /** Move time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      if (this.timers.length === 0 || this.timers[0].at > target) break;
      this.runNext();
    }
    this.current = target;
  }
}
