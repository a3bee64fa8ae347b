import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbWorkflowStore } from '../../lambdas/adapters/aws/dynamodb-store';
import { closedBreaker, onFailure } from '../../lambdas/domain/circuit-breaker';
import { main } from '../../scripts/ops';
import { release, System } from '../e2e/support';

/** The ops CLI in-process against the real local runtime, through the AWS SDK. */
describe('npm run ops', () => {
  let system: System;
  let sqs: SQSClient;
  let dir: string;

  beforeAll(async () => {
    const carrier = (carrierId: string, ratePerKg: number) => ({ carrierId, acceptanceRate: 1, silenceRate: 0, responseMinutes: [20, 40] as [number, number], delayRate: 0, failedDeliveryRate: 0, transitHours: 30, ratePerKg });
    system = await System.start({
      scripts: { 'OPS-ORDER': { shortSites: [] }, 'OPS-FIX': { shortSites: [] }, 'OPS-DLQ': { shortSites: [] } },
      carriers: [carrier('GEOD', 0.2), carrier('DBSK', 0.3), carrier('DHLF', 0.4), carrier('RHNS', 0.5)],
    });
    sqs = new SQSClient({ endpoint: system.runtime.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    dir = mkdtempSync(join(tmpdir(), 'ops-test-'));
  });

  afterAll(async () => {
    sqs?.destroy();
    await system?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the CLI with the runtime's endpoint; returns its exit code and what it printed. */
  async function ops(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main([...argv, '--endpoint', system.runtime.endpoint], { out: (t) => out.push(t), err: (t) => err.push(t), env: {} });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function quarantinedById(eventId: string): Promise<Record<string, unknown>> {
    return eventually(async () => (await system.quarantine()).find((q) => JSON.stringify(q.event).includes(eventId)), `quarantine of ${eventId}`);
  }

  async function executionOf(orderId: string) {
    return eventually(async () => {
      try {
        return await system.sfn.send(new DescribeExecutionCommand({ executionArn: system.executionArn(orderId) }));
      } catch (error) {
        if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
        throw error;
      }
    }, `execution ${orderId}`);
  }

  it('lists an invalid OrderReleased with its reason, redrives it with a corrected detail, and the order runs', async () => {
    const bad = { ...release(system, 'OPS-FIX'), lines: [] };
    await system.publish('OrderReleased', 'erp', bad, 'ops-bad-release');
    const record = await quarantinedById('ops-bad-release');
    const id = String(record.id);

    const list = await ops('quarantine', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/RECEIVED AT\s+CODE\s+DETAIL-TYPE\s+SOURCE/);
    const row = list.out.split('\n').find((l) => l.includes(id))!;
    expect(row).toContain('INVALID');
    expect(row).toContain('OrderReleased');
    expect(row).toContain('logistics.erp');
    expect(row).toContain('detail.data.lines: Too small');
    expect(list.out).toMatch(/By code: .*INVALID \d+/);

    const json = JSON.parse((await ops('quarantine', 'list', '--code', 'INVALID', '--json')).out);
    expect(json.byCode.INVALID).toBeGreaterThanOrEqual(1);
    expect(json.records.every((r: { code: string }) => r.code === 'INVALID')).toBe(true);
    expect(json.records.map((r: { id: string }) => r.id)).toContain(id);

    const show = await ops('quarantine', 'show', id);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.out)).toMatchObject({ id, code: 'INVALID', status: 'QUARANTINED', event: { 'detail-type': 'OrderReleased', detail: { eventId: 'ops-bad-release' } } });

    // Unchanged, it would only be quarantined again: refused, naming the field and the rule.
    const unchanged = await ops('quarantine', 'redrive', id);
    expect(unchanged.code).toBe(1);
    expect(unchanged.err).toContain('would be quarantined again');
    expect(unchanged.err).toContain('detail.data.lines');

    const original = (record.event as { detail: Record<string, unknown> }).detail;
    const fixed = join(dir, 'fixed.json');
    writeFileSync(fixed, JSON.stringify({ ...original, data: release(system, 'OPS-FIX') }));
    const redrive = await ops('quarantine', 'redrive', id, '--detail-file', fixed);
    expect(redrive.err).toBe('');
    expect(redrive.code).toBe(0);
    expect(JSON.parse(redrive.out.slice(0, redrive.out.lastIndexOf('}') + 1))).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    expect(redrive.out).toContain('marked REDRIVEN');

    const execution = await executionOf('OPS-FIX');
    expect(execution.name).toBe('OPS-FIX');
    const after = (await system.quarantine()).find((q) => q.id === id)!;
    expect(after).toMatchObject({ status: 'REDRIVEN', code: 'INVALID', redriveEventId: expect.any(String) });
    expect(after.event).toEqual(record.event); // the record is kept as received

    const again = await ops('quarantine', 'redrive', id, '--detail-file', fixed);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already re-driven');
    expect(((await ops('quarantine', 'list', '--status', 'redriven', '--json')).out)).toContain(id);
  });

  it('refuses to redrive an unknown id, and explains bad options', async () => {
    const unknown = await ops('quarantine', 'redrive', 'no-such-event');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/ID: no quarantined event with id 'no-such-event'/);

    const badCode = await ops('quarantine', 'list', '--code', 'NOPE');
    expect(badCode.code).toBe(2);
    expect(badCode.err).toContain('--code: must be one of');

    const missingFile = await ops('quarantine', 'redrive', 'x', '--detail-file', join(dir, 'missing.json'));
    expect(missingFile.code).toBe(1); // the id is looked up first
    expect((await ops('bogus')).code).toBe(2);
    expect((await ops('order', 'NO-SUCH-ORDER')).err).toContain("order 'NO-SUCH-ORDER' is unknown");
  });

  it('lists the partner circuit breakers and closes one by hand, keeping the reason', async () => {
    const dynamo = new DynamoDBClient({ endpoint: system.runtime.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const store = new DynamoDbWorkflowStore('logistics-orchestrator-workflow', dynamo);
    try {
      // The WMS failed five times within ten minutes: its breaker is open.
      let state = closedBreaker('2026-11-23T07:00:00.000Z');
      for (let i = 0; i < 5; i++) state = onFailure(state, `2026-11-23T07:0${i}:00.000Z`, 'reserveStock: WMS 503');
      expect(state.status).toBe('OPEN');
      expect(await store.saveBreaker('wms', 'wms', state, 0)).toBe(true);

      const listed = await ops('breaker', 'list');
      expect(listed.code).toBe(0);
      expect(listed.out).toMatch(/wms\/wms\s+OPEN\s+probe after 2026-11-23T07:19:00.000Z/);
      expect(listed.out).toContain('reserveStock: WMS 503');

      expect((await ops('breaker', 'reset', 'wms', 'wms')).err).toContain('--reason: required');
      const unknown = await ops('breaker', 'reset', 'carrier', 'NOPE', '--reason', 'x');
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain('breaker carrier/NOPE: no such breaker');

      const reset = await ops('breaker', 'reset', 'wms', 'wms', '--reason', 'WMS team confirmed the fix');
      expect(reset.code).toBe(0);
      expect(reset.out).toContain('OPEN -> CLOSED');
      const after = await store.getBreaker('wms', 'wms');
      expect(after?.state.status).toBe('CLOSED');
      expect(after?.state.timesOpened).toBe(1);
      expect(after?.state.lastError).toMatch(/reset by operator at .*: WMS team confirmed the fix/);
      const json = JSON.parse((await ops('breaker', 'list', '--json')).out) as Array<{ partnerId: string; state: { status: string } }>;
      expect(json.find((b) => b.partnerId === 'wms')?.state.status).toBe('CLOSED');
    } finally {
      dynamo.destroy();
    }
  });

  it('shows where an order is: state, execution and its event log as a timeline', async () => {
    await system.publish('OrderReleased', 'erp', release(system, 'OPS-ORDER'));
    expect((await system.finished('OPS-ORDER')).status).toBe('SUCCEEDED');
    const shown = await ops('order', 'OPS-ORDER');
    expect(shown.err).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('Order OPS-ORDER');
    expect(shown.out).toMatch(/state:\s+stage COMPLETED, status COMPLETED/);
    expect(shown.out).toMatch(/execution:\s+SUCCEEDED/);
    expect(shown.out).toContain('exceptions: none open');
    expect(shown.out).toMatch(/Timeline \(\d+ event\(s\), oldest first\)/);
    expect(shown.out).toMatch(/STAGE_CHANGED\s+system:order-to-ship\s+RELEASED → VALIDATED/);
    const stages = [...shown.out.matchAll(/STAGE_CHANGED.* (\w+) → (\w+)/g)].map((m) => m[2]);
    expect(stages.indexOf('VALIDATED')).toBeLessThan(stages.indexOf('ALLOCATED'));
    expect(stages.indexOf('ALLOCATED')).toBeLessThan(stages.indexOf('TENDERED'));
    expect(stages.at(-1)).toBe('COMPLETED');
    const timeline = shown.out.split('Timeline')[1]!.split('\n').filter((l) => /^\s+\d{4}-/.test(l));
    expect(timeline.length).toBeGreaterThan(5);
    const times = timeline.map((l) => l.trim().split(/\s+/)[0]!);
    expect([...times].sort()).toEqual(times);

    const json = JSON.parse((await ops('order', 'OPS-ORDER', '--json')).out);
    expect(json.execution.status).toBe('SUCCEEDED');
    expect(json.timeline.length).toBe(timeline.length);
  });

  async function queueWithDlq(name: string) {
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const source = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) } }))).QueueUrl!;
    return { source, dlq };
  }

  async function depth(url: string): Promise<number> {
    const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return Number(a.Attributes!.ApproximateNumberOfMessages) + Number(a.Attributes!.ApproximateNumberOfMessagesNotVisible);
  }

  it('lists a dead-letter queue without consuming it and drains it back to its source queue', async () => {
    const { source, dlq } = await queueWithDlq('ops-test-work');
    const bodies = ['one', 'two', 'three'].map((b) => JSON.stringify({ b }));
    for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: body, MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } } }));
    // Received once and not deleted (maxReceiveCount 1): the next receive moves them to the DLQ.
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: source, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: source, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    expect(await depth(dlq)).toBe(3);
    expect(await depth(source)).toBe(0);

    const listed = await ops('dlq', 'list', '--queue', dlq);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('listed 3');
    for (const body of bodies) expect(listed.out).toContain(body);
    expect(listed.out).toContain('kind=test');
    expect(await depth(dlq)).toBe(3); // nothing consumed

    const missing = await ops('dlq', 'drain', '--queue', dlq);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--to / --to-bus');

    const drained = await ops('dlq', 'drain', '--queue', dlq, '--to', source);
    expect(drained.err).toBe('');
    expect(drained.code).toBe(0);
    expect(drained.out).toContain('Moved 3 message(s)');
    expect(await depth(dlq)).toBe(0);
    const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl: source, MaxNumberOfMessages: 10, VisibilityTimeout: 30, MessageAttributeNames: ['All'] }));
    expect((back.Messages ?? []).map((m) => m.Body).sort()).toEqual([...bodies].sort());
    expect(back.Messages![0]!.MessageAttributes?.kind?.StringValue).toBe('test');
  });

  it('drains EventBridge events from a dead-letter queue back onto the bus, leaving what it cannot re-put', async () => {
    const { dlq } = await queueWithDlq('ops-test-events');
    const detail = { schemaVersion: '1', eventId: randomUUID(), correlationId: 'OPS-DLQ', occurredAt: system.now(), producer: 'ops-test', data: release(system, 'OPS-DLQ') };
    const event = { version: '0', id: randomUUID(), 'detail-type': 'OrderReleased', source: 'logistics.erp', account: '000000000000', time: system.now(), region: 'us-east-1', resources: [], detail };
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: JSON.stringify(event) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: 'not an event' }));

    const drained = await ops('dlq', 'drain', '--queue', dlq, '--to-bus');
    expect(drained.code).toBe(1);
    expect(drained.out).toContain('Moved 1 message(s)');
    expect(drained.err).toContain('body: is not JSON');
    expect(await depth(dlq)).toBe(1);
    expect((await executionOf('OPS-DLQ')).name).toBe('OPS-DLQ');
  });
});
