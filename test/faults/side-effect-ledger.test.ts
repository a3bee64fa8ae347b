import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountSideEffects, readLedger, type PartnerCall } from '../../lambdas/adapters/simulators/ledger';
import { World } from '../workflows/world';
import { drain, network, release } from './fault-world';

describe('the partners side-effect ledger (chaos accounting)', () => {
  it('flags a second tender to the same carrier for one order, and a notification sent under two keys', () => {
    const call = (over: Partial<PartnerCall>): PartnerCall => ({ kind: 'tender', orderId: 'O-1', step: 'carrier:C1', key: 'O-1-T1', at: '2026-11-23T08:00:00Z', ...over });
    const out = accountSideEffects([
      call({}),
      call({}), // a retry after a lost answer: same tender id, the carrier books once
      call({ key: 'O-1-T9' }), // a new tender id to the same carrier: a double booking
      call({ kind: 'notification', step: 'customer:SHIPPED', key: 'O-1:SHIPPED' }),
      call({ kind: 'notification', step: 'customer:SHIPPED', key: 'O-1:SHIPPED#2' }),
      call({ kind: 'invoice', step: 'invoice', key: 'O-1' }),
    ]);
    expect(out.byKind.tender).toEqual({ calls: 3, effects: 2, maxPerOrderStep: 2 });
    expect(out.byKind.invoice).toEqual({ calls: 1, effects: 1, maxPerOrderStep: 1 });
    expect(out.deduplicatedByPartner).toBe(1);
    expect(out.duplicates.map((d) => `${d.kind} ${d.step}`)).toEqual(['tender carrier:C1', 'notification customer:SHIPPED']);
  });

  it('records what the partners received when their answers are lost, and shows one effect per order and step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const file = join(dir, 'partners.jsonl');
    const world = await World.create(network({ carrier: { timeoutRate: 0.5 }, finance: { timeoutRate: 0.5 }, notifications: { timeoutRate: 0.25 } }, { sideEffectLedger: file }));
    try {
      const arn = await release(world, 'O-L');
      expect((await world.finish(arn)).status).toBe('SUCCEEDED');
      await drain(world);
      const calls = readLedger(file);
      const out = accountSideEffects(calls);
      // The partners saw the retries after lost answers (more calls than effects) ...
      expect(out.deduplicatedByPartner).toBeGreaterThan(0);
      // ... but each effect once: one tender, one invoice, each notification once.
      expect(out.duplicates).toEqual([]);
      expect(out.byKind.tender?.effects).toBe(1);
      expect(out.byKind.invoice?.effects).toBe(1);
      expect(out.byKind.notification?.maxPerOrderStep).toBe(1);
      expect(calls.every((c) => c.orderId === 'O-L')).toBe(true);
    } finally {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
