import { z } from 'zod';
import {
  actor,
  carrierId,
  customerPriority,
  exceptionCategory,
  identifier,
  money,
  orderId,
  ownerTeam,
  severity,
  siteId,
  timestamp,
} from './common';

/**
 * Event payloads (the `data` of the envelope), one schema per event type and version.
 * A breaking change adds a new version beside the old one; consumers keep both until producers move.
 */

export const orderLine = z.object({
  lineNo: z.number().int().positive(),
  sku: identifier('Stock keeping unit'),
  quantity: z.number().int().positive().max(1_000_000),
  uom: z.string().min(1).max(8).default('EA').describe('Unit of measure'),
});

export const address = z.object({
  name: z.string().min(1).max(200),
  line1: z.string().min(1).max(200),
  city: z.string().min(1).max(100),
  postalCode: z.string().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code'),
});

export const OrderReleasedV1 = z
  .object({
    orderId,
    customerId: identifier('Customer id'),
    customerPriority,
    siteId: siteId.describe('Site the ERP assigned the order to'),
    shipTo: address,
    requestedShipDate: timestamp('Latest ship date agreed with the customer'),
    promisedDeliveryDate: timestamp('Delivery date promised to the customer'),
    lines: z.array(orderLine).min(1).max(5000).describe('Order lines (large orders are claim-checked into the store)'),
    weightKg: z.number().positive().max(40_000).optional(),
    orderValue: money.optional(),
  })
  .describe('ERP released an order for fulfilment');

export const OrderCancelledV1 = z
  .object({ orderId, reason: z.string().min(1).max(500), cancelledBy: actor })
  .describe('ERP cancelled an order');

export const WaveReleasedV1 = z
  .object({ orderId, siteId, waveId: identifier('Wave id') })
  .describe('WMS released a pick wave containing the order');

export const ShipmentPackedV1 = z
  .object({
    orderId,
    siteId,
    shipmentId: identifier('Shipment id'),
    packages: z.number().int().positive(),
    weightKg: z.number().positive(),
  })
  .describe('WMS packed the shipment');

export const ShipConfirmedV1 = z
  .object({
    orderId,
    siteId,
    shipmentId: identifier('Shipment id'),
    carrierId,
    trackingNumber: z.string().min(1).max(64),
    shippedAt: timestamp('When the goods left the dock'),
  })
  .describe('WMS confirmed the shipment left the site');

export const LoadPlannedV1 = z
  .object({
    orderId,
    loadId: identifier('Load id'),
    lane: z.string().min(1).max(64).describe('Lane (origin site to destination region)'),
    carriers: z
      .array(z.object({ carrierId, rank: z.number().int().positive(), rate: money }))
      .min(1)
      .describe('Carriers for the lane, by rank'),
  })
  .describe('TMS planned the load and ranked carriers for the lane');

export const TenderAcceptedV1 = z
  .object({
    orderId,
    tenderId: identifier('Tender id'),
    loadId: identifier('Load id'),
    carrierId,
    pickupAt: timestamp('Planned pickup').optional(),
  })
  .describe('Carrier accepted the tender');

export const TenderRejectedV1 = z
  .object({
    orderId,
    tenderId: identifier('Tender id'),
    loadId: identifier('Load id'),
    carrierId,
    reasonCode: z.enum(['NO_CAPACITY', 'RATE', 'EQUIPMENT', 'LANE_NOT_SERVED', 'OTHER']),
    reason: z.string().max(500).optional(),
  })
  .describe('Carrier rejected the tender');

/**
 * Shipment status codes, modelled on X12 214 AT7 shipment status codes.
 * Routine codes are recorded by the correlator without waking the workflow (each wake-up is a
 * billed state transition); delay and failure codes wake it.
 */
