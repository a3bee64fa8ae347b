/**
 * Releases N orders at once (default 10,000) into a fresh in-memory local runtime and reports how the
 * buffer absorbed them: accepted by the bus, started, started twice, lost, peak queue depth and the
 * most concurrent starter invocations. The clock does not move, so workflows run to their first wait.
 *   npx tsx scripts/burst.ts [N] [--max-seconds 1800]
 */
import '../local/quiet-sdk-warning';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { simulationProfile } from '../lambdas/adapters/simulators/profile';
import { TestClock } from '../local/engine';
import { LocalRuntime } from '../local/runtime/runtime';
import { probeStarter, releaseEntry, releaseQueue } from '../local/runtime/starter-probe';
import { orderReleased } from '../test/support/orders';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 10_000);
  const maxIndex = args.indexOf('--max-seconds');
  const maxSeconds = maxIndex >= 0 ? Number(args[maxIndex + 1]) : 1800;
  const queue = releaseQueue;
  const clock = new TestClock({ start: Date.parse('2026-11-23T08:00:00Z'), autoAdvance: false });
  const runtime = await LocalRuntime.start({ port: 0, clock, inMemory: true, handlerEnv: { SIMULATOR_PROFILE: JSON.stringify(simulationProfile.parse({ seed: 7, unknownSkuRate: 0 })) } });
  const events = new EventBridgeClient({ endpoint: runtime.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const probe = probeStarter(runtime);
  const started = probe.started;
  const t0 = Date.now();
  const at = new Date(clock.now()).toISOString();
  const ids = Array.from({ length: count }, (_, i) => `BURST-${String(i + 1).padStart(5, '0')}`);
  let absorbed = 0;
  for (let b = 0; b < ids.length; b += 500) {
    // 50 PutEvents calls of 10 entries in parallel at a time: the whole burst reaches the bus within seconds.
    const chunk = ids.slice(b, b + 500);
    const out = await Promise.all(
      Array.from({ length: Math.ceil(chunk.length / 10) }, (_, i) =>
        events.send(
          new PutEventsCommand({
            Entries: chunk.slice(i * 10, i * 10 + 10).map((orderId) => releaseEntry(orderReleased(orderId), at)),
          }),
        ),
      ),
    );
    absorbed += out.reduce((n, r) => n + (r.Entries?.length ?? 0) - (r.FailedEntryCount ?? 0), 0);
  }
  const absorbedSeconds = (Date.now() - t0) / 1000;
  const line = () => `burst ${count}: absorbed ${absorbed} in ${absorbedSeconds.toFixed(1)} s; started ${started.size}; queue depth ${runtime.sqs.depth(queue.id)} (peak ${probe.peakDepth}); starter in flight max ${probe.maxInFlight}; ${((Date.now() - t0) / 1000).toFixed(0)} s`;
  const deadline = t0 + maxSeconds * 1000;
  let last = 0;
  while ((started.size < count || runtime.sqs.depth(queue.id) > 0 || probe.inFlight > 0) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    if (Date.now() - last > 10_000) {
      process.stderr.write(`${line()}\n`);
      last = Date.now();
    }
  }
  probe.stop();
  const twice = [...started.values()].filter((n) => n > 1).length;
  const startedIds = new Set([...started.keys()].map((arn) => arn.split(':').pop()));
  const notStarted = ids.filter((id) => !startedIds.has(id));
  const dlq = runtime.sqs.depth(`${queue.id}-dlq`);
  const report = {
    released: count,
    absorbed,
    absorbedSeconds,
    started: started.size,
    startedTwice: twice,
    notStartedYet: notStarted.length,
    stillQueued: runtime.sqs.depth(queue.id),
    deadLettered: dlq,
    lost: Math.max(0, notStarted.length - runtime.sqs.depth(queue.id) - probe.inFlight * queue.batchSize) + dlq,
    seconds: (Date.now() - t0) / 1000,
    startsPerSecond: started.size / ((Date.now() - t0) / 1000),
    peakQueueDepth: probe.peakDepth,
    maxConcurrentStarterInvocations: probe.maxInFlight,
    starterMaxConcurrency: queue.maxConcurrency,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  events.destroy();
  await runtime.stop();
  if (report.startedTwice > 0 || report.deadLettered > 0 || (report.notStartedYet > 0 && report.stillQueued === 0 && probe.inFlight === 0)) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
