import { createHash } from 'node:crypto';

const rand = (seed: number, ...key: (string | number)[]) => createHash('sha256').update(`${seed}|${key.join('|')}`).digest().readUInt32BE(0) / 2 ** 32;

export interface Ask {
  readonly orderId: string;
  readonly exceptionId: string;
  readonly category: string;
  readonly ownerTeam: string;
  /** The decision step's recommendation, when it asks a person (ExceptionRaised carries it). */
  readonly recommendation?: { readonly kind: 'CARRIER' | 'SITE'; readonly choice: string | null; readonly action: string };
}

export interface Answer {
  readonly minutes: number;
  readonly resolution: string;
  readonly carrierId?: string;
  readonly siteId?: string;
}

/**
 * How the simulated operations teams answer exceptions: planners mostly approve an alternate
 * carrier, procurement sometimes never answers (the order then goes on hold with the exception
 * open), customer service keeps late shipments going; asked about a recommendation of the decision
 * step, planners mostly approve it and sometimes override it. Deterministic for a seed.
 */
export function opsDecision(seed: number, ask: Ask, alternateCarrier: string | undefined): Answer | undefined {
  const r = rand(seed, ask.exceptionId, 'answer');
  const minutes = 15 + Math.floor(rand(seed, ask.exceptionId, 'latency') * 150);
  const recommended = ask.recommendation?.action === 'APPROVAL' ? ask.recommendation.choice : null;
  // Planners asked about a recommendation mostly take it; some pick another carrier, expedite or cancel.
  // A recommendation with its reasons is quick to judge: answered in 10 to 60 minutes, inside every decision SLA.
  const quick = 10 + Math.floor(rand(seed, ask.exceptionId, 'latency') * 50);
  if (recommended && ask.recommendation?.kind === 'CARRIER') {
    if (r < 0.7) return { minutes: quick, resolution: 'APPROVE_ALTERNATE_CARRIER', carrierId: recommended };
    if (r < 0.85 && alternateCarrier && alternateCarrier !== recommended) return { minutes: quick, resolution: 'APPROVE_ALTERNATE_CARRIER', carrierId: alternateCarrier };
    if (r < 0.95) return { minutes: quick, resolution: 'EXPEDITE' };
    return undefined;
  }
  if (recommended && ask.recommendation?.kind === 'SITE') {
    if (r < 0.8) return { minutes: quick, resolution: 'APPROVE_ALTERNATE_SITE', siteId: recommended };
    if (r < 0.95) return { minutes: quick, resolution: 'CANCEL' };
    return undefined;
  }
  switch (ask.category) {
    case 'CARRIER_CAPACITY':
      if (r < 0.65 && alternateCarrier) return { minutes, resolution: 'APPROVE_ALTERNATE_CARRIER', carrierId: alternateCarrier };
      if (r < 0.9) return { minutes, resolution: 'EXPEDITE' };
      return undefined;
    case 'STOCK_SHORT':
      return r < 0.5 ? { minutes: minutes * 4, resolution: 'CANCEL' } : undefined;
    case 'DATA_QUALITY':
      return { minutes, resolution: 'CANCEL' };
    case 'SHIPMENT_LATE':
    case 'DELIVERY_DELAY':
    case 'DELIVERY_FAILED':
      return { minutes, resolution: 'CONTINUE' };
    case 'SYSTEM_FAILURE':
      return { minutes, resolution: 'RETRY' };
    default:
      return undefined;
  }
}
