/** The clock the local services share with the engine: business time, and timers on it. */
export interface TimerClock {
  now(): number;
  setTimer(atMs: number, fn: () => void): { cancel(): void };
}

export const realTimerClock: TimerClock = {
  now: () => Date.now(),
  setTimer(atMs, fn) {
    const t = setTimeout(fn, Math.max(0, atMs - Date.now()));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};
