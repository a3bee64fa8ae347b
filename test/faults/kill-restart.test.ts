import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChaos } from '../../local/chaos/run';

describe('continuity: the local runtime killed with SIGKILL in the middle of a scenario and restarted', () => {
  it('still accounts for every released order, with no side effect twice and nothing accepted lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
    try {
      // 40 orders with every fault on; the runtime is killed once half of them are released.
      const report = await runChaos({ orders: 40, seed: 42, killAt: 0.5, dataDir: join(dir, 'data'), timeoutSeconds: 100 });

      expect(report.kills).toHaveLength(1);
      expect(report.kills[0]!.afterReleased).toBeGreaterThanOrEqual(20);
      expect(report.kills[0]!.afterReleased).toBeLessThan(40);
      // Every release the ERP was promised reached the orchestrator after the restart (none NOT_STARTED) ...
      expect(report.released).toBe(40);
      expect(report.lostOrders).toEqual([]);
      // ... each ended completed, cancelled or with an open exception and an owner ...
      expect(report.lost).toBe(0);
      expect(report.completed).toBeGreaterThan(0);
      // ... and the partners saw each tender, invoice and notification at most once per order and step.
      expect(report.duplicateSideEffectList).toEqual([]);
      expect(report.sideEffects.invoice?.maxPerOrderStep).toBe(1);
      expect(report.sideEffects.tender?.maxPerOrderStep).toBe(1);
      // (A dead-lettered event is not lost: it waits in the DLQ with its error for `ops dlq drain`. The
      // notifications outage can put one there: see docs/operations.md, "Chaos run".)
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