export const milestoneCodes = {
  X3: 'Arrived at pickup location',
  AF: 'Departed pickup location',
  X6: 'En route to delivery location',
  AG: 'Estimated delivery',
  SD: 'Shipment delayed',
  X1: 'Arrived at delivery location',
  D1: 'Delivered',
  AH: 'Attempted delivery',
  A7: 'Refused by consignee',
  A9: 'Shipment damaged',
  CA: 'Shipment cancelled',
} as const;
export type MilestoneCode = keyof typeof milestoneCodes;
const milestoneCodeList = Object.keys(milestoneCodes) as [MilestoneCode, ...MilestoneCode[]];

export const ShipmentMilestoneV1 = z
  .object({
    orderId,
    shipmentId: identifier('Shipment id'),
    carrierId,
    statusCode: z.enum(milestoneCodeList).describe('X12 214 AT7-style status code'),
    location: z.object({ city: z.string().max(100), country: z.string().regex(/^[A-Z]{2}$/) }).optional(),
    estimatedDeliveryAt: timestamp('Carrier estimate of delivery').optional(),
    reason: z.string().max(500).optional(),
  })
  .describe('Carrier reported a shipment status milestone');

export const ProofOfDeliveryV1 = z
  .object({
    orderId,
    shipmentId: identifier('Shipment id'),
    carrierId,
    deliveredAt: timestamp('When the consignee signed'),
    signedBy: z.string().min(1).max(200),
    documentRef: z.string().max(500).optional().describe('Reference to the POD document'),
  })
  .describe('Carrier sent proof of delivery');

export const InvoiceReleasedV1 = z
  .object({ orderId, invoiceId: identifier('Invoice id'), amount: money })
  .describe('Finance released the invoice');

export const stage = z
  .enum([
    'RELEASED',
    'VALIDATED',
    'ON_HOLD',
    'ALLOCATED',
    'REALLOCATED',
    'BACKORDERED',
    'WAVE_RELEASED',
    'LOAD_PLANNED',
    'TENDERED',
    'CARRIER_CONFIRMED',
    'AWAITING_PLANNER',
    'SHIPPED',
    'IN_TRANSIT',
    'DELIVERED',
    'INVOICED',
    'COMPLETED',
    'CANCELLED',
  ])
  .describe('Order-to-ship stage');

export const OrderStageChangedV1 = z
  .object({
    orderId,
    fromStage: stage.nullable(),
    toStage: stage,
    actor,
    sourceSystem: z.string().min(1).max(32),
    siteId: siteId.optional(),
    carrierId: carrierId.optional(),
    lane: z.string().max(64).optional(),
  })
  .describe('The orchestrator moved an order to a new stage');

/** A recommendation of the decision step, as people and systems downstream see it (issue #7). */
export const recommendation = z
  .object({
    recommendationId: identifier('Recommendation id (the DECISION entry of the audit trail)'),
    kind: z.enum(['CARRIER', 'SITE']).describe('What is recommended: another carrier or another site'),
    choice: z.string().max(64).nullable().describe('The recommended carrier or site id'),
    action: z.enum(['AUTO', 'APPROVAL', 'NONE']).describe('Who acts under the decision policy: the workflow (AUTO) or a person (APPROVAL)'),
    riskScore: z.number().min(0).max(1).nullable().describe('Delay-risk probability of the order if it goes the recommended way'),
    modelVersion: z.string().max(64),
    policyVersion: z.string().max(64),
    reasons: z.array(z.string().max(300)).max(10).describe('Why the recommended option ranks first, with the numbers'),
    checks: z.array(z.string().max(300)).max(10).describe("The policy's checks and their results"),
  })
  .describe('A recommendation of the decision step');

