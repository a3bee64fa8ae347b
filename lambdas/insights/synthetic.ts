import type { LogEntry } from '../ports';
import type { OrderLog } from './log-source';

/**
 * Generated order logs shaped like the workflow's (the same entry types, details and wait keys),
 * for benchmarks: seeded, produced one order at a time so that nothing accumulates.
 */

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const orchestrator = { type: 'system', id: 'order-to-ship', role: 'orchestrator' } as const;
const H = 3_600_000;
const carriers = ['DHLF', 'DBSK', 'GEOD', 'RHNS'];
const sites = ['DC-HAM', 'DC-LYS', 'DC-WAW'];

export function* syntheticOrders(options: { events: number; seed?: number; start?: number }): Generator<OrderLog> {
  const random = rng(options.seed ?? 7);
  const between = (a: number, b: number) => a + (b - a) * random();
  let produced = 0;
  let n = 0;
  let clock = options.start ?? Date.parse('2026-11-23T06:00:00Z');
  while (produced < options.events) {
    const orderId = `SYN-${++n}`;
    const entries: LogEntry[] = [];
    let t = (clock += between(0.5, 3) * 60_000);
    let stage: string | null = null;
    let seq = 0;
    const site = sites[n % sites.length]!;
    const lane = `${site}>DE`;
    let carrierId: string | undefined;
    const push = (type: LogEntry['type'], fields: Partial<LogEntry> = {}) =>
      entries.push({ eventId: `${orderId}-${++seq}`, orderId, type, at: new Date(t).toISOString(), actor: orchestrator as never, sourceSystem: 'orchestrator', siteId: site, lane, carrierId, ...fields } as LogEntry);
    const to = (s: string, details: Record<string, unknown> = {}) => {
      push('STAGE_CHANGED', { stage: s as never, fromStage: stage as never, details });
      stage = s;
    };
    const advance = (hours: number) => (t += hours * H);
    const exception = (exceptionId: string, category: string, ownerTeam: string, sourceSystem: string, slaHours: number) =>
      push('EXCEPTION_RAISED', { sourceSystem, stage: stage as never, details: { exceptionId, category, ownerTeam, severity: 'HIGH', dueAt: new Date(t + slaHours * H).toISOString() } });

    to('RELEASED');
    advance(0.01);
    if (random() < 0.01) {
      push('DECISION', { details: { decision: 'DATA_QUALITY_FAILED' } });
      exception(`${orderId}-DQ`, 'DATA_QUALITY', 'customer-service', 'erp', 4);
      advance(between(0.2, 3));
      push('EXCEPTION_RESOLVED', { sourceSystem: 'ops', actor: { type: 'person', id: 'cs-1', role: 'customer-service' } as never, details: { exceptionId: `${orderId}-DQ`, resolution: 'CANCEL' } });
      push('DECISION', { details: { decision: 'CANCELLED' } });
      to('CANCELLED');
    } else {
      to('VALIDATED');
      advance(0.01);
      const short = random();
      if (short < 0.03) {
        push('DECISION', { sourceSystem: 'wms', details: { decision: 'STOCK_SHORT_AT_ASSIGNED_SITE' } });
        to('BACKORDERED');
        exception(`${orderId}-SS`, 'STOCK_SHORT', 'procurement', 'wms', 24);
        advance(0.01);
        push('WAIT_STARTED', { details: { kind: 'DECISION', key: `DECISION#${orderId}-SS`, dueAt: new Date(t + 24 * H).toISOString() } });
        advance(24);
        push('SLA_BREACHED', { stage: 'BACKORDERED' as never, details: { sla: 'STOCK_SHORT-decision', exceptionId: `${orderId}-SS` } });
        to('ON_HOLD');
      } else {
        if (short < 0.12) {
          push('DECISION', { sourceSystem: 'wms', details: { decision: 'REALLOCATED', fromSiteId: site, toSiteId: sites[(n + 1) % 3] } });
          to('REALLOCATED');
        } else to('ALLOCATED');
        advance(between(0.05, 0.5));
        to('WAVE_RELEASED', { waveId: `W-${n}` });
        advance(between(0.1, 1));
        to('LOAD_PLANNED', { loadId: `L-${n}`, carriers });
        let booked = false;
        for (let attempt = 0; attempt < 3 && !booked; attempt++) {
          advance(0.01);
          const tenderId = `${orderId}-T${attempt}`;
          carrierId = carriers[attempt];
          to('TENDERED', { tenderId, attempt: attempt + 1 });
          if (attempt > 0) push('DECISION', { details: { decision: 'RE_TENDER', tenderId, attempt: attempt + 1 } });
          push('WAIT_STARTED', { details: { kind: 'TENDER', key: `TENDER#${tenderId}`, dueAt: new Date(t + 4 * H).toISOString() } });
          const answer = random();
          if (answer < 0.05) {
            advance(4);
            push('WAIT_ENDED', { details: { kind: 'TENDER', key: `TENDER#${tenderId}`, outcome: 'TIMED_OUT' } });
            push('SLA_BREACHED', { details: { sla: 'tender-response', tenderId } });
          } else {
            advance(between(0.1, 2.5));
            const accepted = answer < 0.8;
            push('PARTNER_EVENT', { sourceSystem: 'carrier', actor: { type: 'system', id: 'carrier' } as never, details: { eventType: accepted ? 'TenderAccepted' : 'TenderRejected', tenderId, loadId: `L-${n}`, carrierId } });
            if (accepted) {
              to('CARRIER_CONFIRMED');
              booked = true;
            }
          }
        }
        if (!booked) {
          const id = `${orderId}-CC`;
          advance(0.01);
          exception(id, 'CARRIER_CAPACITY', 'transport-planning', 'carrier', 4);
          push('APPROVAL_REQUESTED', { details: { approvalId: id, ownerTeam: 'transport-planning', dueAt: new Date(t + 4 * H).toISOString() } });
          to('AWAITING_PLANNER', { exceptionId: id });
          push('WAIT_STARTED', { details: { kind: 'DECISION', key: `DECISION#${id}`, dueAt: new Date(t + 4 * H).toISOString() } });
          advance(between(0.2, 5));
          push('APPROVAL_DECIDED', { sourceSystem: 'ops', actor: { type: 'person', id: 'planner-1', role: 'transport-planner' } as never, details: { approvalId: id, decision: 'APPROVE_ALTERNATE_CARRIER', carrierId: 'RHNS' } });
          carrierId = 'RHNS';
          push('DECISION', { details: { decision: 'BOOK_PLANNER_CARRIER', tenderId: `${orderId}-P` } });
          to('CARRIER_CONFIRMED', { bookedBy: 'planner' });
        }
        advance(0.01);
        const shipBy = t + between(6, 30) * H;
        push('WAIT_STARTED', { details: { kind: 'SHIP_CONFIRMATION', key: `SHIP#${orderId}`, dueAt: new Date(shipBy).toISOString() } });
        push('PARTNER_EVENT', { sourceSystem: 'wms', actor: { type: 'system', id: 'wms' } as never, details: { eventType: 'ShipmentPacked', shipmentId: `S-${n}` } });
        advance(random() < 0.05 ? (shipBy - t) / H + between(1, 8) : between(2, (shipBy - t) / H));
        push('PARTNER_EVENT', { sourceSystem: 'wms', actor: { type: 'system', id: 'wms' } as never, details: { eventType: 'ShipConfirmed', shipmentId: `S-${n}`, carrierId, trackingNumber: `TRK${n}`, shippedAt: new Date(t).toISOString() } });
        to('SHIPPED');
        advance(0.01);
        push('SIDE_EFFECT', { details: { kind: 'notification', topic: 'SHIPPED' } });
        const deliverBy = t + between(24, 60) * H;
        push('WAIT_STARTED', { details: { kind: 'DELIVERY', key: `DELIVERY#${orderId}`, dueAt: new Date(deliverBy).toISOString() } });
        advance(between(1, 4));
        push('MILESTONE', { sourceSystem: 'carrier', details: { eventType: 'ShipmentMilestone', statusCode: 'AF' } });
        to('IN_TRANSIT');
        if (random() < 0.1) {
          advance(between(4, 20));
          push('MILESTONE', { sourceSystem: 'carrier', details: { eventType: 'ShipmentMilestone', statusCode: 'SD' } });
          advance(0.01);
          push('DECISION', { sourceSystem: 'carrier', details: { decision: 'PROMISE_RECOMPUTED', statusCode: 'SD' } });
          push('WAIT_STARTED', { details: { kind: 'DELIVERY', key: `DELIVERY#${orderId}`, dueAt: new Date(deliverBy + 24 * H).toISOString() } });
          advance(between(10, 30));
        } else {
          advance(between(8, 30));
          push('MILESTONE', { sourceSystem: 'carrier', details: { eventType: 'ShipmentMilestone', statusCode: 'X1' } });
          advance(between(4, 20));
        }
        push('PARTNER_EVENT', { sourceSystem: 'carrier', actor: { type: 'system', id: 'carrier' } as never, details: { eventType: 'ProofOfDelivery', deliveredAt: new Date(t).toISOString(), signedBy: 'R. Receiver' } });
        to('DELIVERED');
        advance(between(0.05, 2));
        push('PARTNER_EVENT', { sourceSystem: 'finance', actor: { type: 'system', id: 'finance' } as never, details: { eventType: 'InvoiceReleased', invoiceId: `INV-${n}`, amount: { amount: 1250, currency: 'EUR' } } });
        to('INVOICED', { invoiceId: `INV-${n}` });
        advance(0.01);
        to('COMPLETED');
      }
    }
    produced += entries.length;
    yield { orderId, entries };
  }
}
