import { simulationProfile, type SimulationProfile } from '../../lambdas/adapters/simulators/profile';
import { withCircuitBreakers } from '../../lambdas/adapters/circuit-breakers';
import { createSimulatedSystems, type SentNotification } from '../../lambdas/adapters/simulators/simulators';
import { defaultSla } from '../../lambdas/domain/sla';
import type { OrchestratorEvent, PartnerEvent, TaskCallbacks } from '../../lambdas/ports';
import type { TaskDeps } from '../../lambdas/tasks/deps';
import { makeAwaitEvent } from '../../lambdas/tasks/await-event';
import { makeCancelOrder } from '../../lambdas/tasks/cancel-order';
import { makeCheckInventory } from '../../lambdas/tasks/check-inventory';
import { makeCorrelateEvent, type CorrelationResult } from '../../lambdas/tasks/correlate-event';
import { makeCreateWave } from '../../lambdas/tasks/create-wave';
import { makeDecide, type DecideOptions } from '../../lambdas/tasks/decide';
import { makeNotifyCustomer } from '../../lambdas/tasks/notify-customer';
import { makePlanLoad } from '../../lambdas/tasks/plan-load';
import { makeRaiseException } from '../../lambdas/tasks/raise-exception';
import { makeRecordStage } from '../../lambdas/tasks/record-stage';
import { makeReleaseInvoice } from '../../lambdas/tasks/release-invoice';
import { makeStartOrder } from '../../lambdas/tasks/start-order';
import { makeTenderLoad } from '../../lambdas/tasks/tender-load';
import { makeUpdatePromise } from '../../lambdas/tasks/update-promise';
import { makeValidateOrder } from '../../lambdas/tasks/validate-order';
import { LambdaRunner } from '../../local/lambda/runner';
import { localDefinition } from '../../local/runtime/definition';
import { Engine, MemoryExecutionStore, TestClock, type LambdaInvokeRequest } from '../../local/engine';
import { startDynamo, type LocalDynamo } from '../support/dynalite';
import { busEvent } from '../support/orders';

export const stateMachineName = 'order-to-ship';

/** What people see of an exception they are asked to decide. */
export interface PeopleAsk {
  readonly orderId: string;
  readonly exceptionId: string;
  readonly category: string;
  readonly ownerTeam: string;
}

/**
 * A small fulfilment world for state-machine tests: the real ASL on the local engine with a test
 * clock that skips time, the real task code (as Lambda functions in-process) on dynalite, and
 * simulated partners whose answers arrive as events through the real correlator at their time.
 */
export class World {
  readonly clock = new TestClock({ start: Date.parse('2026-11-23T08:00:00Z') });
  readonly published: OrchestratorEvent[] = [];
  readonly notifications: SentNotification[] = [];
  readonly correlations: Array<{ type: string; result: CorrelationResult }> = [];
  readonly runner = new LambdaRunner();
  engine!: Engine;
  deps!: TaskDeps;
  stateMachineArn!: string;
  private dynamo!: LocalDynamo;

  /** The decision step's scorer and policy (default: the shipped ones). */
  decideOptions: DecideOptions = {};

  static async create(profile: Partial<SimulationProfile> = {}, decideOptions: DecideOptions = {}): Promise<World> {
    const world = new World();
    world.decideOptions = decideOptions;
    await world.init(simulationProfile.parse({ seed: 7, ...profile }));
    return world;
  }

