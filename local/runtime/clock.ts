import type { Clock } from '../engine';
import type { TimerClock } from '../timer-clock';

/** The timer shape the bus and SQS use, over the engine's clock: one clock drives everything. */
export function timerClock(clock: Clock): TimerClock {
  return {
    now: () => clock.now(),
    setTimer(atMs: number, fn: () => void) {
      const handle = clock.setTimer(atMs, fn);
      return { cancel: () => clock.clearTimer(handle) };
    },
  };
}

/** Runs work while holding a skipping clock, so it does not jump ahead while the work is in flight. */
export async function held<T>(clock: Clock, work: () => Promise<T>): Promise<T> {
  const release = (clock as { hold?: () => () => void }).hold?.();
  try {
    return await work();
  } finally {
    release?.();
  }
}
