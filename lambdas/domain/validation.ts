import type { OrderLine, OrderSummary } from './order';

export interface DataQualityIssue {
  readonly field: string;
  readonly rule: string;
}

/** Master data the ERP knows about an order's items and destination. */
export interface MasterData {
  readonly knownSkus: ReadonlySet<string>;
  readonly servedCountries: ReadonlySet<string>;
}

/**
 * Business checks that a schema cannot express. A failure is a data-quality exception routed to
 * customer service, never a crash of the workflow.
 */
export function checkOrderData(summary: OrderSummary, lines: readonly OrderLine[], master: MasterData): DataQualityIssue[] {
  const issues: DataQualityIssue[] = [];
  if (Date.parse(summary.promisedDeliveryDate) < Date.parse(summary.requestedShipDate)) {
    issues.push({ field: 'promisedDeliveryDate', rule: 'must not be before requestedShipDate' });
  }
  if (!master.servedCountries.has(summary.destinationCountry)) {
    issues.push({ field: 'shipTo.country', rule: `'${summary.destinationCountry}' is not a served destination` });
  }
  const seen = new Set<number>();
  for (const line of lines) {
    if (seen.has(line.lineNo)) issues.push({ field: `lines[${line.lineNo}].lineNo`, rule: 'must be unique within the order' });
    seen.add(line.lineNo);
    if (!master.knownSkus.has(line.sku)) {
      issues.push({ field: `lines[${line.lineNo}].sku`, rule: `'${line.sku}' is not in the item master` });
    }
  }
  return issues;
}