export const ExceptionRaisedV1 = z
  .object({
    orderId,
    exceptionId: identifier('Exception id'),
    category: exceptionCategory,
    severity,
    ownerTeam,
    reason: z.string().min(1).max(1000),
    sourceSystem: z.string().min(1).max(32),
    dueAt: timestamp('When the exception breaches its SLA'),
    recommendation: recommendation.optional().describe('What the decision step recommends, when it asks a person to decide'),
    nextAction: z.string().max(300).optional().describe('Suggested next action for the owner (triage)'),
    incidentId: identifier('Incident this exception belongs to (a recurring pattern)').optional(),
    summary: z.string().max(2000).optional().describe('Root-cause summary for planners (template, or a language model where enabled)'),
  })
  .describe('The orchestrator raised and routed an exception');

export const IncidentRaisedV1 = z
  .object({
    orderId: orderId.describe('The order whose exception made the pattern reach the threshold'),
    incidentId: identifier('Incident id: category, pattern and window, so every exception of the pattern finds it'),
    category: exceptionCategory,
    pattern: z.string().min(1).max(200).describe('What recurs, e.g. carrier GEOD on DC-HAM>DE'),
    severity,
    ownerTeam,
    count: z.number().int().positive().describe('Exceptions of the pattern in the window so far'),
    windowStart: timestamp('Start of the incident window'),
    windowEnd: timestamp('End of the incident window'),
    exceptionIds: z.array(identifier('Exception id')).max(50).describe('The exceptions attached so far'),
    nextAction: z.string().max(300),
    summary: z.string().max(2000).describe('Root-cause summary for planners (template, or a language model where enabled)'),
  })
  .describe('Exceptions of one pattern recurred in a window: raised once to the owner as an incident');

export const ExceptionResolvedV1 = z
  .object({
    orderId,
    exceptionId: identifier('Exception id'),
    resolution: z.enum(['RETRY', 'CONTINUE', 'CANCEL']).describe('RETRY the step, CONTINUE waiting, or CANCEL the order'),
    resolvedBy: actor,
    note: z.string().max(1000).optional(),
  })
  .describe('A person (or the owning system) resolved an exception');

export const approvalDecision = z.enum(['APPROVE_ALTERNATE_CARRIER', 'APPROVE_ALTERNATE_SITE', 'EXPEDITE', 'CANCEL']);

export const ApprovalRequestedV1 = z
  .object({
    orderId,
    approvalId: identifier('Approval id'),
    exceptionId: identifier('Exception id'),
    question: z.string().min(1).max(1000),
    options: z.array(approvalDecision).min(1),
    suggestedCarrierIds: z.array(carrierId).default([]),
    suggestedSiteIds: z.array(siteId).optional(),
    recommendation: recommendation.optional(),
    ownerTeam,
    dueAt: timestamp('When the decision breaches its SLA'),
  })
  .describe('The orchestrator asked a person to decide');

export const ApprovalDecidedV1 = z
  .object({
    orderId,
    approvalId: identifier('Approval id'),
    decision: approvalDecision,
    carrierId: carrierId.optional().describe('Required when the decision is APPROVE_ALTERNATE_CARRIER'),
    siteId: siteId.optional().describe('Required when the decision is APPROVE_ALTERNATE_SITE'),
    decidedBy: actor,
    note: z.string().max(1000).optional(),
  })
  .refine((d) => d.decision !== 'APPROVE_ALTERNATE_CARRIER' || !!d.carrierId, {
    message: 'carrierId is required when decision is APPROVE_ALTERNATE_CARRIER',
    path: ['carrierId'],
  })
  .refine((d) => d.decision !== 'APPROVE_ALTERNATE_SITE' || !!d.siteId, {
    message: 'siteId is required when decision is APPROVE_ALTERNATE_SITE',
    path: ['siteId'],
  })
  .describe('A person decided an approval');

export const SlaBreachedV1 = z
  .object({
    orderId,
    stage,
    sla: z.string().min(1).max(64).describe('Name of the SLA (for example tender-response)'),
    dueAt: timestamp('When it was due'),
    breachedAt: timestamp('When the breach was detected'),
  })
  .describe('A wait exceeded its SLA');
