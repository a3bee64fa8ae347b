import type { LogEntry } from '../../lambdas/ports';

/**
 * Small logs whose metrics were worked out by hand (see metrics.test.ts for the arithmetic).
 * Times are hours after T0 = 2026-01-01T00:00:00Z.
 */
export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const h = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();

const system = { type: 'system', id: 'order-to-ship', role: 'orchestrator' } as const;

export class LogBuilder {
  readonly entries: LogEntry[] = [];
  private stage: string | null = null;
  private n = 0;
  constructor(readonly orderId: string) {}

  private push(type: LogEntry['type'], at: number, fields: Partial<LogEntry> = {}): this {
    this.entries.push({ eventId: `${this.orderId}-${++this.n}`, orderId: this.orderId, type, at: h(at), actor: system as never, sourceSystem: 'orchestrator', ...fields } as LogEntry);
    return this;
  }
  stageTo(at: number, stage: string, details: Record<string, unknown> = {}): this {
    const from = this.stage;
    this.stage = stage;
    return this.push('STAGE_CHANGED', at, { stage: stage as never, fromStage: from as never, details });
  }
  wait(at: number, kind: string, key: string, dueAt: number): this {
    return this.push('WAIT_STARTED', at, { details: { kind, key, dueAt: h(dueAt) } });
  }
  waitEnded(at: number, key: string): this {
    return this.push('WAIT_ENDED', at, { details: { kind: 'TENDER', key, outcome: 'TIMED_OUT' } });
  }
  partner(at: number, eventType: string, data: Record<string, unknown> = {}, sourceSystem = 'carrier'): this {
    return this.push('PARTNER_EVENT', at, { sourceSystem, actor: { type: 'system', id: sourceSystem } as never, details: { eventType, ...data } });
  }
  decision(at: number, decision: string, extra: Record<string, unknown> = {}): this {
    return this.push('DECISION', at, { details: { decision, ...extra } });
  }
  exception(at: number, exceptionId: string, category: string, sourceSystem: string, ownerTeam: string, dueAt: number): this {
    return this.push('EXCEPTION_RAISED', at, { sourceSystem, details: { exceptionId, category, ownerTeam, severity: 'HIGH', dueAt: h(dueAt) } });
  }
  approvalRequested(at: number, approvalId: string, ownerTeam: string, dueAt: number): this {
    return this.push('APPROVAL_REQUESTED', at, { details: { approvalId, ownerTeam, dueAt: h(dueAt) } });
  }
  approvalDecided(at: number, approvalId: string, role: string): this {
    return this.push('APPROVAL_DECIDED', at, { sourceSystem: 'ops', actor: { type: 'person', id: 'p-1', role } as never, details: { approvalId, decision: 'APPROVE_ALTERNATE_CARRIER' } });
  }
  slaBreached(at: number, sla: string, stage?: string, extra: Record<string, unknown> = {}): this {
    return this.push('SLA_BREACHED', at, { ...(stage ? { stage: stage as never } : {}), details: { sla, ...extra } });
  }
  milestone(at: number, statusCode: string): this {
    return this.push('MILESTONE', at, { sourceSystem: 'carrier', details: { eventType: 'ShipmentMilestone', statusCode } });
  }
}

/** A: the happy path. */
export function orderA(id = 'A', deliveredAt = 30): LogEntry[] {
  const b = new LogBuilder(id);
  b.stageTo(0, 'RELEASED').stageTo(1, 'VALIDATED').stageTo(2, 'ALLOCATED').stageTo(3, 'WAVE_RELEASED').stageTo(4, 'LOAD_PLANNED', { loadId: `L-${id}` });
  b.stageTo(5, 'TENDERED', { tenderId: `${id}-1` }).wait(5, 'TENDER', `TENDER#${id}-1`, 9);
  b.partner(6, 'TenderAccepted', { tenderId: `${id}-1`, carrierId: 'C1' }).stageTo(6, 'CARRIER_CONFIRMED');
  b.wait(7, 'SHIP_CONFIRMATION', `SHIP#${id}`, 20);
  b.partner(10, 'ShipConfirmed', { shipmentId: `S-${id}`, shippedAt: h(10) }, 'wms').stageTo(10, 'SHIPPED');
  b.wait(11, 'DELIVERY', `DELIVERY#${id}`, 40);
  b.milestone(12, 'AF').stageTo(12, 'IN_TRANSIT');
  b.partner(deliveredAt, 'ProofOfDelivery', { deliveredAt: h(deliveredAt) }).stageTo(deliveredAt, 'DELIVERED');
  b.stageTo(deliveredAt + 2, 'INVOICED', { invoiceId: `INV-${id}` }).stageTo(deliveredAt + 3, 'COMPLETED');
  return b.entries;
}

