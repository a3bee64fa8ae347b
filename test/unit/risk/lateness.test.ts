import { deliveryDelayProbability, shipLateProbability, siteQueueLength } from '../../../lambdas/adapters/simulators/lateness';
import { createSimulatedSystems } from '../../../lambdas/adapters/simulators/simulators';
import { defaultProfile, simulationProfile } from '../../../lambdas/adapters/simulators/profile';

const calm = { at: '2026-11-24T09:00:00Z', siteQueueLength: 0, requestedShipDate: '2026-11-25T09:00:00Z', customerPriority: 'STANDARD' as const };
const rushed = { at: '2026-11-27T17:00:00Z', siteQueueLength: 49, requestedShipDate: '2026-11-27T20:00:00Z', customerPriority: 'STANDARD' as const };

describe('context-dependent lateness in the simulated partners', () => {
  it('keeps a rate of 0 never late and a rate of 1 always late, whatever the context', () => {
    for (const context of [calm, rushed]) {
      expect(shipLateProbability(0, context)).toBe(0);
      expect(shipLateProbability(1, context)).toBe(1);
    }
    for (const lane of ['DC-HAM>DE', 'DC-WAW>FR', undefined]) {
      for (const at of [calm.at, rushed.at]) {
        expect(deliveryDelayProbability(0, 42, { at, carrierId: 'GEOD', lane })).toBe(0);
        expect(deliveryDelayProbability(1, 42, { at, carrierId: 'GEOD', lane })).toBe(1);
      }
    }
  });

  it('makes a busy site, a tight ship date, a late booking and a Friday more likely to ship late', () => {
    expect(shipLateProbability(0.02, rushed)).toBeGreaterThan(4 * shipLateProbability(0.02, calm));
    expect(shipLateProbability(0.02, { ...calm, siteQueueLength: 45 })).toBeGreaterThan(shipLateProbability(0.02, calm));
  });

  it('makes some carriers reliably worse than others on a lane', () => {
    const lanes = ['DC-HAM>DE', 'DC-HAM>FR', 'DC-LYS>FR', 'DC-WAW>PL', 'DC-WAW>AT'];
    const rates = lanes.flatMap((lane) => ['DHLF', 'DBSK', 'GEOD', 'RHNS'].map((carrierId) => deliveryDelayProbability(0.1, 42, { at: calm.at, carrierId, lane })));
    expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThan(3);
  });

  it('keeps the weekday average close to the profile rate', () => {
    const ship: number[] = [];
    const delay: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const at = new Date(Date.parse('2026-11-23T09:00:00Z') + (i % 4) * 86_400_000 + (i % 97) * 6 * 60_000).toISOString();
      const express = i % 10 === 0;
      ship.push(shipLateProbability(0.02, { at, siteQueueLength: siteQueueLength(42, `O-${i}`, 'DC-HAM'), requestedShipDate: new Date(Date.parse(at) + (express ? 6 : 20) * 3_600_000).toISOString(), customerPriority: express ? 'EXPRESS' : 'STANDARD' }));
      delay.push(deliveryDelayProbability(0.1, 42, { at, carrierId: ['DHLF', 'DBSK', 'GEOD', 'RHNS'][i % 4]!, lane: `${['DC-HAM', 'DC-LYS', 'DC-WAW'][i % 3]}>${['DE', 'FR', 'NL', 'BE', 'PL', 'AT'][(i >> 2) % 6]}` }));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(ship)).toBeGreaterThan(0.014);
    expect(mean(ship)).toBeLessThan(0.026);
    expect(mean(delay)).toBeGreaterThan(0.08);
    expect(mean(delay)).toBeLessThan(0.12);
  });

  it.each([
    [0, 0],
    [1, 50],
  ])('with a carrier delay rate of %i, the simulator delays %i of 50 shipments, whatever the context', async (delayRate, expected) => {
    const base = defaultProfile(42);
    const profile = simulationProfile.parse({ seed: 42, carriers: base.carriers.map((c) => ({ ...c, delayRate, failedDeliveryRate: 0 })) });
    const scheduled: { detailType: string; data: Record<string, unknown> }[] = [];
    const systems = createSimulatedSystems(profile, { async schedule(event: { detailType: string; detail: { data: Record<string, unknown> } }) { scheduled.push({ detailType: event.detailType, data: event.detail.data }); } } as never);
    for (let i = 0; i < 50; i++) {
      await systems.carrier.track({ orderId: `O-${i}`, shipmentId: `S-${i}`, carrierId: 'GEOD', promisedDeliveryDate: '2026-11-30T12:00:00Z', at: '2026-11-27T17:00:00Z', lane: 'DC-WAW>FR' });
    }
    expect(scheduled.filter((e) => e.data.statusCode === 'SD')).toHaveLength(expected);
    expect(scheduled.filter((e) => e.detailType === 'ProofOfDelivery')).toHaveLength(50);
  });
});
