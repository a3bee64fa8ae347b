import { mockClient } from 'aws-sdk-client-mock';
import { DescribeExecutionCommand, ExecutionDoesNotExist, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsInspector } from '../../../lambdas/adapters/aws/step-functions-inspector';
import { makeReconcile, maxResumes, resumedExecutionName, resumePointFor } from '../../../lambdas/tasks/reconcile';
import { defaultSla } from '../../../lambdas/domain/sla';
import type { OrderState } from '../../../lambdas/domain/order';
import type { WorkflowStore } from '../../../lambdas/ports';

describe('reconciler decisions', () => {
  it('resumes each recorded stage at the step after it, and hands the unsafe ones to a person', () => {
    expect(resumePointFor({ stage: 'ALLOCATED' })).toBe('WAVE');
    expect(resumePointFor({ stage: 'TENDERED' })).toBe('LOAD');
    expect(resumePointFor({ stage: 'SHIPPED', carrierId: 'C1', shipmentId: 'SH-1' })).toBe('DELIVERY');
    expect(resumePointFor({ stage: 'SHIPPED' })).toBe('EXCEPTION');
    expect(resumePointFor({ stage: 'CARRIER_CONFIRMED' })).toBe('EXCEPTION');
    expect(resumePointFor({ stage: 'AWAITING_PLANNER' })).toBe('EXCEPTION');
  });

  it('names resumed executions <orderId>-r<n>, counting on from the current one', () => {
    const arn = (name: string) => `arn:aws:states:us-east-1:1:execution:order-to-ship:${name}`;
    expect(resumedExecutionName('O-1', arn('O-1'))).toBe('O-1-r1');
    expect(resumedExecutionName('O-1', arn('O-1-r1'))).toBe('O-1-r2');
    expect(resumedExecutionName('O-1-r1', arn('O-1-r1'))).toBe('O-1-r1-r1');
  });
});

