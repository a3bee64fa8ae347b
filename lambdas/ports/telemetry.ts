/** Business metrics emitted as the workflow runs (Powertools Metrics on AWS). */
export interface Telemetry {
  /** Counts an occurrence; dimensions are kept few (each distinct combination is a billed CloudWatch metric). */
  count(name: string, value?: number, dimensions?: Readonly<Record<string, string>>): void;
}

export const noTelemetry: Telemetry = { count() {} };
