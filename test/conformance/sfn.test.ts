/**
 * The AWS-recorded Step Functions conformance cases, run on the engine. Fails (never skips) when
 * the cases file is missing; prints the pass rate per category and the failing ids.
 */
import { formatTable, loadCases, runAll, summarize, type CaseResult } from './sfn-harness';

/** Overall pass rate the suite must keep (the project's target is 98%). */
const REQUIRED_PASS_RATE = 0.98;

describe('Step Functions conformance (AWS-recorded cases)', () => {
  let results: CaseResult[] = [];

  beforeAll(async () => {
    results = await runAll(loadCases());
  }, 300_000);

  it('passes at least the required share of the recorded cases', () => {
    const { passed, total } = summarize(results);
    const failing = results.filter((r) => !r.passed);
    const unemulated = failing.filter((r) => r.needs.some((n) => n === 's3' || n === 'secretsmanager'));
    console.log(
      `${formatTable(results)}\n\nfailing (${failing.length}, of which ${unemulated.length} need s3/secretsmanager, not emulated):\n` +
        failing.map((r) => `- ${r.id}\n    ${r.reason}`).join('\n'),
    );
    expect(total).toBeGreaterThan(0);
    expect(passed / total).toBeGreaterThanOrEqual(REQUIRED_PASS_RATE);
  });
});
