import { recommendationAudit, recommendationStats } from '../../../lambdas/decisions/audit';
import { recommendationLine } from '../../../lambdas/insights/format';
import type { LogEntry } from '../../../lambdas/ports';

const system = { type: 'system' as const, id: 'order-to-ship' };
const planner = { type: 'person' as const, id: 'planner-7', role: 'transport-planning' };

/** One order's log: a recommendation, maybe an approval round, and the delivery (or not). */
function log(orderId: string, opts: { action: string; answer?: Record<string, unknown>; deliveredAt?: string; ended?: string }): LogEntry[] {
  const entry = (type: LogEntry['type'], at: string, details: Record<string, unknown>, extra: Partial<LogEntry> = {}): LogEntry => ({ eventId: `${orderId}-${type}-${at}`, orderId, type, at, actor: system, sourceSystem: 'orchestrator', details, ...extra });
  const out: LogEntry[] = [
    entry('DECISION', '2026-11-23T10:00:00Z', {
      decision: 'RECOMMENDATION', recommendationId: `R-${orderId}`, kind: 'CARRIER', action: opts.action, choice: 'C2', riskScore: 0.3, modelVersion: 'm1', policyVersion: 'p1',
      inputs: { promisedDeliveryDate: '2026-11-26T10:00:00Z' },
    }),
  ];
  if (opts.action === 'SENT_FOR_APPROVAL') {
    out.push(entry('EXCEPTION_RAISED', '2026-11-23T10:00:00Z', { exceptionId: `E-${orderId}`, recommendationId: `R-${orderId}` }));
    if (opts.answer) out.push(entry('APPROVAL_DECIDED', '2026-11-23T11:00:00Z', { approvalId: `E-${orderId}`, ...opts.answer }, { actor: planner, sourceSystem: 'ops' }));
  }
  if (opts.deliveredAt) out.push(entry('STAGE_CHANGED', opts.deliveredAt, {}, { stage: 'DELIVERED' }));
  if (opts.ended) out.push(entry('STAGE_CHANGED', opts.ended, {}, { stage: 'ON_HOLD' }));
  return out;
}

describe('the audit trail of recommendations', () => {
  const audits = [
    ...recommendationAudit(log('A', { action: 'AUTO_APPLIED', deliveredAt: '2026-11-25T10:00:00Z' })),
    ...recommendationAudit(log('B', { action: 'SENT_FOR_APPROVAL', answer: { decision: 'APPROVE_ALTERNATE_CARRIER', carrierId: 'C2' }, deliveredAt: '2026-11-27T10:00:00Z' })),
    ...recommendationAudit(log('C', { action: 'SENT_FOR_APPROVAL', answer: { decision: 'EXPEDITE' }, deliveredAt: '2026-11-25T10:00:00Z' })),
    ...recommendationAudit(log('D', { action: 'SENT_FOR_APPROVAL', ended: '2026-11-23T14:00:00Z' })),
  ];

  it('says who acted on each recommendation and how the order turned out', () => {
    expect(audits.map((a) => [a.orderId, a.verdict, a.outcome])).toEqual([
      ['A', 'AUTO_APPLIED', 'ON_TIME'],
      ['B', 'APPROVED', 'LATE'],
      ['C', 'OVERRIDDEN', 'ON_TIME'],
      ['D', 'UNANSWERED', 'NOT_DELIVERED'],
    ]);
    expect(audits[1]).toMatchObject({ decidedBy: planner, answer: { decision: 'APPROVE_ALTERNATE_CARRIER', choice: 'C2' }, modelVersion: 'm1', policyVersion: 'p1', riskScore: 0.3 });
    expect(audits[2]!.answer).toEqual({ decision: 'EXPEDITE', choice: undefined });
  });

  it('counts recommendations taken and overridden and their on-time rates for the report', () => {
    const stats = recommendationStats(audits);
    expect(stats).toEqual({
      total: 4,
      byVerdict: { AUTO_APPLIED: 1, APPROVED: 1, OVERRIDDEN: 1, UNANSWERED: 1, NO_ALTERNATE: 0 },
      byKind: { CARRIER: { autoApplied: 1, sentForApproval: 3 }, SITE: { autoApplied: 0, sentForApproval: 0 } },
      onTime: { taken: { delivered: 2, onTime: 1 }, notTaken: { delivered: 1, onTime: 1 } },
    });
    expect(recommendationLine(stats)).toBe(
      'Recommendations 4: 1 auto-applied, 3 sent for approval (1 approved, 1 overridden, 1 unanswered), 0 with no alternate; delivered on time: 50% of 2 taken, 100% of 1 overridden',
    );
  });
});
