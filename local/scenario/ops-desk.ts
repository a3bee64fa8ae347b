import { createHash } from 'node:crypto';

const rand = (seed: number, ...key: (string | number)[]) => createHash('sha256').update(`${seed}|${key.join('|')}`).digest().readUInt32BE(0) / 2 ** 32;

export interface Ask {
  readonly orderId: string;
  readonly exceptionId: string;
  readonly category: string;
  readonly ownerTeam: string;
}

export interface Answer {
  readonly minutes: number;
  readonly resolution: string;
  readonly carrierId?: string;
}

/**
 * How the simulated operations teams answer exceptions: planners mostly approve an alternate
 * carrier, procurement sometimes never answers (the order then goes on hold with the exception
 * open), customer service keeps late shipments going. Deterministic for a seed.
 */
export function opsDecision(seed: number, ask: Ask, alternateCarrier: string | undefined): Answer | undefined {
  const r = rand(seed, ask.exceptionId, 'answer');
  const minutes = 15 + Math.floor(rand(seed, ask.exceptionId, 'latency') * 150);
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
