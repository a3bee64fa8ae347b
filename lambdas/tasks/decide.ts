import { z } from 'zod';
import { auditAction } from '../decisions/audit';
import { defaultDecisionPolicy, type DecisionPolicy } from '../decisions/policy';
import { rankCarriers, rankSites, type BaseRiskContext } from '../decisions/recommend';
import { describeRecommendation, recommendCarrier, recommendSite, type Recommendation } from '../decisions/recommendation';
import { defaultDecisionScorer } from '../decisions/scorer';
import type { DelayRiskScorer } from '../decisions/types';
import type { OrderState } from '../domain/order';
import { carrierCircuitOpen, ensureNotCancelled, factId, loadOrder, parseInput, record, taskInput, type TaskInput } from './common';
import type { TaskDeps } from './deps';

const input = z.discriminatedUnion('mode', [
  /** After a rejected or unanswered tender: which carrier next, and may the workflow tender it alone? */
  taskInput.extend({ mode: z.literal('CARRIER'), maxTenders: z.number().int().min(1) }),
  /** Stock short at the assigned site: which other site, and may the workflow reallocate alone? */
  taskInput.extend({ mode: z.literal('SITE') }),
]);

export interface DecideOptions {
  /** @default the delay-risk model (lambdas/decisions/scorer.ts) */
  readonly scorer?: DelayRiskScorer;
  /** @default policies/decision-policy.json */
  readonly policy?: DecisionPolicy;
}

function riskContext(state: OrderState, at: string, siteQueueLength: number): BaseRiskContext {
  const { summary } = state;
  return {
    at,
    customerPriority: summary.customerPriority,
    requestedShipDate: summary.requestedShipDate,
    promisedDeliveryDate: summary.promisedDeliveryDate,
    siteId: summary.siteId,
    siteQueueLength,
    stockAvailable: true,
    lane: state.lane,
  };
}

/**
 * The decision step: ranks the alternates (recommendation), lets the policy say who acts (AUTO: the
 * workflow applies it; APPROVAL: the policy's approver decides through the exception/approval
 * machinery), and records both, with the inputs and the model and policy versions, in the event log.
 */
export function makeDecide(deps: TaskDeps, options: DecideOptions = {}) {
  const policy = options.policy ?? defaultDecisionPolicy();
  let scorer = options.scorer;

  async function audit(req: TaskInput, state: OrderState, rec: Recommendation, inputs: Record<string, unknown>) {
    await record(deps, req, 'DECISION', {
      stage: state.stage,
      siteId: rec.kind === 'SITE' && rec.choice ? rec.choice : state.summary.siteId,
      carrierId: rec.kind === 'CARRIER' && rec.choice ? rec.choice : state.carrierId,
      lane: state.lane,
      details: {
        decision: 'RECOMMENDATION',
        recommendationId: rec.recommendationId,
        kind: rec.kind,
        action: auditAction[rec.action],
        choice: rec.choice,
        approver: rec.action === 'APPROVAL' ? rec.approver : null,
        riskScore: rec.riskScore,
        modelVersion: rec.modelVersion,
        policyVersion: rec.policyVersion,
        reasons: rec.reasons,
        checks: rec.checks,
        alternatives: rec.alternatives,
        inputs: {
          customerPriority: state.summary.customerPriority,
          requestedShipDate: state.summary.requestedShipDate,
          promisedDeliveryDate: state.summary.promisedDeliveryDate,
          ...inputs,
        },
      },
    });
    deps.telemetry.count('Recommendation', 1, { kind: rec.kind, action: auditAction[rec.action] });
  }

  return async function decide(raw: unknown) {
    const req = parseInput(input, raw);
    const state = await loadOrder(deps, req.orderId);
    ensureNotCancelled(state);
    scorer ??= defaultDecisionScorer();
    const { summary } = state;
    const recommendationId = `R-${factId(req.orderId, req.step, req.at, 'RECOMMENDATION')}`;
    const sites = await deps.systems.wms.availability({ orderId: req.orderId, lines: await deps.store.getLines(req.orderId), destinationCountry: summary.destinationCountry, at: req.at });
    let rec: Recommendation;
    if (req.mode === 'CARRIER') {
      // Tried: tendered, or skipped by the tender step because the carrier's circuit breaker was open.
      const history = await deps.store.history(req.orderId);
      const tried = new Set(
        history
          .filter((e) => e.carrierId && ((e.type === 'STAGE_CHANGED' && e.stage === 'TENDERED') || (e.type === 'DECISION' && e.details?.decision === 'SKIP_CARRIER_CIRCUIT_OPEN')))
          .map((e) => e.carrierId!),
      );
      if (state.carrierId) tried.add(state.carrierId);
      // A carrier that is down (breaker open) is not recommended: the tender step would only skip it.
      const untried = (state.carriers ?? []).filter((c) => !tried.has(c.carrierId));
      const open = await Promise.all(untried.map((c) => carrierCircuitOpen(deps.store, c.carrierId, req.at)));
      const down = untried.filter((_, i) => open[i]).map((c) => c.carrierId);
      const stats = state.lane ? await deps.store.laneStats(state.lane) : {};
      const candidates = (state.carriers ?? []).filter((c) => !tried.has(c.carrierId) && !down.includes(c.carrierId)).map((c) => ({ ...c, stats: stats[c.carrierId] }));
      const queue = sites.find((s) => s.siteId === summary.siteId)?.queueLength ?? 0;
      const ranked = rankCarriers({ candidates, context: riskContext(state, req.at, queue), scorer });
      rec = recommendCarrier({ recommendationId, ranked, policy, modelVersion: scorer.version, exhausted: tried.size >= req.maxTenders ? { tendered: tried.size, maxTenders: req.maxTenders } : undefined });
      await audit(req, state, rec, { lane: state.lane, tried: [...tried], down, candidates: candidates.map((c) => ({ carrierId: c.carrierId, rank: c.rank, rate: c.rate, stats: c.stats ?? null })) });
    } else {
      const ranked = rankSites({ assignedSiteId: summary.siteId, sites, context: { ...riskContext(state, req.at, 0), lane: undefined }, destinationCountry: summary.destinationCountry, scorer });
      rec = recommendSite({ recommendationId, ranked, policy, modelVersion: scorer.version });
      await audit(req, state, rec, { assignedSiteId: summary.siteId, sites });
    }
    return { ...rec, message: describeRecommendation(rec) };
  };
}
