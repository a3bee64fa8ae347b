import { createHash } from 'node:crypto';
import { z } from 'zod';

const rate = z.number().min(0).max(1).default(0);
const minutesRange = z.tuple([z.number().nonnegative(), z.number().nonnegative()]);

/**
 * Faults of a partner's API calls. Each call draws once per attempt (keyed by seed, system, operation,
 * order or tender, the step's time and the attempt number), so a retry of the same call may succeed.
 */
export const callFaults = z.object({
  /** Probability that a call times out: the partner processed it, but the answer was lost (SystemUnavailable). */
  timeoutRate: rate,
  /** Probability that a call fails with a 5xx before the partner processed it (SystemUnavailable). */
  serverErrorRate: rate,
  /** Probability that a call is throttled (429, SystemUnavailable with a retry-after note). */
  throttleRate: rate,
  /** The Retry-After the throttled answer carries, in seconds. */
  retryAfterSeconds: z.number().int().nonnegative().default(30),
  /** Windows (ISO start inclusive, end exclusive) in which every call whose step began inside fails with SystemUnavailable. */
  /** `partnerId` limits a window to one carrier (carrier calls name it as `carrierId`). */
  outages: z.array(z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }), partnerId: z.string().min(1).optional() })).default([]),
});

/** Faults of the events a partner publishes (WMS, carrier, finance): what its outbox does to each event. */
export const eventFaults = callFaults.extend({
  /** Probability that a call's events are answered late, by `slowMinutes` more. */
  slowRate: rate,
  slowMinutes: minutesRange.default([60, 240]),
  /** Probability that an event is published twice with the same event id (the copy 1 to 10 minutes later). */
  duplicateRate: rate,
  /** Probability that an event overtakes the events scheduled before it by the same call (sent 1 minute after the call). */
  outOfOrderRate: rate,
  /** Probability that an event is echoed for an order the orchestrator does not know (`GHOST-<orderId>`). */
  unknownOrderRate: rate,
  /** Probability that an event is sent again (new event id, `-late`) `lateMinutes` later, after the order has finished. */
  lateEventRate: rate,
  lateMinutes: z.number().nonnegative().default(14 * 24 * 60),
});
export type CallFaults = z.output<typeof callFaults>;
export type EventFaults = z.output<typeof eventFaults>;

/** Fault injection per partner system. All rates default to 0: no faults. */
export const faultProfile = z.object({
  erp: callFaults.prefault({}),
  wms: eventFaults.prefault({}),
  tms: callFaults.prefault({}),
  carrier: eventFaults.prefault({}),
  finance: eventFaults.prefault({}),
  notifications: callFaults.prefault({}),
});
export type FaultProfile = z.output<typeof faultProfile>;

