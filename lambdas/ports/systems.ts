import type { CustomerPriority, OrderLine, OrderSummary } from '../domain/order';
import type { SiteAvailability } from '../domain/allocation';
import type { RankedCarrier } from '../domain/tendering';

/**
 * Ports to the systems the workflow coordinates. Each has a simulator and an HTTP implementation
 * (lambdas/adapters), chosen by configuration. Every call carries `at`, the business time of the
 * step (from the workflow's context), so simulators schedule their answers on the same clock as the
 * workflow. Implementations throw SystemUnavailable (retryable) or PartnerRequestRejected.
 */

export interface ErpPort {
  /** Item master and served destinations for the SKUs and country of an order. */
  masterData(request: { skus: readonly string[]; country: string; /** The step's business time (faults, circuit breaker). */ at?: string }): Promise<{ knownSkus: string[]; servedCountries: string[] }>;
  /** Tells the ERP the new promised delivery date after a delay. */
  updatePromisedDate(request: { orderId: string; promisedDeliveryDate: string; reason: string; at: string }): Promise<void>;
}

export interface WmsPort {
  /** Can each site ship these lines in full? */
  availability(request: { orderId: string; lines: readonly OrderLine[]; destinationCountry: string; at: string }): Promise<SiteAvailability[]>;
  /** Reserves the order's stock at a site. Idempotent by order id. */
  reserve(request: { orderId: string; siteId: string; lines: readonly OrderLine[]; at: string }): Promise<{ reservationId: string }>;
  /** Releases a reservation (compensation). Idempotent. */
  releaseReservation(request: { orderId: string; siteId: string; at: string }): Promise<void>;
  /** Releases the order to a pick wave. Idempotent by order id. */
  createWave(request: { orderId: string; siteId: string; at: string }): Promise<{ waveId: string }>;
  /**
   * Books the dock for the carrier's pickup; the WMS sends ShipConfirmed when the goods leave. The
   * order's ship date and priority are on the order the WMS already holds (passed for simulators).
   */
  bookPickup(request: { orderId: string; siteId: string; carrierId: string; pickupAt: string; at: string; requestedShipDate?: string; customerPriority?: CustomerPriority }): Promise<void>;
}

export interface TmsPort {
  /** Plans the load and ranks the lane's carriers. Idempotent by order id. */
  planLoad(request: { order: OrderSummary; lane: string; at: string }): Promise<{ loadId: string; carriers: RankedCarrier[] }>;
  /** Books an expedited (premium) service for the load when a planner chooses to expedite. */
  bookExpedited(request: { orderId: string; loadId: string; at: string }): Promise<{ carrierId: string; pickupAt: string }>;
}

export interface CarrierPort {
  /** Sends a tender; the carrier answers later with TenderAccepted or TenderRejected. Idempotent by tender id. */
  tender(request: { tenderId: string; orderId: string; loadId: string; carrierId: string; lane: string; pickupBy: string; at: string }): Promise<void>;
  /** Cancels a tender or booking (compensation). Idempotent. */
  cancelTender(request: { tenderId: string; orderId: string; carrierId: string; at: string }): Promise<void>;
  /** Subscribes to tracking; the carrier then sends ShipmentMilestone and ProofOfDelivery events. */
  track(request: { orderId: string; shipmentId: string; carrierId: string; promisedDeliveryDate: string; at: string; /** `<siteId>><destination country>` */ lane?: string }): Promise<void>;
}

export interface FinancePort {
  /** Releases the invoice. Idempotent by order id: a second call returns the same invoice. */
  releaseInvoice(request: { orderId: string; customerId: string; amount: { amount: number; currency: string }; at: string }): Promise<{ invoiceId: string }>;
}

/**
 * Notifications carry an idempotency key that is the same on every retry of the same notification
 * (order and topic, exception and team...): a retry after a lost answer must not notify twice.
 */
export interface NotificationPort {
  /** Tells the customer about a milestone of their order. */
  notifyCustomer(request: { orderId: string; customerId: string; topic: string; message: string; at: string; idempotencyKey?: string }): Promise<void>;
  /** Tells a team about work it owns or should know of. */
  notifyTeam(request: { team: string; orderId: string; subject: string; message: string; at: string; idempotencyKey?: string }): Promise<void>;
}

export interface Systems {
  readonly erp: ErpPort;
  readonly wms: WmsPort;
  readonly tms: TmsPort;
  readonly carrier: CarrierPort;
  readonly finance: FinancePort;
  readonly notifications: NotificationPort;
}
