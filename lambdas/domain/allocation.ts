export interface SiteAvailability {
  readonly siteId: string;
  /** True when the site can ship every line in full. */
  readonly canFulfil: boolean;
  /** Transit distance to the destination, in km (lower is better). */
  readonly distanceKm: number;
  /** Open orders waiting at the site: a proxy for how soon it can ship. */
  readonly queueLength: number;
}

export type AllocationDecision =
  | { readonly outcome: 'ALLOCATED'; readonly siteId: string }
  | { readonly outcome: 'REALLOCATED'; readonly siteId: string; readonly fromSiteId: string; readonly reason: string }
  | { readonly outcome: 'SHORT'; readonly siteId: string; readonly sitesChecked: readonly string[] };

/**
 * The other sites that can ship the order in full (a partial site is a planner's call), best first:
 * closest, with the shorter queue breaking near-ties (within 10%), then the site id.
 */
export function fulfilmentCandidates(assignedSiteId: string, sites: readonly SiteAvailability[]): SiteAvailability[] {
  return sites
    .filter((s) => s.siteId !== assignedSiteId && s.canFulfil)
    .sort((a, b) => {
      const close = Math.abs(a.distanceKm - b.distanceKm) <= 0.1 * Math.min(a.distanceKm, b.distanceKm);
      return close ? a.queueLength - b.queueLength || a.siteId.localeCompare(b.siteId) : a.distanceKm - b.distanceKm;
    });
}

/**
 * Chooses where an order ships from. The assigned site wins when it can ship in full; otherwise the
 * closest other site that can, with queue length breaking near-ties (within 10%). Split shipments are
 * a planner's decision, so a partial site is never chosen automatically.
 */
export function chooseSite(assignedSiteId: string, sites: readonly SiteAvailability[]): AllocationDecision {
  const assigned = sites.find((s) => s.siteId === assignedSiteId);
  if (assigned?.canFulfil) return { outcome: 'ALLOCATED', siteId: assignedSiteId };
  const best = fulfilmentCandidates(assignedSiteId, sites)[0];
  if (best) {
    return {
      outcome: 'REALLOCATED',
      siteId: best.siteId,
      fromSiteId: assignedSiteId,
      reason: `stock short at ${assignedSiteId}; ${best.siteId} can ship in full (${best.distanceKm} km, ${best.queueLength} queued)`,
    };
  }
  return { outcome: 'SHORT', siteId: assignedSiteId, sitesChecked: sites.map((s) => s.siteId) };
}
