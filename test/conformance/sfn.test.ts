/**
 * The AWS-recorded Step Functions conformance cases, run on the engine: one test per case, so a
 * regression names its case. Fails (never skips) when the cases file is missing; prints the pass
 * rate per category at the end.
 */
import { formatTable, loadCases, runAll, type CaseResult } from './sfn-harness';

const cases = loadCases();

describe('Step Functions conformance (AWS-recorded cases)', () => {
  const results = new Map<string, CaseResult>();

  beforeAll(async () => {
    for (const r of await runAll(cases)) results.set(r.id, r);
  }, 300_000);

  afterAll(() => {
    console.log(formatTable([...results.values()]));
  });

  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [`[${c.category}] ${c.id}`, c.id]))('%s', (_title, id) => {
    const r = results.get(id);
    expect(r).toBeDefined();
    expect(r!.passed ? 'passed' : r!.reason).toBe('passed');
  });
});
