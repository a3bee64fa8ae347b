/**
 * The timer shape the local services (bus, SQS, scheduler) take: business time, and timers at an
 * absolute time (epoch milliseconds), because a clock that skips ahead has no use for delays. The
 * runtime adapts the engine's clock to it, so one clock drives everything.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface TimerClock {
  now(): number;
  setTimer(atMs: number, fn: () => void): TimerHandle;
}

/** Wall-clock time; timers never keep the process alive on their own. */
export const realTimerClock: TimerClock = {
  now: () => Date.now(),
  setTimer(atMs, fn) {
    const handle = setTimeout(fn, Math.max(0, atMs - Date.now()));
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};
