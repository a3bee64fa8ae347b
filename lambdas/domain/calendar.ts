/**
 * The shipping calendar: when a site's pickups for the day close and when the thin end-of-week
 * shifts run. Shared by the simulated partners (lambdas/adapters/simulators/lateness.ts) and the
 * delay-risk model's features (lambdas/decisions/risk/features.ts), so both see the same world.
 */

/** Hour (UTC) after which a site's pickups for the day are booked: a later booking waits. */
export const siteCutoffHourUtc = 15;

/** Friday, Saturday or Sunday (UTC): thin weekend shifts at sites and hubs. */
export function isEndOfWeek(at: string): boolean {
  const day = new Date(at).getUTCDay();
  return day === 5 || day === 6 || day === 0;
}

/** Booked at or after the site's cut-off hour (UTC). */
export function isPastCutoff(at: string): boolean {
  return new Date(at).getUTCHours() >= siteCutoffHourUtc;
}
