import { sources } from '../../contracts';
import type { CarrierPort, ErpPort, FinancePort, NotificationPort, SimulatorOutbox, Systems, TmsPort, WmsPort } from '../../ports';
import { withCallFaults, withEventFaults } from './faults';
import { deliveryDelayProbability, shipLateProbability, siteQueueLength } from './lateness';
import { fileLedger, withSideEffectLedger } from './ledger';
import { addMinutes, between, draw, type SimulationProfile } from './profile';

/** Notifications the simulator "sent": kept for the scenario report and tests. */
export interface SentNotification {
  readonly to: string;
  readonly orderId: string;
  readonly topic: string;
  readonly message: string;
  readonly at: string;
}

function partnerEvent(system: keyof typeof sources, detailType: string, eventId: string, orderId: string, at: string, data: Record<string, unknown>) {
  return {
    source: sources[system],
    detailType,
    detail: { schemaVersion: '1', eventId, correlationId: orderId, occurredAt: at, producer: `${system}-simulator`, data: { orderId, ...data } },
  };
}

/**
 * Simulated ERP, WMS, TMS, carriers, finance and notifications. Stateless and deterministic: every
 * answer is a function of the profile's seed and the request, so a Lambda cold start, a retry or a
 * restart of the local runtime gives the same answer. Asynchronous answers (a carrier's response to
 * a tender, milestones, ship confirmation) are scheduled through the outbox and arrive as events.
 */
