import type { ExceptionCategory, OwnerTeam, Severity, CustomerPriority } from './order';

export interface ExceptionRoute {
  readonly severity: Severity;
  /** The team that owns the exception and decides. */
  readonly ownerTeam: OwnerTeam;
  /** Teams told about it without owning it (customer service hears of every customer-visible delay). */
  readonly informTeams: readonly OwnerTeam[];
  /** How long the owner has before the exception breaches its SLA and is escalated. */
  readonly slaSeconds: number;
  /** What the owner may answer. */
  readonly resolutions: readonly ('RETRY' | 'CONTINUE' | 'CANCEL' | 'APPROVE_ALTERNATE_CARRIER' | 'EXPEDITE')[];
}

const hour = 3600;

const routes: Record<ExceptionCategory, ExceptionRoute> = {
  DATA_QUALITY: { severity: 'MEDIUM', ownerTeam: 'customer-service', informTeams: [], slaSeconds: 8 * hour, resolutions: ['RETRY', 'CANCEL'] },
  STOCK_SHORT: { severity: 'HIGH', ownerTeam: 'procurement', informTeams: ['customer-service'], slaSeconds: 48 * hour, resolutions: ['RETRY', 'CANCEL'] },
  CARRIER_CAPACITY: {
    severity: 'HIGH',
    ownerTeam: 'transport-planning',
    informTeams: [],
    slaSeconds: 4 * hour,
    resolutions: ['APPROVE_ALTERNATE_CARRIER', 'EXPEDITE', 'CANCEL'],
  },
  SHIPMENT_LATE: { severity: 'HIGH', ownerTeam: 'warehouse-operations', informTeams: ['customer-service'], slaSeconds: 4 * hour, resolutions: ['CONTINUE', 'CANCEL'] },
  DELIVERY_DELAY: { severity: 'MEDIUM', ownerTeam: 'customer-service', informTeams: [], slaSeconds: 24 * hour, resolutions: ['CONTINUE'] },
  DELIVERY_FAILED: { severity: 'HIGH', ownerTeam: 'customer-service', informTeams: ['transport-planning'], slaSeconds: 24 * hour, resolutions: ['CONTINUE', 'CANCEL'] },
  SYSTEM_FAILURE: { severity: 'HIGH', ownerTeam: 'integration-support', informTeams: [], slaSeconds: 2 * hour, resolutions: ['RETRY', 'CANCEL'] },
  CANCELLATION_TOO_LATE: { severity: 'MEDIUM', ownerTeam: 'customer-service', informTeams: [], slaSeconds: 24 * hour, resolutions: ['CONTINUE'] },
  APPROVAL_OVERDUE: { severity: 'CRITICAL', ownerTeam: 'transport-planning', informTeams: ['customer-service'], slaSeconds: 2 * hour, resolutions: ['RETRY', 'CANCEL'] },
};

const raise: Record<Severity, Severity> = { LOW: 'MEDIUM', MEDIUM: 'HIGH', HIGH: 'CRITICAL', CRITICAL: 'CRITICAL' };

/**
 * Classifies and routes an exception: who owns it, who is told, how severe it is and how long the
 * owner has. Express customers' exceptions are one severity higher and get half the time.
 */
export function routeException(category: ExceptionCategory, priority: CustomerPriority): ExceptionRoute {
  const base = routes[category];
  if (priority !== 'EXPRESS') return base;
  return { ...base, severity: raise[base.severity], slaSeconds: Math.round(base.slaSeconds / 2) };
}

/** Exception ids are deterministic per order, category and workflow step, so a retried task raises the same one. */
export function exceptionIdFor(orderId: string, category: ExceptionCategory, stepKey: string): string {
  let h = 0;
  for (const c of stepKey) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return `${orderId}-${category}-${(h >>> 0).toString(36)}`;
}