  private async init(profile: SimulationProfile) {
    this.dynamo = await startDynamo();
    const engineRef = () => this.engine;
    const callbacks: TaskCallbacks = {
      async succeed(taskToken, output) {
        try {
          await engineRef().sendTaskSuccess({ taskToken, output: JSON.stringify(output) });
          return true;
        } catch (error) {
          if (['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'].includes((error as Error).name)) return false;
          throw error;
        }
      },
      async fail(taskToken, error, cause) {
        try {
          await engineRef().sendTaskFailure({ taskToken, error, cause });
          return true;
        } catch (e) {
          if (['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'].includes((e as Error).name)) return false;
          throw e;
        }
      },
    };
    const outbox = {
      schedule: async (event: PartnerEvent, dueAt: string) => {
        this.clock.setTimer(Math.max(this.clock.now(), Date.parse(dueAt)), () => void this.deliver(event));
      },
    };
    this.deps = {
      store: this.dynamo.store,
      systems: withCircuitBreakers(createSimulatedSystems(profile, outbox, this.notifications), this.dynamo.store),
      callbacks,
      publisher: {
        publish: async (events) => {
          this.published.push(...events);
          for (const e of events) if (e.detailType === 'ExceptionRaised') this.askPeople(e.detail as { data: PeopleAsk });
        },
      },
      sla: defaultSla,
      telemetry: { count() {} },
    };
    const tasks: Record<string, (input: unknown) => Promise<unknown>> = {
      RecordStage: makeRecordStage(this.deps),
      ValidateOrder: makeValidateOrder(this.deps),
      CheckInventory: makeCheckInventory(this.deps),
      CreateWave: makeCreateWave(this.deps),
      PlanLoad: makePlanLoad(this.deps),
      TenderLoad: makeTenderLoad(this.deps),
      AwaitEvent: makeAwaitEvent(this.deps),
      RaiseException: makeRaiseException(this.deps),
      UpdatePromise: makeUpdatePromise(this.deps),
      ReleaseInvoice: makeReleaseInvoice(this.deps),
      NotifyCustomer: makeNotifyCustomer(this.deps),
      CancelOrder: makeCancelOrder(this.deps),
      Decide: makeDecide(this.deps, this.decideOptions),
    };
    for (const [name, task] of Object.entries(tasks)) this.runner.register({ name, handler: (event) => task(event) });
    this.engine = await Engine.start({
      store: new MemoryExecutionStore(),
      clock: this.clock,
      integrations: {
        invokeLambda: async (request: LambdaInvokeRequest) => this.runner.invoke(request.functionName, request.payload),
      },
    });
    const machine = await this.engine.createStateMachine({ name: stateMachineName, definition: localDefinition((id) => this.runner.arnOf(id)), roleArn: 'arn:aws:iam::000000000000:role/order-to-ship' });
    this.stateMachineArn = machine.stateMachineArn;
  }

