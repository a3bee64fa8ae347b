/**
 * Business metrics with dimensions of their own are emitted at once as EMF, each with only its own
 * dimensions (one single-metric object serves every call).
 */
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_DEV = 'false';
import { processMetricSink, telemetry } from '../../lambdas/runtime/handler';

interface Emf {
  _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [k: string]: unknown;
}

function captureEmf(run: () => void): Emf[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines.join('').split('\n').filter((l) => l.includes('CloudWatchMetrics')).map((l) => JSON.parse(l) as Emf);
}

describe('metrics with their own dimensions', () => {
  it('emits each at once with its own dimensions only, none carried over to the next', () => {
    const emitted = captureEmf(() => {
      telemetry.count('ExceptionRaised', 1, { category: 'STOCK_SHORT', ownerTeam: 'procurement' });
      processMetricSink.emit({ name: 'StageCycleTime', unit: 'Seconds', value: 42, dimensions: { stage: 'WAVE_RELEASED' } });
      telemetry.count('Retender', 2, { lane: 'DE-FR' });
    });
    expect(emitted).toHaveLength(3);
    const dims = emitted.map((e) => e._aws.CloudWatchMetrics[0].Dimensions.flat().filter((d) => d !== 'service').sort());
    expect(dims).toEqual([['category', 'ownerTeam'], ['stage'], ['lane']]);
    expect(emitted.map((e) => e._aws.CloudWatchMetrics[0].Metrics.map((m) => `${m.Name}:${m.Unit}`))).toEqual([['ExceptionRaised:Count'], ['StageCycleTime:Seconds'], ['Retender:Count']]);
    expect(emitted[0]).toMatchObject({ category: 'STOCK_SHORT', ownerTeam: 'procurement', ExceptionRaised: 1 });
    expect(emitted[1]).toMatchObject({ stage: 'WAVE_RELEASED', StageCycleTime: 42 });
    expect(emitted[1]).not.toHaveProperty('category');
    expect(emitted[2]).toMatchObject({ lane: 'DE-FR', Retender: 2 });
    expect(emitted[2]).not.toHaveProperty('stage');
  });
});
