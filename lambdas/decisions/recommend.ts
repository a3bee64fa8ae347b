import { fulfilmentCandidates, type SiteAvailability } from '../domain/allocation';
import type { DelayRiskScorer, LaneStats, RiskContext, RiskScore } from './types';

/**
 * Ranks alternates when a tender is rejected (or times out) or stock is short: carriers by
 * acceptance rate, on-time history and cost on the lane; sites by distance and load. Every option
 * carries its reasons (in words, with the numbers) and the delay risk of the order if it goes that
 * way. Pure: the caller passes the lane counters, the sites' availability and the scorer.
 */

export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export interface CarrierCandidate {
  readonly carrierId: string;
  /** Rank in the TMS routing guide (1 = first choice). */
  readonly rank: number;
  readonly rate: Money;
  /** The carrier's record on the lane (absent: never tendered there). */
  readonly stats?: LaneStats;
}

export interface RankedOption {
  /** The carrier or site this option goes to. */
  readonly choice: string;
  /** 1 = recommended. */
  readonly position: number;
  /** Composite score in [0, 1] the ranking sorts by (higher is better). */
  readonly score: number;
  readonly risk: RiskScore;
  readonly reasons: readonly string[];
}

export interface RankedCarrier extends RankedOption {
  readonly rank: number;
  readonly rate: Money;
  readonly acceptanceRate: number;
  readonly onTimeRate: number;
  /** Cost increase over the routing guide's next carrier (the reference), in percent. */
  readonly costIncreasePct: number;
}

export interface RankedSite extends RankedOption {
  readonly distanceKm: number;
  /** Extra km over the assigned site (0 when the assigned site's distance is unknown). */
  readonly extraDistanceKm: number;
  readonly queueLength: number;
}

/** Weights of the carrier score: how much a planner cares about each, summing to 1. */
export const carrierWeights = { acceptance: 0.4, onTime: 0.3, cost: 0.3 } as const;

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Laplace-smoothed rate: a carrier never seen on the lane starts at 50%, not 0 or 100. */
function smoothed(hits: number, trials: number): number {
  return (hits + 1) / (trials + 2);
}

function riskReason(risk: RiskScore): string {
  const top = risk.factors.slice(0, 2).map((f) => `${f.feature} ${f.contribution >= 0 ? '+' : ''}${f.contribution.toFixed(2)}`);
  return `delay risk ${(risk.probability * 100).toFixed(1)}% (model ${risk.modelVersion}${top.length ? `; ${top.join(', ')}` : ''})`;
}

export type BaseRiskContext = Omit<RiskContext, 'carrierId' | 'carrierLane'>;

/**
 * Ranks the carriers not yet tendered. The reference for the cost increase (and, in the policy, for
 * the risk) is the routing guide's next carrier: the one automatic tendering would have picked.
 */
export function rankCarriers(input: { candidates: readonly CarrierCandidate[]; context: BaseRiskContext; scorer: DelayRiskScorer }): RankedCarrier[] {
  const { candidates, context, scorer } = input;
  if (candidates.length === 0) return [];
  const reference = [...candidates].sort((a, b) => a.rank - b.rank)[0]!;
  const cheapest = Math.min(...candidates.map((c) => c.rate.amount));
  const lane = context.lane ?? 'the lane';
  const scored = candidates.map((c) => {
    const s = c.stats ?? { tenders: 0, accepted: 0, shipments: 0, late: 0 };
    const acceptanceRate = smoothed(s.accepted, s.tenders);
    const onTimeRate = smoothed(s.shipments - s.late, s.shipments);
    const costScore = c.rate.amount > 0 ? cheapest / c.rate.amount : 1;
    const costIncreasePct = reference.rate.amount > 0 ? ((c.rate.amount - reference.rate.amount) / reference.rate.amount) * 100 : 0;
    const risk = scorer.score({ ...context, carrierId: c.carrierId, carrierLane: c.stats });
    const score = carrierWeights.acceptance * acceptanceRate + carrierWeights.onTime * onTimeRate + carrierWeights.cost * costScore;
    const reasons = [
      s.tenders ? `accepted ${s.accepted} of ${s.tenders} tenders on ${lane} (${pct(s.accepted / s.tenders)})` : `no tenders on ${lane} yet (counted as 50%)`,
      s.shipments ? `on time ${s.shipments - s.late} of ${s.shipments} deliveries on ${lane} (${pct((s.shipments - s.late) / s.shipments)})` : `no deliveries on ${lane} yet (counted as 50%)`,
      c.carrierId === reference.carrierId
        ? `rate ${c.rate.amount.toFixed(2)} ${c.rate.currency}, the routing guide's next carrier (rank ${c.rank})`
        : `rate ${c.rate.amount.toFixed(2)} ${c.rate.currency}, ${costIncreasePct >= 0 ? '+' : ''}${costIncreasePct.toFixed(1)}% vs ${reference.carrierId} (routing guide's next, rank ${reference.rank})`,
      riskReason(risk),
    ];
    return { choice: c.carrierId, rank: c.rank, rate: c.rate, acceptanceRate, onTimeRate, costIncreasePct: round2(costIncreasePct), risk, score: round2(score), reasons };
  });
  scored.sort((a, b) => b.score - a.score || a.risk.probability - b.risk.probability || a.rank - b.rank || a.choice.localeCompare(b.choice));
  return scored.map((o, i) => ({ ...o, position: i + 1 }));
}

/**
 * Ranks the other sites that can ship the order in full (a partial site is a planner's call):
 * closest first, the shorter queue breaking near-ties (within 10%), as the reallocation rule does.
 */
export function rankSites(input: { assignedSiteId: string; sites: readonly SiteAvailability[]; context: BaseRiskContext; destinationCountry: string; scorer: DelayRiskScorer }): RankedSite[] {
  const { assignedSiteId, sites, context, destinationCountry, scorer } = input;
  const assigned = sites.find((s) => s.siteId === assignedSiteId);
  const candidates = fulfilmentCandidates(assignedSiteId, sites);
  if (candidates.length === 0) return [];
  const nearest = candidates[0]!.distanceKm;
  const shortestQueue = Math.min(...candidates.map((s) => s.queueLength));
  return candidates.map((s, i) => {
    const extraDistanceKm = assigned ? Math.max(0, s.distanceKm - assigned.distanceKm) : 0;
    const risk = scorer.score({ ...context, siteId: s.siteId, siteQueueLength: s.queueLength, stockAvailable: true, lane: `${s.siteId}>${destinationCountry}` });
    const score = 0.6 * (s.distanceKm > 0 ? nearest / s.distanceKm : 1) + 0.4 * ((shortestQueue + 1) / (s.queueLength + 1));
    return {
      choice: s.siteId,
      position: i + 1,
      score: round2(score),
      risk,
      distanceKm: s.distanceKm,
      extraDistanceKm,
      queueLength: s.queueLength,
      reasons: [
        `can ship the whole order from ${s.siteId} (stock short at ${assignedSiteId})`,
        assigned ? `${s.distanceKm} km to ${destinationCountry}, +${extraDistanceKm} km vs ${assignedSiteId}` : `${s.distanceKm} km to ${destinationCountry}`,
        `${s.queueLength} orders queued at ${s.siteId}`,
        riskReason(risk),
      ],
    };
  });
}
