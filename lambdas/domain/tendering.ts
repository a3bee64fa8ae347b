export interface RankedCarrier {
  readonly carrierId: string;
  readonly rank: number;
  readonly rate: { amount: number; currency: string };
}

/** At most this many carriers are tendered automatically before a planner decides. */
export const defaultMaxTenders = 3;

/**
 * The carrier to tender to on attempt `attempt` (0-based), or undefined when automatic tendering is
 * exhausted and a planner must decide.
 */
export function carrierForAttempt(carriers: readonly RankedCarrier[], attempt: number, maxTenders = defaultMaxTenders): RankedCarrier | undefined {
  if (attempt >= maxTenders) return undefined;
  return [...carriers].sort((a, b) => a.rank - b.rank)[attempt];
}

/** Tender ids are deterministic so a retried tender is recognised by the carrier and by the store. */
export function tenderIdFor(orderId: string, attempt: number): string {
  return `${orderId}-T${attempt + 1}`;
}