describe('reconciler against Step Functions (mocked SDK for the error paths)', () => {
  const sfn = mockClient(SFNClient);
  afterEach(() => sfn.reset());

  it('treats an execution Step Functions does not know as nothing to do', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    expect(await new StepFunctionsInspector('arn:aws:states:us-east-1:1:stateMachine:m', new SFNClient({})).describe('arn:aws:states:us-east-1:1:execution:m:O-1')).toBeUndefined();
  });

  it('fails the run (so the schedule retries) when DescribeExecution is throttled', async () => {
    sfn.on(DescribeExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(new StepFunctionsInspector('arn:aws:states:us-east-1:1:stateMachine:m', new SFNClient({})).describe('arn:x')).rejects.toThrow('Rate exceeded');
  });

  it('lists the executions that ended since a time, per status, without paging past the workflow\'s 60-day limit', async () => {
    const day = 86_400_000;
    const since = Date.parse('2026-11-23T00:00:00Z');
    const exec = (name: string, startMs: number, stopMs: number) => ({ executionArn: `arn:e:${name}`, name, stateMachineArn: 'arn:m', status: 'FAILED' as const, startDate: new Date(startMs), stopDate: new Date(stopMs) });
    sfn.on(ListExecutionsCommand, { statusFilter: 'FAILED' }).resolves({ executions: [exec('new', since + 1000, since + 2000), exec('old', since - 2 * day, since - day), exec('ancient', since - 90 * day, since - 89 * day)], nextToken: 'more' });
    sfn.on(ListExecutionsCommand, { statusFilter: 'ABORTED' }).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { statusFilter: 'TIMED_OUT' }).resolves({ executions: [] });
    const ended = await new StepFunctionsInspector('arn:m', new SFNClient({})).listEnded(new Date(since).toISOString());
    expect(ended).toEqual([{ executionArn: 'arn:e:new', status: 'FAILED' }]);
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(3);
  });

  it(`hands an order to a person after ${maxResumes} resumed executions ended too`, async () => {
    const order = { summary: { orderId: 'O-1', requestedShipDate: '2026-11-24T08:00:00Z', promisedDeliveryDate: '2026-11-27T08:00:00Z' }, stage: 'ALLOCATED', status: 'RUNNING', version: 4, executionArn: `arn:aws:states:us-east-1:1:execution:m:O-1-r${maxResumes}`, updatedAt: '2026-11-23T08:00:00Z' } as unknown as OrderState;
    const appended: unknown[] = [];
    const store = {
      orderRefsLastUpdatedBetween: async () => [{ orderId: 'O-1', executionArn: order.executionArn }],
      ordersLastUpdatedBetween: async () => [],
      getOrder: async () => order,
      append: async (e: unknown) => (appended.push(e), true),
      updateOrder: async () => order,
    } as unknown as WorkflowStore;
    const started: Array<{ name: string; input: Record<string, unknown> }> = [];
    const reconcile = makeReconcile({
      store,
      sla: defaultSla,
      inspector: { describe: async () => ({ status: 'FAILED', error: 'States.Runtime' }), listEnded: async () => [{ executionArn: order.executionArn!, status: 'FAILED' }] },
      starter: { start: async (r) => (started.push(r as never), { executionArn: `arn:aws:states:us-east-1:1:execution:m:${r.name}`, alreadyStarted: false }) },
    });
    const result = await reconcile({ at: '2026-11-23T12:00:00Z' });
    expect(result.actions).toEqual([expect.objectContaining({ action: 'RAISED_EXCEPTION', resumeFrom: 'EXCEPTION' })]);
    expect(started[0]).toMatchObject({ name: `O-1-r${maxResumes + 1}`, input: { resumeFrom: 'EXCEPTION', failure: { Error: 'ExecutionFAILED' } } });
    expect(appended).toEqual([expect.objectContaining({ type: 'DECISION', details: expect.objectContaining({ decision: 'RAISE_EXCEPTION_FOR_ENDED_EXECUTION' }) })]);
  });

  it('cancels an order on hold whose exception was answered CANCEL after its execution ended, and leaves one still waiting on an answer', async () => {
    const held = (orderId: string) => ({ summary: { orderId, requestedShipDate: '2026-11-24T08:00:00Z', promisedDeliveryDate: '2026-11-27T08:00:00Z' }, stage: 'VALIDATED', status: 'ON_HOLD', version: 3, executionArn: `arn:aws:states:us-east-1:1:execution:m:${orderId}`, updatedAt: '2026-11-23T08:00:00Z' }) as unknown as OrderState;
    const exception = (orderId: string, status: 'OPEN' | 'RESOLVED') => ({ exceptionId: `${orderId}-X`, orderId, category: 'STOCK_SHORT', ownerTeam: 'procurement', status, ...(status === 'RESOLVED' ? { resolution: 'CANCEL', resolvedAt: '2026-11-23T10:00:00Z', resolvedBy: { type: 'person', id: 'procurement-desk' } } : {}) });
    const store = {
      ordersLastUpdatedBetween: async (status: string) => (status === 'ON_HOLD' ? [held('O-ANSWERED'), held('O-WAITING')] : []),
      orderRefsLastUpdatedBetween: async () => [],
      history: async (orderId: string) => [{ type: 'EXCEPTION_RAISED', details: { exceptionId: `${orderId}-X` } }],
      getException: async (id: string) => exception(id.replace(/-X$/, ''), id.startsWith('O-ANSWERED') ? 'RESOLVED' : 'OPEN'),
      append: async () => true,
      updateOrder: async () => undefined,
    } as unknown as WorkflowStore;
    const started: Array<{ name: string; input: Record<string, unknown> }> = [];
    const reconcile = makeReconcile({
      store,
      sla: defaultSla,
      inspector: { describe: async () => ({ status: 'SUCCEEDED' }), listEnded: async () => [] },
      starter: { start: async (r) => (started.push(r as never), { executionArn: `arn:aws:states:us-east-1:1:execution:m:${r.name}`, alreadyStarted: false }) },
    });
    const result = await reconcile({ at: '2026-11-23T12:00:00Z' });
    expect(result.actions).toEqual([expect.objectContaining({ orderId: 'O-ANSWERED', action: 'RESUMED', resumeFrom: 'CANCEL' })]);
    expect(started).toEqual([expect.objectContaining({ name: 'O-ANSWERED-r1', input: expect.objectContaining({ resumeFrom: 'CANCEL', reason: expect.stringContaining('STOCK_SHORT answered CANCEL') }) })]);
  });

  it('rejects a run without a valid time, naming the field', async () => {
    const reconcile = makeReconcile({ store: {} as WorkflowStore, sla: defaultSla, inspector: { describe: async () => undefined, listEnded: async () => [] }, starter: { start: async () => ({ executionArn: '', alreadyStarted: false }) } });
    await expect(reconcile({ at: 'yesterday' })).rejects.toThrow(/^at: /);
  });
});