/** B: reallocated, a tender timed out, the next was rejected, a planner booked a carrier, shipped late, delayed in transit. */
export function orderB(): LogEntry[] {
  const b = new LogBuilder('B');
  b.stageTo(0, 'RELEASED').stageTo(1, 'VALIDATED').decision(2, 'REALLOCATED', { fromSiteId: 'DC-1', toSiteId: 'DC-2' }).stageTo(2, 'REALLOCATED');
  b.stageTo(3, 'WAVE_RELEASED').stageTo(4, 'LOAD_PLANNED', { loadId: 'L-B' });
  b.stageTo(5, 'TENDERED', { tenderId: 'B-1' }).wait(5, 'TENDER', 'TENDER#B-1', 9);
  b.waitEnded(9, 'TENDER#B-1').slaBreached(9, 'tender-response');
  b.stageTo(9, 'TENDERED', { tenderId: 'B-2' }).decision(9, 'RE_TENDER', { tenderId: 'B-2' }).wait(9, 'TENDER', 'TENDER#B-2', 13);
  b.partner(11, 'TenderRejected', { tenderId: 'B-2', carrierId: 'C2' });
  b.exception(12, 'X-B', 'CARRIER_CAPACITY', 'carrier', 'transport-planning', 16).approvalRequested(12, 'X-B', 'transport-planning', 16).stageTo(12, 'AWAITING_PLANNER');
  b.wait(13, 'DECISION', 'DECISION#X-B', 16);
  b.approvalDecided(15, 'X-B', 'transport-planner');
  b.decision(16, 'BOOK_PLANNER_CARRIER').stageTo(16, 'CARRIER_CONFIRMED');
  b.wait(17, 'SHIP_CONFIRMATION', 'SHIP#B', 20);
  b.partner(22, 'ShipConfirmed', { shipmentId: 'S-B', shippedAt: h(22) }, 'wms').stageTo(22, 'SHIPPED');
  b.wait(23, 'DELIVERY', 'DELIVERY#B', 40);
  b.milestone(30, 'SD');
  b.decision(31, 'PROMISE_RECOMPUTED').wait(31, 'DELIVERY', 'DELIVERY#B', 60);
  b.partner(50, 'ProofOfDelivery', { deliveredAt: h(50) }).stageTo(50, 'DELIVERED');
  b.stageTo(53, 'INVOICED', { invoiceId: 'INV-B' }).stageTo(54, 'COMPLETED');
  return b.entries;
}

/** C: short everywhere, backordered, nobody decided: on hold with its exception still open. */
export function orderC(): LogEntry[] {
  const b = new LogBuilder('C');
  b.stageTo(0, 'RELEASED').stageTo(1, 'VALIDATED').decision(2, 'STOCK_SHORT_AT_ASSIGNED_SITE').stageTo(3, 'BACKORDERED');
  b.exception(3, 'X-C', 'STOCK_SHORT', 'wms', 'procurement', 7).wait(4, 'DECISION', 'DECISION#X-C', 7);
  b.stageTo(7, 'ON_HOLD').slaBreached(7, 'STOCK_SHORT-decision', 'BACKORDERED', { exceptionId: 'X-C' });
  return b.entries;
}

/** D: a system failure exception, then the ERP cancelled the order (no resolution recorded). */
export function orderD(): LogEntry[] {
  const b = new LogBuilder('D');
  b.stageTo(0, 'RELEASED').stageTo(1, 'VALIDATED').stageTo(2, 'ALLOCATED').exception(2, 'X-D', 'SYSTEM_FAILURE', 'orchestrator', 'integration-support', 6);
  b.stageTo(3, 'WAVE_RELEASED').decision(4, 'CANCELLED').stageTo(4, 'CANCELLED');
  return b.entries;
}

/** E: the happy path, delivered at 42 h (after the 40 h deadline). */
export const orderE = () => orderA('E', 42);

export const handLogs = () => new Map<string, LogEntry[]>([['A', orderA()], ['B', orderB()], ['C', orderC()], ['D', orderD()], ['E', orderE()]]);