export function createSimulatedSystems(profile: SimulationProfile, outbox: SimulatorOutbox, sent: SentNotification[] = []): Systems {
  const { seed } = profile;
  const carrierById = new Map(profile.carriers.map((c) => [c.carrierId, c]));
  // Fault injection (profile.faults): each event-producing system schedules through its own outbox.
  const outboxes = { wms: withEventFaults(profile, 'wms', outbox), carrier: withEventFaults(profile, 'carrier', outbox), finance: withEventFaults(profile, 'finance', outbox) };

  const erp: ErpPort = {
    async masterData({ skus }) {
      return { knownSkus: skus.filter((sku) => !sku.startsWith('UNKNOWN') && draw(seed, 'sku', sku) >= profile.unknownSkuRate), servedCountries: profile.servedCountries };
    },
    async updatePromisedDate() {},
  };

  const wms: WmsPort = {
    async availability({ orderId, destinationCountry }) {
      return profile.sites.map((site) => ({
        siteId: site.siteId,
        canFulfil: profile.scripts[orderId]?.shortSites
          ? !profile.scripts[orderId]!.shortSites!.includes(site.siteId)
          : draw(seed, orderId, 'stock', site.siteId) >= site.stockShortRate,
        distanceKm: site.distanceKm[destinationCountry] ?? 2000,
        queueLength: siteQueueLength(seed, orderId, site.siteId),
      }));
    },
    async reserve({ orderId, siteId }) {
      return { reservationId: `RSV-${orderId}-${siteId}` };
    },
    async releaseReservation() {},
    async createWave({ orderId, siteId, at }) {
      const waveId = `WV-${siteId}-${at.slice(0, 13).replace(/\D/g, '')}`;
      await outboxes.wms.schedule(partnerEvent('wms', 'WaveReleased', `wms-wave-${orderId}`, orderId, at, { siteId, waveId }), at, at);
      return { waveId };
    },
    async bookPickup({ orderId, siteId, carrierId, pickupAt, at, requestedShipDate, customerPriority }) {
      const lateRate = shipLateProbability(profile.lateShipmentRate, { at, siteQueueLength: siteQueueLength(seed, orderId, siteId), requestedShipDate, customerPriority });
      const late = profile.scripts[orderId]?.lateShipment ?? draw(seed, orderId, 'late-ship') < lateRate;
      const leaves = addMinutes(Date.parse(pickupAt) > Date.parse(at) ? pickupAt : at, between(seed, profile.pickMinutes, orderId, 'pick') + (late ? 36 * 60 : 0));
      const shipmentId = `SH-${orderId}`;
      const packedAt = addMinutes(leaves, -30);
      await outboxes.wms.schedule(partnerEvent('wms', 'ShipmentPacked', `wms-packed-${orderId}`, orderId, packedAt, { siteId, shipmentId, packages: 1 + Math.floor(draw(seed, orderId, 'pk') * 6), weightKg: 25 }), packedAt, at);
      await outboxes.wms.schedule(
        partnerEvent('wms', 'ShipConfirmed', `wms-ship-${orderId}`, orderId, leaves, { siteId, shipmentId, carrierId, trackingNumber: `${carrierId}${orderId.replace(/\W/g, '')}`, shippedAt: leaves }),
        leaves,
        at,
      );
    },
  };

  const tms: TmsPort = {
    async planLoad({ order, lane }) {
      const carriers = profile.carriers
        .map((c) => ({ carrierId: c.carrierId, rate: { amount: Math.round(order.weightKg * c.ratePerKg * (0.9 + 0.2 * draw(seed, lane, c.carrierId)) * 100) / 100, currency: 'EUR' } }))
        .sort((a, b) => a.rate.amount - b.rate.amount)
        .map((c, i) => ({ ...c, rank: i + 1 }));
      return { loadId: `LD-${order.orderId}`, carriers };
    },
    async bookExpedited({ at }) {
      const fastest = [...profile.carriers].sort((a, b) => a.transitHours - b.transitHours)[0]!;
      return { carrierId: fastest.carrierId, pickupAt: addMinutes(at, 120) };
    },
  };

  const carrier: CarrierPort = {
    async tender({ tenderId, orderId, loadId, carrierId, pickupBy, at }) {
      const c = carrierById.get(carrierId);
      const scripted = profile.scripts[orderId]?.carrierAnswers?.[carrierId];
      if (!c || scripted === 'SILENT' || (!scripted && draw(seed, tenderId, 'silence') < c.silenceRate)) return;
      const answerAt = addMinutes(at, between(seed, c.responseMinutes, tenderId, 'response'));
      const accepted = scripted ? scripted === 'ACCEPT' : draw(seed, tenderId, 'accept') < c.acceptanceRate;
      const event = accepted
        ? partnerEvent('carrier', 'TenderAccepted', `car-acc-${tenderId}`, orderId, answerAt, { tenderId, loadId, carrierId, pickupAt: pickupBy })
        : partnerEvent('carrier', 'TenderRejected', `car-rej-${tenderId}`, orderId, answerAt, { tenderId, loadId, carrierId, reasonCode: 'NO_CAPACITY', reason: 'No equipment on the lane that day' });
      await outboxes.carrier.schedule(event, answerAt, at);
    },
    async cancelTender() {},
    async track({ orderId, shipmentId, carrierId, promisedDeliveryDate, at, lane }) {
      const c = carrierById.get(carrierId) ?? profile.carriers[0]!;
      const delayed = profile.scripts[orderId]?.delayed ?? draw(seed, orderId, 'delay') < deliveryDelayProbability(c.delayRate, seed, { at, carrierId: c.carrierId, lane });
      const failed = draw(seed, orderId, 'failed-delivery') < c.failedDeliveryRate;
      const transit = c.transitHours * 60 * (0.8 + 0.4 * draw(seed, orderId, 'transit'));
      const deliveredAt = addMinutes(at, transit + (delayed ? 24 * 60 : 0));
      const milestone = (code: string, when: string, extra: Record<string, unknown> = {}) =>
        outboxes.carrier.schedule(partnerEvent('carrier', 'ShipmentMilestone', `car-${code}-${shipmentId}`, orderId, when, { shipmentId, carrierId, statusCode: code, ...extra }), when, at);
      await milestone('AF', addMinutes(at, 30));
      await milestone('X6', addMinutes(at, transit * 0.3));
      if (delayed) {
        const estimate = new Date(Math.max(Date.parse(deliveredAt), Date.parse(promisedDeliveryDate) + 3600_000)).toISOString();
        await milestone('SD', addMinutes(at, transit * 0.5), { estimatedDeliveryAt: estimate, reason: 'Congestion at cross-dock' });
      }
      await milestone('X1', addMinutes(deliveredAt, -45));
      let finalDelivery = deliveredAt;
      if (failed) {
        // Refused at the door; the carrier re-attempts the next day, as carriers do.
        await milestone('A7', deliveredAt, { reason: 'Consignee refused: damaged packaging' });
        finalDelivery = addMinutes(deliveredAt, 24 * 60);
      }
      await milestone('D1', finalDelivery);
      const podAt = addMinutes(finalDelivery, 5);
      await outboxes.carrier.schedule(partnerEvent('carrier', 'ProofOfDelivery', `car-pod-${shipmentId}`, orderId, podAt, { shipmentId, carrierId, deliveredAt: finalDelivery, signedBy: 'Receiving dock' }), podAt, at);
    },
  };

  const finance: FinancePort = {
    async releaseInvoice({ orderId, amount, at }) {
      const invoiceId = `INV-${orderId}`;
      await outboxes.finance.schedule(partnerEvent('finance', 'InvoiceReleased', `fin-inv-${orderId}`, orderId, at, { invoiceId, amount }), at, at);
      return { invoiceId };
    },
  };

  // Like a real notification service, the simulator honours idempotency keys (in memory: a sandbox
  // Lambda container forgets them on a cold start, which the ledger upstream covers).
  const seenKeys = new Set<string>();
  const firstSight = (key: string | undefined) => {
    if (!key) return true;
    if (seenKeys.has(key)) return false;
    seenKeys.add(key);
    return true;
  };
  const notifications: NotificationPort = {
    async notifyCustomer({ orderId, customerId, topic, message, at, idempotencyKey }) {
      if (firstSight(idempotencyKey)) sent.push({ to: `customer:${customerId}`, orderId, topic, message, at });
    },
    async notifyTeam({ team, orderId, subject, message, at, idempotencyKey }) {
      if (firstSight(idempotencyKey)) sent.push({ to: `team:${team}`, orderId, topic: subject, message, at });
    },
  };

  // The partners' own record of what they were asked to do (profile.sideEffectLedger), inside the
  // fault injection: a call refused with a 5xx or 429 never reached the partner; a timed-out one did.
  const record = profile.sideEffectLedger ? fileLedger(profile.sideEffectLedger) : undefined;
  const recorded = <T extends object>(system: string, port: T): T => (record ? withSideEffectLedger(system, port, record) : port);
  return {
    erp: withCallFaults(profile, 'erp', erp),
    wms: withCallFaults(profile, 'wms', recorded('wms', wms)),
    tms: withCallFaults(profile, 'tms', tms),
    carrier: withCallFaults(profile, 'carrier', recorded('carrier', carrier)),
    finance: withCallFaults(profile, 'finance', recorded('finance', finance)),
    notifications: withCallFaults(profile, 'notifications', recorded('notifications', notifications)),
  };
}
