import { createHash } from 'node:crypto';
import type { ExceptionCategory, OwnerTeam, Severity } from '../domain/order';
import type { IncidentRecord } from '../ports/store';

/**
 * Incidents: recurring exceptions of one pattern (the same carrier failing on one lane, the same
 * site short of stock) within a time window, grouped under one deterministic id, so the owner gets
 * one incident with a count instead of one notification per exception.
 */

/** Incident windows: fixed UTC blocks of this many hours. */
export const incidentWindowHours = 24;
/** The incident is raised to its owner when this many exceptions of the pattern are in the window. */
export const incidentThreshold = 3;

export interface PatternContext {
  readonly category: ExceptionCategory;
  readonly siteId: string;
  readonly carrierId?: string;
  readonly lane?: string;
}

/** Categories whose exceptions recur per carrier on a lane (the pattern names the carrier and the lane). */
export const carrierPatternCategories: ReadonlySet<ExceptionCategory> = new Set<ExceptionCategory>(['CARRIER_CAPACITY', 'DELIVERY_DELAY', 'DELIVERY_FAILED']);

/** What recurs for this exception, or undefined when exceptions of its category are per order only. */
export function patternOf(ctx: PatternContext): string | undefined {
  if (carrierPatternCategories.has(ctx.category)) return ctx.carrierId && ctx.lane ? `carrier ${ctx.carrierId} on ${ctx.lane}` : undefined;
  switch (ctx.category) {
    case 'STOCK_SHORT':
      return `site ${ctx.siteId} short of stock`;
    case 'SHIPMENT_LATE':
      return `site ${ctx.siteId} shipping late`;
    default:
      return undefined;
  }
}

export function incidentWindow(at: string, hours = incidentWindowHours): { start: string; end: string } {
  const size = hours * 3_600_000;
  const start = Math.floor(Date.parse(at) / size) * size;
  return { start: new Date(start).toISOString(), end: new Date(start + size).toISOString() };
}

/** Deterministic: every exception of the pattern in the window computes the same id. */
export function incidentIdFor(category: ExceptionCategory, pattern: string, windowStart: string): string {
  const digest = createHash('sha256').update(`${category}|${pattern}`).digest('hex').slice(0, 10);
  return `INC-${category}-${digest}-${windowStart.slice(0, 13).replace(/[-:T]/g, '')}`;
}

export function newIncident(input: {
  category: ExceptionCategory;
  pattern: string;
  ownerTeam: OwnerTeam;
  severity: Severity;
  exceptionId: string;
  at: string;
}): IncidentRecord {
  const window = incidentWindow(input.at);
  return {
    incidentId: incidentIdFor(input.category, input.pattern, window.start),
    category: input.category,
    pattern: input.pattern,
    ownerTeam: input.ownerTeam,
    severity: input.severity,
    windowStart: window.start,
    windowEnd: window.end,
    firstAt: input.at,
    lastAt: input.at,
    count: 1,
    exceptionIds: [input.exceptionId],
    summary: `${input.category} recurring: ${input.pattern}`,
  };
}
