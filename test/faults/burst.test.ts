import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { simulationProfile } from '../../lambdas/adapters/simulators/profile';
import { TestClock } from '../../local/engine';
import { LocalRuntime } from '../../local/runtime/runtime';
import { probeStarter, releaseEntry, releaseQueue } from '../../local/runtime/starter-probe';
import { orderReleased } from '../support/orders';

describe('a burst of order releases (buffered: EventBridge -> SQS -> starter -> StartExecution)', () => {
  it('absorbs 300 releases sent at once (30 of them twice): every order started exactly once, starts bounded by the queue concurrency', async () => {
    // The clock does not move on its own: workflows run to their first wait, which is all this test needs.
    const clock = new TestClock({ start: Date.parse('2026-11-23T08:00:00Z'), autoAdvance: false });
    const runtime = await LocalRuntime.start({
      port: 0,
      clock,
      inMemory: true,
      handlerEnv: { SIMULATOR_PROFILE: JSON.stringify(simulationProfile.parse({ seed: 5, unknownSkuRate: 0 })) },
    });
    const events = new EventBridgeClient({ endpoint: runtime.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    // Measure the starter from outside: concurrent invocations and the queue's depth.
    const probe = probeStarter(runtime, 5);
    const started = probe.started;
    try {
      const at = new Date(clock.now()).toISOString();
      const ids = Array.from({ length: 300 }, (_, i) => `BURST-${String(i + 1).padStart(4, '0')}`);
      const entry = (orderId: string) => releaseEntry(orderReleased(orderId), at);
      // The ERP re-sends every tenth release (same event id): the starter must not start those twice.
      const entries = [...ids, ...ids.filter((_, i) => i % 10 === 0)].map(entry);
      const batches = Array.from({ length: Math.ceil(entries.length / 10) }, (_, b) => entries.slice(b * 10, b * 10 + 10));
      const results = await Promise.all(batches.map((Entries) => events.send(new PutEventsCommand({ Entries }))));
      expect(results.reduce((n, r) => n + (r.FailedEntryCount ?? 0), 0)).toBe(0);

      // Wait for the starts to finish, or to stop making progress: on a loaded CI machine the starts
      // are slower, not fewer, so the wait is bounded by a stall (no new start for 60 s), not a total.
      let lastProgress = Date.now();
      let seen = 0;
      while ((started.size < ids.length || runtime.sqs.depth(releaseQueue.id) > 0 || probe.inFlight > 0) && Date.now() - lastProgress < 60_000) {
        await new Promise((r) => setTimeout(r, 50));
        if (started.size !== seen) [seen, lastProgress] = [started.size, Date.now()];
      }

      expect(started.size).toBe(ids.length);
      expect([...started.values()].filter((n) => n !== 1)).toEqual([]);
      expect([...started.keys()].map((arn) => arn.split(':').pop()).sort()).toEqual(ids);
      expect(runtime.sqs.depth(`${releaseQueue.id}-dlq`)).toBe(0);
      // The buffer held the burst and the starter never ran more than its maximum concurrency.
      expect(probe.peakDepth).toBeGreaterThan(releaseQueue.maxConcurrency * releaseQueue.batchSize);
      expect(probe.maxInFlight).toBeLessThanOrEqual(releaseQueue.maxConcurrency);
      expect(probe.maxInFlight).toBeGreaterThan(1);
      process.stdout.write(`burst 300 (+30 duplicates): peak queue depth ${probe.peakDepth}, max concurrent starter invocations ${probe.maxInFlight}\n`);
    } finally {
      probe.stop();
      events.destroy();
      await runtime.stop();
    }
  }, 600_000);
});
