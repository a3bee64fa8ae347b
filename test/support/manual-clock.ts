import type { TimerClock } from '../../local/timer-clock';

/** A clock tests move by hand: timers fire when `advance` passes their time. */
export class ManualClock implements TimerClock {
  private timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  constructor(private current = Date.parse('2026-11-23T08:00:00Z')) {}
  now() {
    return this.current;
  }
  setTimer(atMs: number, fn: () => void) {
    const timer = { at: atMs, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
  async advance(ms: number) {
    const until = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.at);
      due.cancelled = true;
      due.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.current = until;
    this.timers = this.timers.filter((t) => !t.cancelled);
  }
}