/** The simulated network: sites, carriers and failure rates. Seeded; the same seed gives the same day. */
export const simulationProfile = z.object({
  seed: z.number().int().default(42),
  servedCountries: z.array(z.string().regex(/^[A-Z]{2}$/)).default(['DE', 'FR', 'NL', 'BE', 'PL', 'AT']),
  sites: z
    .array(
      z.object({
        siteId: z.string(),
        country: z.string(),
        /** Probability that this site cannot ship an order in full. */
        stockShortRate: z.number().min(0).max(1),
        /** Distance to each destination country, in km. */
        distanceKm: z.record(z.string(), z.number().positive()),
      }),
    )
    .min(1)
    .default([
      { siteId: 'DC-HAM', country: 'DE', stockShortRate: 0.1, distanceKm: { DE: 300, FR: 900, NL: 400, BE: 550, PL: 700, AT: 900 } },
      { siteId: 'DC-LYS', country: 'FR', stockShortRate: 0.08, distanceKm: { DE: 700, FR: 350, NL: 900, BE: 700, PL: 1500, AT: 900 } },
      { siteId: 'DC-WAW', country: 'PL', stockShortRate: 0.12, distanceKm: { DE: 600, FR: 1500, NL: 1100, BE: 1200, PL: 250, AT: 700 } },
    ]),
  carriers: z
    .array(
      z.object({
        carrierId: z.string(),
        /** Probability of accepting a tender. */
        acceptanceRate: z.number().min(0).max(1),
        /** Probability of never answering a tender (the tender SLA then expires). */
        silenceRate: z.number().min(0).max(1).default(0),
        /** Minutes the carrier takes to answer a tender: [min, max]. */
        responseMinutes: z.tuple([z.number().nonnegative(), z.number().nonnegative()]),
        /** Probability of a delay milestone in transit. */
        delayRate: z.number().min(0).max(1),
        /** Probability of a failed delivery (refused or damaged). */
        failedDeliveryRate: z.number().min(0).max(1).default(0),
        transitHours: z.number().positive(),
        ratePerKg: z.number().positive(),
      }),
    )
    .min(1)
    .default([
      { carrierId: 'DHLF', acceptanceRate: 0.85, silenceRate: 0.02, responseMinutes: [10, 90], delayRate: 0.08, failedDeliveryRate: 0.01, transitHours: 30, ratePerKg: 0.32 },
      { carrierId: 'DBSK', acceptanceRate: 0.75, silenceRate: 0.03, responseMinutes: [20, 150], delayRate: 0.1, failedDeliveryRate: 0.01, transitHours: 36, ratePerKg: 0.28 },
      { carrierId: 'GEOD', acceptanceRate: 0.7, silenceRate: 0.05, responseMinutes: [15, 120], delayRate: 0.12, failedDeliveryRate: 0.02, transitHours: 40, ratePerKg: 0.25 },
      { carrierId: 'RHNS', acceptanceRate: 0.9, silenceRate: 0.01, responseMinutes: [5, 60], delayRate: 0.05, failedDeliveryRate: 0.005, transitHours: 28, ratePerKg: 0.4 },
    ]),
  /** Probability that an order line names an SKU the item master does not know. */
  unknownSkuRate: z.number().min(0).max(1).default(0.01),
  /** Probability that the warehouse ships later than the requested ship date plus grace. */
  lateShipmentRate: z.number().min(0).max(1).default(0.02),
  /**
   * Scripted partners for given orders (sandbox testing): which sites are short, how each carrier
   * answers, whether the shipment is delayed. Orders not listed follow the rates above.
   */
  scripts: z
    .record(
      z.string(),
      z.object({
        shortSites: z.array(z.string()).optional(),
        carrierAnswers: z.record(z.string(), z.enum(['ACCEPT', 'REJECT', 'SILENT'])).optional(),
        delayed: z.boolean().optional(),
        lateShipment: z.boolean().optional(),
      }),
    )
    .default({}),
  /** Minutes from pickup booking to the goods leaving the dock: [min, max]. */
  pickMinutes: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).default([60, 240]),
  /** Fault injection per system (timeouts, 5xx, throttling, outages, slow, duplicate, out-of-order, unknown-order and late events). */
  faults: faultProfile.prefault({}),
  /** A file where the simulated partners append each side-effecting call they receive (chaos accounting; see ledger.ts). */
  sideEffectLedger: z.string().min(1).optional(),
});
export type SimulationProfile = z.output<typeof simulationProfile>;

export function defaultProfile(seed = 42): SimulationProfile {
  return simulationProfile.parse({ seed });
}

/**
 * A deterministic draw in [0, 1) for one decision about one order: the same (seed, order, purpose)
 * always gives the same value, whatever order the simulation runs in.
 */
export function draw(seed: number, ...key: readonly (string | number)[]): number {
  const digest = createHash('sha256').update(`${seed}|${key.join('|')}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

export function between(seed: number, range: readonly [number, number], ...key: readonly (string | number)[]): number {
  return range[0] + (range[1] - range[0]) * draw(seed, ...key);
}

export const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
