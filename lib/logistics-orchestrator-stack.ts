import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StackConfig } from './config';
import { EventBackbone } from './constructs/event-backbone';
import { OperationsAlarms } from './constructs/operations-alarms';
import { OperationsDashboard } from './constructs/operations-dashboard';
import { OrderToShipWorkflow, orderToShipServiceName } from './constructs/order-to-ship-workflow';
import { WorkflowStore } from './constructs/workflow-store';
import { metricsNamespace } from './constructs/workflow-function';

export interface LogisticsOrchestratorStackProps extends StackProps {
  /** Validated configuration (see lib/config.ts). */
  readonly config: StackConfig;
  /** Bundle the handlers with esbuild; `false` deploys stubs (assertion tests). @default true */
  readonly bundle?: boolean;
  /** ASL of the order-to-ship workflow. @default statemachines/order-to-ship.asl.json */
  readonly orderToShipDefinitionPath?: string;
}

/** The logistics orchestrator: event backbone, workflow store, the order-to-ship workflow and its alarms. */
export class LogisticsOrchestratorStack extends Stack {
  public readonly backbone: EventBackbone;
  public readonly store: WorkflowStore;
  public readonly orderToShip: OrderToShipWorkflow;
  public readonly alarms: OperationsAlarms;
  public readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: LogisticsOrchestratorStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRemovalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.backbone = new EventBackbone(this, 'EventBackbone', {
      eventBusName: config.eventBusName,
      archiveRetentionDays: config.archiveRetentionDays,
    });
    this.store = new WorkflowStore(this, 'WorkflowStore', { retainData: config.retainData });
    this.orderToShip = new OrderToShipWorkflow(this, 'OrderToShip', {
      table: this.store.table,
      bus: this.backbone.bus,
      targetDeadLetterQueue: this.backbone.deadLetterQueue,
      systems: config.systems,
      simulatorSeed: config.simulatorSeed,
      rootCauseModelId: config.rootCauseModelId,
      definitionPath: props.orderToShipDefinitionPath,
      logRetention: config.logRetentionDays as logs.RetentionDays,
      logRemovalPolicy,
      bundle: props.bundle,
    });
    this.alarms = new OperationsAlarms(this, 'OperationsAlarms', {
      stateMachine: this.orderToShip.stateMachine,
      deadLetterQueues: [{ name: 'EventTargetDlq', queue: this.backbone.deadLetterQueue }, ...this.orderToShip.deadLetterQueues],
      serviceName: orderToShipServiceName,
      waitTimedOutThreshold: config.waitTimedOutAlarmThreshold,
      alarmEmail: config.alarmEmail,
    });
    this.dashboard = new OperationsDashboard(this, 'OperationsDashboard', { namespace: metricsNamespace, serviceName: orderToShipServiceName, alarmTopic: this.alarms.topic });
  }
}
