import { isEndOfWeek, isPastCutoff } from '../../domain/calendar';
import type { CustomerPriority } from '../../domain/order';
import { draw } from './profile';

/**
 * How likely a simulated warehouse ships late and a simulated carrier delivers late, given what the
 * partner knows about the order. The profile's rate is the base; the context shifts its log-odds
 * (a busy site, a tight ship date, a booking after the cut-off, a Friday, a carrier that struggles
 * on a lane). Shared by the simulators (the local runtime) and the synthetic history the delay-risk
 * model is trained on (lambdas/decisions/risk/history.ts), so both see the same world.
 *
 * Rates of exactly 0 and 1 stay exact (0 = never, 1 = always, which tests and scripts rely on).
 * Each shift is centred on a weekday (Monday to Thursday, the `npm start` scenario's mix), where the
 * average rate stays within a few percent of the base rate, so the scenario report looks as it did
 * with flat rates; Fridays and weekends run higher (measured over simulated weeks: about 1.2x).
 */

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The base rate with its log-odds shifted; 0 and 1 are left as they are. */
export function shiftRate(base: number, shift: number): number {
  if (base <= 0 || base >= 1) return base;
  return sigmoid(logit(base) + shift);
}

/** The queue a simulated site reports for an order (orders waiting to be picked there). */
export function siteQueueLength(seed: number, orderId: string, siteId: string): number {
  return Math.floor(draw(seed, orderId, 'queue', siteId) * 50);
}

export interface ShipLatenessContext {
  /** When the pickup is booked. */
  readonly at: string;
  /** Orders queued at the shipping site (as the site reports it). */
  readonly siteQueueLength: number;
  readonly requestedShipDate?: string;
  readonly customerPriority?: CustomerPriority;
}

/** Log-odds shift of the warehouse shipping late (36 h late in the simulator). */
export function shipLatenessShift(context: ShipLatenessContext): number {
  let shift = 0.05 * (context.siteQueueLength - 24.5) - 0.26;
  if (context.requestedShipDate) {
    const hours = (Date.parse(context.requestedShipDate) - Date.parse(context.at)) / 3_600_000;
    shift += hours < 8 ? 1.2 : hours < 16 ? 0.4 : -0.2;
  }
  if (isPastCutoff(context.at)) shift += 0.7;
  if (isEndOfWeek(context.at)) shift += 0.5;
  if (context.customerPriority === 'EXPRESS') shift -= 0.4;
  return shift - 0.35;
}

export function shipLateProbability(baseRate: number, context: ShipLatenessContext): number {
  return shiftRate(baseRate, shipLatenessShift(context));
}

export interface DeliveryLatenessContext {
  /** When the goods leave the site. */
  readonly at: string;
  readonly carrierId: string;
  /** `<siteId>><destination country>`; absent when the caller does not say. */
  readonly lane?: string;
}

/**
 * How a carrier fares on a lane, as a log-odds shift in [-1.2, 1.2): fixed for a seed, so some
 * carriers are reliably worse on some lanes and a lane's history predicts its future.
 */
export function carrierLaneEffect(seed: number, carrierId: string, lane: string): number {
  return 2.4 * (draw(seed, 'lane-effect', carrierId, lane) - 0.5);
}

/** Log-odds shift of the carrier reporting a delay (24 h late in the simulator). */
export function deliveryLatenessShift(seed: number, context: DeliveryLatenessContext): number {
  let shift = context.lane ? carrierLaneEffect(seed, context.carrierId, context.lane) : 0;
  if (isEndOfWeek(context.at)) shift += 0.6;
  return shift - 0.1;
}

export function deliveryDelayProbability(baseRate: number, seed: number, context: DeliveryLatenessContext): number {
  return shiftRate(baseRate, deliveryLatenessShift(seed, context));
}
