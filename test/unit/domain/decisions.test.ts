import { chooseSite } from '../../../lambdas/domain/allocation';
import { exceptionIdFor, routeException } from '../../../lambdas/domain/exceptions';
import { classifyMilestone, recomputePromise } from '../../../lambdas/domain/milestones';
import { carrierForAttempt, tenderIdFor } from '../../../lambdas/domain/tendering';
import { checkOrderData } from '../../../lambdas/domain/validation';
import { summarize } from '../../../lambdas/domain/order';
import { orderReleased } from '../../support/orders';

describe('reallocation', () => {
  const site = (siteId: string, canFulfil: boolean, distanceKm: number, queueLength = 0) => ({ siteId, canFulfil, distanceKm, queueLength });

  it('keeps the assigned site when it can ship in full', () => {
    expect(chooseSite('A', [site('A', true, 900), site('B', true, 100)])).toEqual({ outcome: 'ALLOCATED', siteId: 'A' });
  });

  it('moves a short order to the closest site that can ship in full', () => {
    const decision = chooseSite('A', [site('A', false, 100), site('B', true, 700), site('C', true, 300)]);
    expect(decision).toMatchObject({ outcome: 'REALLOCATED', siteId: 'C', fromSiteId: 'A' });
  });

  it('breaks a near-tie in distance by the shorter queue', () => {
    const decision = chooseSite('A', [site('A', false, 100), site('B', true, 300, 40), site('C', true, 320, 5)]);
    expect(decision).toMatchObject({ outcome: 'REALLOCATED', siteId: 'C' });
  });

  it('reports a backorder naming every site checked when no site can ship in full', () => {
    expect(chooseSite('A', [site('A', false, 1), site('B', false, 2)])).toEqual({ outcome: 'SHORT', siteId: 'A', sitesChecked: ['A', 'B'] });
  });
});

describe('re-tendering', () => {
  const carriers = [
    { carrierId: 'C3', rank: 3, rate: { amount: 30, currency: 'EUR' } },
    { carrierId: 'C1', rank: 1, rate: { amount: 10, currency: 'EUR' } },
    { carrierId: 'C2', rank: 2, rate: { amount: 20, currency: 'EUR' } },
    { carrierId: 'C4', rank: 4, rate: { amount: 40, currency: 'EUR' } },
  ];

  it('tenders carriers in rank order', () => {
    expect([0, 1, 2].map((a) => carrierForAttempt(carriers, a)?.carrierId)).toEqual(['C1', 'C2', 'C3']);
  });

  it('stops after the bounded number of tenders so a planner decides', () => {
    expect(carrierForAttempt(carriers, 3)).toBeUndefined();
    expect(carrierForAttempt(carriers, 3, 4)?.carrierId).toBe('C4');
  });

  it('gives a retried tender the same id', () => {
    expect(tenderIdFor('O-1', 0)).toBe(tenderIdFor('O-1', 0));
    expect(tenderIdFor('O-1', 1)).not.toBe(tenderIdFor('O-1', 0));
  });
});

describe('exception routing (escalation)', () => {
  it('routes a backorder to procurement and tells customer service', () => {
    expect(routeException('STOCK_SHORT', 'STANDARD')).toMatchObject({ ownerTeam: 'procurement', informTeams: ['customer-service'] });
  });

  it('asks transport planning to decide when no carrier accepts, with the three options', () => {
    expect(routeException('CARRIER_CAPACITY', 'STANDARD')).toMatchObject({
      ownerTeam: 'transport-planning',
      resolutions: ['APPROVE_ALTERNATE_CARRIER', 'EXPEDITE', 'CANCEL'],
    });
  });

  it('raises severity and halves the decision time for express customers', () => {
    const standard = routeException('CARRIER_CAPACITY', 'STANDARD');
    const express = routeException('CARRIER_CAPACITY', 'EXPRESS');
    expect(express.severity).toBe('CRITICAL');
    expect(express.slaSeconds).toBe(standard.slaSeconds / 2);
  });

  it('gives the same exception id to a retried step and a new one to another step', () => {
    expect(exceptionIdFor('O-1', 'STOCK_SHORT', 'a')).toBe(exceptionIdFor('O-1', 'STOCK_SHORT', 'a'));
    expect(exceptionIdFor('O-1', 'STOCK_SHORT', 'b')).not.toBe(exceptionIdFor('O-1', 'STOCK_SHORT', 'a'));
  });
});

describe('delay handling', () => {
  const promised = '2026-11-26T16:00:00.000Z';

  it('treats an estimate later than the promise as a delay', () => {
    expect(classifyMilestone('AG', '2026-11-27T10:00:00Z', promised)).toBe('DELAY');
    expect(classifyMilestone('AG', '2026-11-26T10:00:00Z', promised)).toBe('ROUTINE');
  });

  it('wakes the workflow for refused, damaged and attempted deliveries', () => {
    expect(['A7', 'A9', 'AH', 'CA'].map((c) => classifyMilestone(c as never, undefined, promised))).toEqual(['FAILURE', 'FAILURE', 'FAILURE', 'FAILURE']);
  });

  it('moves the promise to the carrier estimate, never earlier than before', () => {
    expect(recomputePromise(promised, '2026-11-28T09:00:00Z')).toBe('2026-11-28T09:00:00.000Z');
    expect(recomputePromise(promised, '2026-11-25T09:00:00Z')).toBe(promised);
  });

  it('pushes an unexplained delay by one business day, skipping the weekend', () => {
    expect(recomputePromise('2026-11-27T16:00:00.000Z', undefined)).toBe('2026-11-30T16:00:00.000Z');
  });
});

describe('order data quality', () => {
  const master = { knownSkus: new Set(['SKU-100', 'SKU-200']), servedCountries: new Set(['DE']) };

  it('accepts a complete order', () => {
    const order = orderReleased('O-1');
    expect(checkOrderData(summarize(order), order.lines, master)).toEqual([]);
  });

  it('names the field and the rule of every problem', () => {
    const order = orderReleased('O-1', {
      promisedDeliveryDate: '2026-11-20T00:00:00Z',
      shipTo: { name: 'X', line1: 'Y', city: 'Oslo', postalCode: '0150', country: 'NO' },
      lines: [
        { lineNo: 1, sku: 'SKU-100', quantity: 1, uom: 'EA' },
        { lineNo: 1, sku: 'SKU-999', quantity: 1, uom: 'EA' },
      ],
    });
    expect(checkOrderData(summarize(order), order.lines, master)).toEqual([
      { field: 'promisedDeliveryDate', rule: 'must not be before requestedShipDate' },
      { field: 'shipTo.country', rule: "'NO' is not a served destination" },
      { field: 'lines[1].lineNo', rule: 'must be unique within the order' },
      { field: 'lines[1].sku', rule: "'SKU-999' is not in the item master" },
    ]);
  });
});
