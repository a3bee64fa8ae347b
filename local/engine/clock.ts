/**
 * Time for the engine. Every Wait state, retry interval, task timeout, heartbeat timeout and
 * execution timeout goes through one `Clock`, so a test can skip time and a demo can run faster
 * than real time without the interpreter knowing.
 */

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Calls `callback` once `now() >= dueMs`. */
  setTimer(dueMs: number, callback: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /**
   * Marks the caller as busy with work that happens outside the clock (an integration call, a
   * store write) so a time-skipping clock does not jump ahead meanwhile. Returns the release.
   * Real-time clocks ignore it.
   */
  hold?(): () => void;
}

/** Sleeps on the clock until `dueMs`; rejects with the signal's reason when aborted. */
export function sleepUntil(clock: Clock, dueMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimer(handle);
      reject(signal!.reason);
    };
    const handle = clock.setTimer(dueMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

let nextTimerId = 1;

/**
 * A clock whose timers are real `setTimeout`s, re-armed in chunks since Node caps one delay at about
 * 24.8 days; subclasses say what time it is and how far away a due time is in real milliseconds.
 */
abstract class TimeoutClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();

  abstract now(): number;

  /** Real milliseconds until `dueMs` on this clock. */
  protected abstract realDelay(dueMs: number): number;

  setTimer(dueMs: number, callback: () => void): TimerHandle {
    const id = nextTimerId++;
    const arm = () => {
      const delay = Math.min(Math.max(0, this.realDelay(dueMs)), 2 ** 31 - 1);
      const t = setTimeout(() => {
        if (this.now() < dueMs) return arm();
        this.timers.delete(id);
        callback();
      }, Math.ceil(delay));
      this.timers.set(id, t);
    };
    arm();
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }
}

/** Wall-clock time. */
export class RealClock extends TimeoutClock {
  now(): number {
    return Date.now();
  }

  protected realDelay(dueMs: number): number {
    return dueMs - this.now();
  }
}

/**
 * Simulated time running `speed` times faster than real time from `start` (default: now). A
 * 60x clock turns a one-hour carrier SLA into one minute of a demo.
 */
export class ScaledClock extends TimeoutClock {
  private readonly realStart = Date.now();
  private readonly simStart: number;

  constructor(
    private readonly speed: number,
    start?: Date | number,
  ) {
    super();
    if (!(speed > 0)) throw new RangeError('speed must be > 0');
    this.simStart = start === undefined ? this.realStart : +start;
  }

  now(): number {
    return this.simStart + (Date.now() - this.realStart) * this.speed;
  }

  protected realDelay(dueMs: number): number {
    return (dueMs - this.now()) / this.speed;
  }
}

export interface TestClockOptions {
  /** Start time (default 2024-01-01T00:00:00Z, so recorded outputs are stable). */
  start?: Date | number;
  /** Jump to the next due timer whenever nothing holds the clock (default true). */
  autoAdvance?: boolean;
}

interface PendingTimer {
  id: number;
  due: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock that only moves when told to, or (autoAdvance) jumps straight to the next due timer as
 * soon as the engine is idle: no holds (integration calls, store writes) and no pending
 * microtasks. A 48-hour SLA wait then takes a few event-loop turns.
 */
export class TestClock implements Clock {
  private current: number;
  private timers: PendingTimer[] = [];
  private seq = 0;
  private holds = 0;
  private checkScheduled = false;
  private autoAdvance: boolean;

  constructor(options: TestClockOptions = {}) {
    this.current = options.start === undefined ? Date.parse('2024-01-01T00:00:00.000Z') : +options.start;
    this.autoAdvance = options.autoAdvance ?? true;
  }

  now(): number {
    return this.current;
  }

  setTimer(dueMs: number, callback: () => void): TimerHandle {
    const id = nextTimerId++;
    this.timers.push({ id, due: dueMs, seq: this.seq++, callback });
    this.scheduleCheck();
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.id);
  }

  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.scheduleCheck();
    };
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Stops automatic time skipping (timers then fire only through `advance`). */
  pause(): void {
    this.autoAdvance = false;
  }

  resume(): void {
    this.autoAdvance = true;
    this.scheduleCheck();
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(targetMs: number): void {
    for (;;) {
      const next = this.earliest();
      if (!next || next.due > targetMs) break;
      this.fire(next);
    }
    if (targetMs > this.current) this.current = targetMs;
  }

  private earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  }

  private fire(t: PendingTimer): void {
    this.timers = this.timers.filter((x) => x !== t);
    if (t.due > this.current) this.current = t.due;
    t.callback();
  }

  private scheduleCheck(): void {
    if (this.checkScheduled || !this.autoAdvance) return;
    this.checkScheduled = true;
    // setImmediate runs after the microtask queue drains, i.e. once the interpreter has done all
    // the work it can without time passing; a second turn lets just-resolved I/O callbacks run.
    setImmediate(() =>
      setImmediate(() => {
        this.checkScheduled = false;
        if (!this.autoAdvance || this.holds > 0) return;
        const next = this.earliest();
        if (!next) return;
        // Fire every timer due at that instant, then look again on a later turn.
        const due = next.due;
        for (;;) {
          const t = this.earliest();
          if (!t || t.due > due) break;
          this.fire(t);
        }
        if (this.timers.length) this.scheduleCheck();
      }),
    );
  }
}
