import { faultProfile, type SimulationProfile } from '../../lambdas/adapters/simulators/profile';
import { scenarioProfile } from '../scenario/run';

/**
 * Every fault class at once, on every partner: lost answers (timeouts after the partner acted),
 * 5xx, throttling (3%, 3% and 2%; 2%, 2% and 1% for notifications, the busiest partner), an outage per system (a carrier's and the notification service's
 * among them), and on the publishing partners slow, duplicate, out-of-order, unknown-order and late
 * events. Rates are those of a bad day, not of a dead network, so the run ends with every order
 * completed, cancelled or on hold with an owner.
 */
export function chaosProfile(seed: number, sideEffectLedger: string): SimulationProfile {
  // The circuit breakers open at 5 outage failures in a row (lambdas/domain/circuit-breaker.ts): a
  // background error rate of a few percent leaves them closed, the outage windows open them.
  const calls = { timeoutRate: 0.03, serverErrorRate: 0.03, throttleRate: 0.02, retryAfterSeconds: 20 };
  const quieter = { ...calls, timeoutRate: 0.02, serverErrorRate: 0.02, throttleRate: 0.01 };
  const events = { ...calls, slowRate: 0.1, duplicateRate: 0.1, outOfOrderRate: 0.05, unknownOrderRate: 0.02, lateEventRate: 0.02, lateMinutes: 24 * 60 };
  const window = (from: string, to: string, partnerId?: string) => [{ start: `2026-11-23T${from}:00Z`, end: `2026-11-23T${to}:00Z`, ...(partnerId ? { partnerId } : {}) }];
  return {
    ...scenarioProfile({ seed }),
    faults: faultProfile.parse({
      erp: { ...calls, outages: window('09:00', '09:20') },
      wms: { ...events, outages: window('10:00', '10:30') },
      tms: { ...calls, outages: window('11:00', '11:20') },
      carrier: { ...events, outages: window('12:00', '13:00', 'DHLF') },
      finance: { ...events, outages: window('14:00', '14:30') },
      notifications: { ...quieter, outages: window('15:00', '16:00') },
    }),
    sideEffectLedger,
  };
}
