import type { CustomerPriority } from '../domain/order';

/**
 * The contract between the delay-risk model (lambdas/decisions/risk, trained offline on the event
 * log) and the decision step that uses it at run time (lambdas/decisions, lambdas/tasks/decide.ts).
 * Pure data: no AWS types.
 */

/** A carrier's record on one lane, from the event log (or the store's running counters). */
export interface LaneStats {
  readonly tenders: number;
  readonly accepted: number;
  /** Shipments that reached a delivery outcome. */
  readonly shipments: number;
  /** Of those, delivered after the promised date (or with a delay milestone). */
  readonly late: number;
  /** Whether the carrier's last shipment on the lane was late (the baseline rule's input). */
  readonly lastLate?: boolean;
}

/** What the workflow knows about an order when it scores the risk of missing its commitments. */
export interface RiskContext {
  /** Business time of the decision (ISO 8601). */
  readonly at: string;
  readonly customerPriority: CustomerPriority;
  /** The ship commitment (ISO 8601). */
  readonly requestedShipDate: string;
  /** The delivery commitment (ISO 8601). */
  readonly promisedDeliveryDate: string;
  readonly siteId: string;
  /** Orders queued at the site at `at`, as the WMS reports it (recorded on ALLOCATED/REALLOCATED for training). */
  readonly siteQueueLength: number;
  /** Whether the site could ship the order in full (false when stock was short). */
  readonly stockAvailable: boolean;
  readonly carrierId?: string;
  /** `<siteId>><destination country>`. */
  readonly lane?: string;
  /** The carrier's history on the lane (absent for a carrier never used there). */
  readonly carrierLane?: LaneStats;
}

export interface RiskFactor {
  readonly feature: string;
  /** Signed contribution to the score's log-odds (for a reader: what pushed the risk up or down). */
  readonly contribution: number;
}

export interface RiskScore {
  /** Calibrated probability of missing the ship or delivery commitment. */
  readonly probability: number;
  readonly modelVersion: string;
  /** The largest contributions first. */
  readonly factors: readonly RiskFactor[];
}

export interface DelayRiskScorer {
  readonly version: string;
  score(context: RiskContext): RiskScore;
}
