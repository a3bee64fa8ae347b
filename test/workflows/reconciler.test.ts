import { makeReconcile, type ReconcileDeps } from '../../lambdas/tasks/reconcile';
import { defaultSla } from '../../lambdas/domain/sla';
import { carriedSla } from '../../lambdas/tasks/record-stage';
import { orderReleased } from '../support/orders';
import { quietNetwork } from './network';
import { World } from './world';

const iso = (ms: number) => new Date(ms).toISOString();

/** The reconciler with the world's engine behind the workflow ports (DescribeExecution, StartExecution by name). */
function reconcilerFor(world: World) {
  const deps: ReconcileDeps = {
    store: world.deps.store,
    sla: defaultSla,
    inspector: {
      async describe(executionArn) {
        const out = await world.engine.describeExecution({ executionArn });
        return { status: out.status as never, ...(out.error ? { error: out.error } : {}) };
      },
      async listEnded(since) {
        const all = await Promise.all(
          (['FAILED', 'ABORTED', 'TIMED_OUT'] as const).map((statusFilter) => world.engine.listExecutions({ stateMachineArn: world.stateMachineArn, statusFilter, maxResults: 1000 })),
        );
        return all.flatMap((page) => page.executions.filter((e) => e.stopDate && new Date(e.stopDate).getTime() >= Date.parse(since)).map((e) => ({ executionArn: e.executionArn, status: e.status as never })));
      },
    },
    starter: {
      async start({ name, input }) {
        const out = await world.engine.startExecution({ stateMachineArn: world.stateMachineArn, name, input: JSON.stringify(input) });
        return { executionArn: out.executionArn, alreadyStarted: false };
      },
    },
  };
  return makeReconcile(deps);
}