  /**
   * A partner or person's event, through the correlator, holding the clock while it is handled.
   * Like an EventBridge target, a failed delivery is retried (a minute later, up to 10 times).
   */
  deliver(event: PartnerEvent, attempt = 0): Promise<CorrelationResult | undefined> {
    const delivery = this.correlate(event, attempt);
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery)).catch(() => undefined);
    return delivery;
  }

  /** Deliveries being handled: the world closes after them (a correlator may still write once the workflow it woke has ended). */
  private readonly inFlight = new Set<Promise<unknown>>();

  /** Waits for the deliveries being handled now (not for those they set off). */
  private handled(): Promise<unknown> {
    return Promise.allSettled([...this.inFlight]);
  }

  private async correlate(event: PartnerEvent, attempt: number): Promise<CorrelationResult | undefined> {
    const release = this.clock.hold();
    try {
      const bus = { ...busEvent(event.detailType as never, event.source.replace('logistics.', '') as never, {}), source: event.source, detail: event.detail };
      const result = await makeCorrelateEvent(this.deps)(bus as never, new Date(this.clock.now()).toISOString());
      this.correlations.push({ type: event.detailType, result });
      return result;
    } catch (error) {
      if (attempt >= 10) throw error;
      this.deliveryFailures.push({ type: event.detailType, error: (error as Error).message });
      this.clock.setTimer(this.clock.now() + 60_000, () => void this.deliver(event, attempt + 1));
      return undefined;
    } finally {
      release();
    }
  }

  /** Deliveries that failed and were retried (what EventBridge's retry policy absorbed). */
  readonly deliveryFailures: Array<{ type: string; error: string }> = [];

  /** Releases an order the way the OrderStarter does (contract check, claim check, start by order id). */
  async release(order: Record<string, unknown>): Promise<string> {
    const release = this.clock.hold();
    try {
      const starter = makeStartOrder({
        store: this.deps.store,
        starter: {
          start: async ({ name, input }) => {
            const out = await this.engine.startExecution({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) });
            return { executionArn: out.executionArn, alreadyStarted: false };
          },
        },
      });
      const now = new Date(this.clock.now()).toISOString();
      const result = await starter(busEvent('OrderReleased', 'erp', order as never, { occurredAt: now }) as never, now);
      if (result.status === 'QUARANTINED') throw new Error(`release quarantined: ${result.reason}`);
      return result.executionArn;
    } finally {
      release();
    }
  }

  /**
   * How people answer exceptions in this world: return a decision (sent 30 minutes later), or
   * undefined to let the exception's SLA run out.
   */
  people: (ask: PeopleAsk) => { resolution: string; extra?: Record<string, unknown> } | undefined = () => undefined;

  private askPeople(detail: { data: PeopleAsk }) {
    const answer = this.people(detail.data);
    if (!answer) return;
    this.clock.setTimer(this.clock.now() + 30 * 60_000, () => void this.decide(detail.data, answer.resolution, answer.extra));
  }

  /** Schedules a partner event at a business time. */
  schedule(event: PartnerEvent, atMs: number): void {
    this.clock.setTimer(atMs, () => void this.deliver(event));
  }

  /** Sends a person's decision on an exception at the current time. */
  async decide(exception: PeopleAsk, resolution: string, extra: Record<string, unknown> = {}): Promise<CorrelationResult | undefined> {
    const orderId = exception.orderId;
    const at = new Date(this.clock.now()).toISOString();
    const isApproval = exception.category === 'CARRIER_CAPACITY' || resolution === 'APPROVE_ALTERNATE_SITE';
    const data = isApproval
      ? { orderId, approvalId: exception.exceptionId, decision: resolution, decidedBy: { type: 'person', id: 'planner-1', role: 'transport-planner' }, ...extra }
      : { orderId, exceptionId: exception.exceptionId, resolution, resolvedBy: { type: 'person', id: 'agent-1', role: exception.ownerTeam }, ...extra };
    return this.deliver({
      source: 'logistics.ops',
      detailType: isApproval ? 'ApprovalDecided' : 'ExceptionResolved',
      detail: { schemaVersion: '1', eventId: `decision-${exception.exceptionId}`, correlationId: orderId, occurredAt: at, producer: 'ops-console', data },
    });
  }

  /** Waits until the execution ends (the test clock skips over every wait on the way). */
  async finish(executionArn: string) {
    const result = await this.engine.waitForExecution(executionArn);
    // The correlator that woke its last step may still be recording (a wait's end): let it finish.
    await this.handled();
    return result;
  }

  /** State names the execution entered, in order. */
  async statesEntered(executionArn: string): Promise<string[]> {
    const history = await this.engine.getExecutionHistory({ executionArn, maxResults: 1000 });
    return (history.events as Array<{ type: string; stateEnteredEventDetails?: { name: string } }>)
      .filter((e) => e.type.endsWith('StateEntered'))
      .map((e) => e.stateEnteredEventDetails!.name);
  }

  /**
   * Waits until nothing is left to happen: partner events being handled (a correlator may still
   * record a wait's end after the workflow it woke has finished) and partner events still scheduled
   * (a finance system's echo of an invoice may come after the order completed). The clock skips to
   * each; gives up after `maxMs` of wall time.
   */
  async settle(maxMs = 20_000) {
    const until = Date.now() + maxMs;
    while (Date.now() < until) {
      await this.handled();
      if (this.inFlight.size === 0 && this.clock.pendingTimers === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`the world did not settle in ${maxMs} ms: ${this.inFlight.size} deliveries in flight, ${this.clock.pendingTimers} timers pending`);
  }

  async close() {
    // Partner events still scheduled on the clock must not fire into a closed world.
    this.clock.pause();
    await this.handled();
    await this.dynamo.close();
  }
}
