/** Marks the chaos runtime's status lines on its stdout (handlers may print there too). */
export const statusPrefix = 'chaos-status ';

/** What the chaos runtime (child.ts) reports on each status line. */
export interface ChildStatus {
  readonly now: number;
  readonly releasesPending: number;
  readonly schedulesPending: number;
  readonly running: number;
  /** Messages in the work queues (not the dead-letter queues). */
  readonly queued: number;
  readonly deadLettered: number;
  readonly busBusy: boolean;
}