describe('the reconciler (continuity)', () => {
  let world: World;
  afterEach(() => world?.close());

  it('resumes an order whose execution was stopped mid-way from its last recorded stage, once, and the order completes', async () => {
    world = await World.create(quietNetwork());
    const start = world.clock.now();
    const arn = await world.release(orderReleased('O-STOPPED', { requestedShipDate: iso(start + 24 * 3600_000), promisedDeliveryDate: iso(start + 4 * 24 * 3600_000) }));
    // Ten minutes in, the order waits for the carrier's answer (due at 30 minutes): someone stops the
    // execution, and the next reconciler run (holding the clock meanwhile) finds the order.
    const reconcile = reconcilerFor(world);
    const runs = new Promise<Array<Awaited<ReturnType<typeof reconcile>>>>((resolve, reject) =>
      world.clock.setTimer(start + 10 * 60_000, () => {
        const release = world.clock.hold();
        (async () => {
          await world.engine.stopExecution({ executionArn: arn, error: 'OperatorStopped', cause: 'stopped by hand' });
          expect((await world.engine.describeExecution({ executionArn: arn })).status).toBe('ABORTED');
          expect(await world.deps.store.getOrder('O-STOPPED')).toMatchObject({ status: 'RUNNING', stage: 'TENDERED' });
          const at = iso(world.clock.now());
          // Run twice (a retried schedule, two overlapping runs): nothing starts twice.
          return [await reconcile({ at, staleAfterSeconds: 300 }), await reconcile({ at, staleAfterSeconds: 300 })];
        })().then(resolve, reject).finally(release);
      }),
    );
    const [first, second] = await runs;
    expect(first!.actions).toEqual([expect.objectContaining({ orderId: 'O-STOPPED', executionStatus: 'ABORTED', action: 'RESUMED', resumeFrom: 'LOAD' })]);
    expect(second!.actions).toEqual([]);

    const resumed = first!.actions[0]!.executionArn;
    expect(resumed.endsWith(':O-STOPPED-r1')).toBe(true);
    expect((await world.finish(resumed)).status).toBe('SUCCEEDED');
    expect(await world.deps.store.getOrder('O-STOPPED')).toMatchObject({ status: 'COMPLETED', stage: 'COMPLETED', carrierId: 'C1' });
    const entered = await world.statesEntered(resumed);
    expect(entered.slice(0, 3)).toEqual(['Start or resume the order?', 'Plan the load', 'Tender load to next carrier']);
    const history = await world.deps.store.history('O-STOPPED');
    expect(history.filter((e) => e.type === 'DECISION' && e.details?.decision === 'RESUME_ENDED_EXECUTION')).toHaveLength(1);
    // The tender sent before the stop was not sent again: one answer, by C1, for one tender.
    expect(world.correlations.filter((c) => c.type === 'TenderAccepted')).toHaveLength(1);
    expect(await world.deps.store.openExceptions()).toEqual([]);
  });

  it('hands an order it cannot resume safely (carrier confirmed, waiting for the goods to leave) to integration support as a SYSTEM_FAILURE', async () => {
    world = await World.create(quietNetwork());
    const start = world.clock.now();
    const arn = await world.release(orderReleased('O-CONFIRMED', { requestedShipDate: iso(start + 24 * 3600_000), promisedDeliveryDate: iso(start + 4 * 24 * 3600_000) }));
    const reconcile = reconcilerFor(world);
    // Two hours in, the carrier has accepted (30 minutes) and the order waits for ship confirmation.
    const run = new Promise<Awaited<ReturnType<typeof reconcile>>>((resolve, reject) =>
      world.clock.setTimer(start + 2 * 3600_000, () => {
        const release = world.clock.hold();
        (async () => {
          await world.engine.stopExecution({ executionArn: arn, error: 'States.Runtime', cause: 'lost' });
          return reconcile({ at: iso(world.clock.now()), staleAfterSeconds: 300 });
        })().then(resolve, reject).finally(release);
      }),
    );
    const result = await run;
    expect(result.actions).toEqual([expect.objectContaining({ orderId: 'O-CONFIRMED', action: 'RAISED_EXCEPTION', resumeFrom: 'EXCEPTION' })]);
    expect((await world.finish(result.actions[0]!.executionArn)).status).toBe('SUCCEEDED');
    const [exception] = (await world.deps.store.openExceptions()).filter((e) => e.orderId === 'O-CONFIRMED');
    expect(exception).toMatchObject({ category: 'SYSTEM_FAILURE', status: 'OPEN', reason: expect.stringContaining('cannot be resumed safely from CARRIER_CONFIRMED') });
    expect(exception!.ownerTeam).toBeTruthy();
    expect(await world.statesEntered(result.actions[0]!.executionArn)).toEqual(expect.arrayContaining(['Start or resume the order?', 'Raise system exception', 'Wait for decision by exception owner']));
  });

  it('leaves orders whose execution is still running alone', async () => {
    world = await World.create(quietNetwork());
    const start = world.clock.now();
    const arn = await world.release(orderReleased('O-RUNNING', { requestedShipDate: iso(start + 24 * 3600_000), promisedDeliveryDate: iso(start + 4 * 24 * 3600_000) }));
    const result = await reconcilerFor(world)({ at: iso(start + 2 * 3600_000), staleAfterSeconds: 60 });
    expect(result).toEqual({ checked: 1, actions: [] });
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
  });
  it('cancels an order resumed with resumeFrom CANCEL (a planner answered CANCEL after the order went on hold)', async () => {
    world = await World.create(quietNetwork());
    const start = world.clock.now();
    const arn = await world.release(orderReleased('O-HELD', { requestedShipDate: iso(start + 24 * 3600_000), promisedDeliveryDate: iso(start + 4 * 24 * 3600_000) }));
    await world.engine.stopExecution({ executionArn: arn, error: 'OperatorStopped', cause: 'stands in for an execution that put the order on hold' });
    const order = (await world.deps.store.getOrder('O-HELD'))!;
    const out = await world.engine.startExecution({
      stateMachineArn: world.stateMachineArn,
      name: 'O-HELD-r1',
      input: JSON.stringify({ orderId: 'O-HELD', resumeFrom: 'CANCEL', resumedStage: order.stage, order: order.summary, sla: carriedSla(order.summary, defaultSla), reason: 'STOCK_SHORT answered CANCEL by procurement-desk after the order went on hold' }),
    });
    expect((await world.finish(out.executionArn)).status).toBe('SUCCEEDED');
    expect(await world.deps.store.getOrder('O-HELD')).toMatchObject({ status: 'CANCELLED' });
  });
});
