import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { names } from '../../local/runtime/runtime';
import { release, System } from './support';

const carriers = (answers: Record<string, 'ACCEPT' | 'REJECT' | 'SILENT'>) => answers;

describe('the local system through AWS SDK clients only', () => {
  let system: System;
  beforeAll(async () => {
    system = await System.start({
      scripts: {
        'E2E-HAPPY': { shortSites: [] },
        'E2E-REJECT': { carrierAnswers: carriers({ GEOD: 'REJECT', DBSK: 'REJECT', DHLF: 'ACCEPT', RHNS: 'ACCEPT' }) },
        'E2E-SHORT': { shortSites: ['DC-HAM'] },
        'E2E-PLANNER': { carrierAnswers: carriers({ GEOD: 'SILENT', DBSK: 'SILENT', DHLF: 'SILENT', RHNS: 'SILENT' }) },
        'E2E-CANCEL': { carrierAnswers: carriers({ GEOD: 'SILENT', DBSK: 'SILENT', DHLF: 'SILENT', RHNS: 'SILENT' }) },
        'E2E-EARLY': { carrierAnswers: carriers({ GEOD: 'SILENT', DBSK: 'SILENT', DHLF: 'SILENT', RHNS: 'SILENT' }) },
      },
      carriers: [
        { carrierId: 'GEOD', acceptanceRate: 1, silenceRate: 0, responseMinutes: [20, 40], delayRate: 0, failedDeliveryRate: 0, transitHours: 30, ratePerKg: 0.2 },
        { carrierId: 'DBSK', acceptanceRate: 1, silenceRate: 0, responseMinutes: [20, 40], delayRate: 0, failedDeliveryRate: 0, transitHours: 30, ratePerKg: 0.3 },
        { carrierId: 'DHLF', acceptanceRate: 1, silenceRate: 0, responseMinutes: [20, 40], delayRate: 0, failedDeliveryRate: 0, transitHours: 30, ratePerKg: 0.4 },
        { carrierId: 'RHNS', acceptanceRate: 1, silenceRate: 0, responseMinutes: [20, 40], delayRate: 0, failedDeliveryRate: 0, transitHours: 30, ratePerKg: 0.5 },
      ],
    });
  });
  afterAll(() => system?.stop());

  it('runs an order released with PutEvents to delivery and invoice', async () => {
    await system.publish('OrderReleased', 'erp', release(system, 'E2E-HAPPY'));
    expect((await system.finished('E2E-HAPPY')).status).toBe('SUCCEEDED');
    expect(await system.order('E2E-HAPPY')).toMatchObject({ stage: 'COMPLETED', status: 'COMPLETED' });
    expect(await system.statesEntered('E2E-HAPPY')).toEqual(expect.arrayContaining(['Follow shipment to delivery', 'Release invoice', 'Order delivered and invoiced']));
  });

  it('re-tenders when carriers reject until one accepts', async () => {
    await system.publish('OrderReleased', 'erp', release(system, 'E2E-REJECT'));
    expect((await system.finished('E2E-REJECT')).status).toBe('SUCCEEDED');
    expect((await system.statesEntered('E2E-REJECT')).filter((s) => s === 'Tender load to next carrier')).toHaveLength(3);
    expect(await system.order('E2E-REJECT')).toMatchObject({ carrierId: 'DHLF', stage: 'COMPLETED' });
  });

  it('reallocates stock short at the assigned site', async () => {
    await system.publish('OrderReleased', 'erp', release(system, 'E2E-SHORT'));
    expect((await system.finished('E2E-SHORT')).status).toBe('SUCCEEDED');
    const order = await system.order('E2E-SHORT');
    expect((order?.summary as { siteId: string }).siteId).not.toBe('DC-HAM');
    expect(await system.statesEntered('E2E-SHORT')).toContain('Find stock at another site');
  });

  it('lets a planner approve an alternate carrier with SendTaskSuccess after a tender timed out', async () => {
    const desk = await system.deskFor('ApprovalRequested');
    await system.publish('OrderReleased', 'erp', release(system, 'E2E-PLANNER'));
    const { detail, release: leaveDesk } = await desk.next;
    try {
      const approvalId = (detail.data as { approvalId: string }).approvalId;
      // The planner's tool finds the waiting task token by the approval's correlation key.
      let token: string | undefined;
      for (let i = 0; i < 200 && !token; i++) {
        const wait = await system.dynamo.send(new GetItemCommand({ TableName: names.table, Key: { PK: { S: `WAIT#DECISION#${approvalId}` }, SK: { S: 'WAIT' } } }));
        token = wait.Item?.taskToken?.S;
        if (!token) await new Promise((r) => setTimeout(r, 25));
      }
      expect(token).toBeDefined();
      await system.sfn.send(
        new SendTaskSuccessCommand({
          taskToken: token!,
          output: JSON.stringify({ resolution: 'APPROVE_ALTERNATE_CARRIER', carrierId: 'RHNS', decidedBy: { type: 'person', id: 'planner-3', role: 'transport-planner' } }),
        }),
      );
    } finally {
      leaveDesk();
    }
    expect((await system.finished('E2E-PLANNER')).status).toBe('SUCCEEDED');
    const states = await system.statesEntered('E2E-PLANNER');
    // The earlier orders on this lane taught the decision step that DBSK rejects: it recommends DHLF, 33% dearer
    // than the routing guide's next carrier, which is above the decision policy, so the planner is asked after the first timeout.
    expect(states.filter((s) => s === 'Withdraw unanswered tender')).toHaveLength(1);
    expect(states).toContain('Ask planner to approve the recommended carrier');
    expect(states).toContain('Book carrier chosen by planner');
    expect(await system.order('E2E-PLANNER')).toMatchObject({ carrierId: 'RHNS', stage: 'COMPLETED' });
  });

  it('compensates a cancellation before shipment and ends cleanly', async () => {
    const desk = await system.deskFor('OrderStageChanged');
    await system.publish('OrderReleased', 'erp', release(system, 'E2E-CANCEL'));
    // Hold time until the tender is out, then cancel.
    const first = await desk.next;
    first.release();
    for (let i = 0; i < 200; i++) {
      if ((await system.order('E2E-CANCEL'))?.stage === 'TENDERED') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await system.publish('OrderCancelled', 'erp', { orderId: 'E2E-CANCEL', reason: 'Customer cancelled', cancelledBy: { type: 'person', id: 'cs-1' } });
    expect((await system.finished('E2E-CANCEL')).status).toBe('SUCCEEDED');
    expect(await system.order('E2E-CANCEL')).toMatchObject({ status: 'CANCELLED' });
    expect(await system.statesEntered('E2E-CANCEL')).toEqual(expect.arrayContaining(['Cancel order', 'Order cancelled']));
  });

  it('keeps a carrier answer that arrives before the workflow waits for it, and delivers it', async () => {
    // A fast EDI partner answers tender 1 as soon as the order exists, typically before the
    // workflow has registered its wait for the answer (the mailbox keeps it until then).
    await system.publish('OrderReleased', 'erp', release(system, 'E2E-EARLY'));
    for (let i = 0; i < 400 && !(await system.order('E2E-EARLY')); i++) await new Promise((r) => setTimeout(r, 2));
    await system.publish('TenderAccepted', 'carrier', { orderId: 'E2E-EARLY', tenderId: 'E2E-EARLY-T1', loadId: 'LD-E2E-EARLY', carrierId: 'GEOD' });
    expect((await system.finished('E2E-EARLY')).status).toBe('SUCCEEDED');
    const states = await system.statesEntered('E2E-EARLY');
    expect(states.filter((s) => s === 'Tender load to next carrier')).toHaveLength(1);
    expect(states).not.toContain('Withdraw unanswered tender');
    expect(await system.order('E2E-EARLY')).toMatchObject({ carrierId: 'GEOD', stage: 'COMPLETED' });
  });

  it('rejects a malformed event with a clear reason and quarantines an invalid one', async () => {
    const malformed = await system.events.send(
      new PutEventsCommand({ Entries: [{ EventBusName: names.bus, Source: 'logistics.erp', DetailType: 'OrderReleased', Detail: '{"orderId": ' }] }),
    );
    expect(malformed.FailedEntryCount).toBe(1);
    expect(malformed.Entries?.[0]?.ErrorCode).toBe('MalformedDetail');

    await system.publish('OrderReleased', 'erp', { ...release(system, 'E2E-BAD'), lines: [] }, 'bad-release-1');
    let quarantined: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 200 && !quarantined.some((q) => q.id); i++) {
      quarantined = (await system.quarantine()).filter((q) => JSON.stringify(q.event).includes('bad-release-1'));
      if (!quarantined.length) await new Promise((r) => setTimeout(r, 25));
    }
    expect(quarantined[0]).toMatchObject({ code: 'INVALID', detailType: 'OrderReleased' });
    expect(String(quarantined[0]!.reason)).toContain('detail.data.lines: Too small');
    expect(await system.order('E2E-BAD')).toBeUndefined();
  });
});
