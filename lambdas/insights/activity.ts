import type { LogEntry } from '../ports';
import { stageLabel } from './format';

/** The activity name of a log entry, as process-mining tools show it. */

const decisions: Record<string, string> = {
  RE_TENDER: 'Re-tender load',
  REALLOCATED: 'Reallocate to another site',
  PROMISE_RECOMPUTED: 'Recompute delivery promise',
  CANCELLED: 'Cancel order',
  DATA_QUALITY_FAILED: 'Order data incomplete',
  STOCK_SHORT_AT_ASSIGNED_SITE: 'Stock short at assigned site',
  BOOK_PLANNER_CARRIER: "Book planner's carrier",
};

const waits: Record<string, string> = {
  TENDER: 'Wait for carrier answer',
  SHIP_CONFIRMATION: 'Wait for ship confirmation',
  DELIVERY: 'Wait for delivery',
  DECISION: 'Wait for decision',
};

const humanize = (s: string) => {
  const words = s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function activityOf(e: LogEntry): string {
  const d = e.details ?? {};
  switch (e.type) {
    case 'STAGE_CHANGED':
      return `Order ${stageLabel(e.stage ?? 'unknown').toLowerCase()}`;
    case 'WAIT_STARTED':
      return waits[String(d.kind)] ?? 'Wait';
    case 'WAIT_ENDED':
      return d.outcome === 'TIMED_OUT' ? 'Wait timed out' : 'Wait ended';
    case 'EXCEPTION_RAISED':
      return 'Raise exception';
    case 'EXCEPTION_RESOLVED':
      return 'Resolve exception';
    case 'APPROVAL_REQUESTED':
      return 'Request approval';
    case 'APPROVAL_DECIDED':
      return 'Decide approval';
    case 'SLA_BREACHED':
      return 'SLA breached';
    case 'MILESTONE':
      return `Carrier milestone ${String(d.statusCode ?? '')}`.trim();
    case 'PARTNER_EVENT':
      return typeof d.eventType === 'string' ? humanize(d.eventType) : 'Partner event';
    case 'DECISION':
      return decisions[String(d.decision)] ?? humanize(String(d.decision ?? 'decision'));
    case 'SIDE_EFFECT':
      return humanize(String(d.kind ?? 'side effect'));
    default:
      return humanize(String(e.type));
  }
}
