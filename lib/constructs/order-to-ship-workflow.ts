import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  arnPlaceholder,
  env,
  functions as functionSpecs,
  queues as queueSpecs,
  schedules as scheduleSpecs,
  type Access,
  type FunctionSpec,
  type QueueSpec,
  type ScheduleSpec,
  type SystemName,
  rootCauseSummaryFunctions,
} from '../../lambdas/manifest';
import { orderToShipRoutes, type Route } from '../../statemachines/routes';
import { integrationOf, placeholdersOf, taskResourcesOf } from '../asl';
import type { SystemConfig } from '../config';
import { SandboxSimulators } from './sandbox-simulators';
import { repositoryRoot, WorkflowFunction } from './workflow-function';

/** `POWERTOOLS_SERVICE_NAME` of the workflow's functions: the `service` dimension of their metrics. */
export const orderToShipServiceName = 'order-to-ship';

export interface OrderToShipWorkflowProps {
  /** The workflow store. */
  readonly table: dynamodb.ITable;
  /** The custom bus the rules listen on and the functions publish to. */
  readonly bus: events.IEventBus;
  /** Dead-letter queue of every rule target (events EventBridge could not deliver). */
  readonly targetDeadLetterQueue: sqs.IQueue;
  /** Adapter mode of each external system. @default - every system in simulator mode */
  readonly systems?: Readonly<Partial<Record<SystemName, SystemConfig>>>;
  /** `SIMULATOR_SEED` of the simulated systems. @default 1 */
  readonly simulatorSeed?: number;
  /** ASL of the workflow. @default statemachines/order-to-ship.asl.json */
  readonly definitionPath?: string;
  /** Routes from the bus to the workflow. @default statemachines/order-to-ship.routes.json */
  readonly routes?: readonly Route[];
  /** Functions of the workflow. @default the functions of lambdas/manifest.ts */
  readonly functionSpecs?: readonly FunctionSpec[];
  /** Queues of the workflow. @default the queues of lambdas/manifest.ts */
  readonly queueSpecs?: readonly QueueSpec[];
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Bundle the handlers with esbuild; `false` deploys stubs (assertion tests). @default true */
  readonly bundle?: boolean;
  /** Schedule group of the simulators' delayed answers (sandbox mode). @default 'sandbox-simulators' */
  readonly simulatorScheduleGroupName?: string;
  /**
   * Bedrock model id for root-cause summaries in exception and incident messages: the functions
   * that raise exceptions get it as `ROOT_CAUSE_MODEL_ID` and may call bedrock:InvokeModel on that
   * one foundation model. @default undefined (template summaries, no Bedrock access)
   */
  readonly rootCauseModelId?: string;
  /** Recurring schedules (EventBridge Scheduler). @default the manifest's schedules */
  readonly scheduleSpecs?: readonly ScheduleSpec[];
  /** Delivery attempts of EventBridge to a rule target before the event goes to the dead-letter queue. @default 20 */
  readonly targetRetryAttempts?: number;
  /** Age after which EventBridge stops retrying a rule target. @default Duration.hours(4) */
  readonly targetMaxEventAge?: Duration;
}

function hasAccess(spec: FunctionSpec, access: Exclude<Access, { system: SystemName }>): boolean {
  return spec.access.includes(access);
}

function systemsOf(spec: FunctionSpec): SystemName[] {
  return spec.access.flatMap((a) => (typeof a === 'object' ? [a.system] : []));
}

/**
 * Everything of the order-to-ship workflow: its task functions with least-privilege grants derived
 * from the manifest's access lists, its queues and their consumers, the EventBridge rules from the
 * routes file, and the Standard state machine defined by the ASL file.
 */
export class OrderToShipWorkflow extends Construct {
  public readonly functions: Readonly<Record<string, WorkflowFunction>>;
  public readonly queues: Readonly<Record<string, sqs.Queue>>;
  /** Dead-letter queue of each manifest queue, by queue id. */
  public readonly queueDeadLetterQueues: Readonly<Record<string, sqs.Queue>>;
  public readonly rules: Readonly<Record<string, events.Rule>>;
  /** EventBridge Scheduler schedules of the manifest's scheduled functions, by schedule id. */
  public readonly schedules: Readonly<Record<string, scheduler.CfnSchedule>>;
  public readonly stateMachine: sfn.StateMachine;
  public readonly stateMachineLogGroup: logs.LogGroup;
  /** Ids of the functions the ASL invokes (the state machine may invoke these and no others). */
  public readonly invokedFunctionIds: readonly string[];
  /**
   * The simulators' schedule group and scheduler role; only when a `simulator:schedule` function uses
   * a system in simulator mode (sandbox), undefined when every such system is in http mode.
   */
  public readonly sandboxSimulators?: SandboxSimulators;
  /** Every dead-letter queue this workflow owns (queue DLQs and asynchronous-invocation DLQs), by a readable name. */
  public readonly deadLetterQueues: ReadonlyArray<{ readonly name: string; readonly queue: sqs.IQueue }>;

  constructor(scope: Construct, id: string, props: OrderToShipWorkflowProps) {
    super(scope, id);
    const specs: readonly FunctionSpec[] = props.functionSpecs ?? functionSpecs;
    const routes = props.routes ?? orderToShipRoutes;
    const definitionPath = props.definitionPath ?? path.join(repositoryRoot, 'statemachines', 'order-to-ship.asl.json');
    const systemConfigs = props.systems ?? {};
    const modeOf = (s: SystemName): SystemConfig => systemConfigs[s] ?? { mode: 'simulator' };
    const queueList: readonly QueueSpec[] = props.queueSpecs ?? queueSpecs;
    const specIds = new Set(specs.map((s) => s.id));
    const deadLetterQueues: Array<{ name: string; queue: sqs.IQueue }> = [];

    this.checkRoutes(routes, specIds, new Set(queueList.map((q) => q.id)));

    // Queues (each with its dead-letter queue); their consumers are wired once the functions exist.
    const queues: Record<string, sqs.Queue> = {};
    const queueDlqs: Record<string, sqs.Queue> = {};
    for (const q of queueList) {
      if (!specIds.has(q.consumer)) throw new Error(`Queue ${q.id}: consumer ${q.consumer} is not a function of the manifest`);
      const dlq = new sqs.Queue(this, `${q.id}Dlq`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      queueDlqs[q.id] = dlq;
      deadLetterQueues.push({ name: `${q.id}Dlq`, queue: dlq });
      queues[q.id] = new sqs.Queue(this, q.id, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(q.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: dlq, maxReceiveCount: q.maxReceiveCount },
      });
    }

    // Functions invoked asynchronously (rule targets, schedule targets) get a dead-letter queue for failed invocations.
    const scheduleList: readonly ScheduleSpec[] = props.scheduleSpecs ?? scheduleSpecs;
    for (const sc of scheduleList) if (!specIds.has(sc.function)) throw new Error(`Schedule ${sc.id}: function ${sc.function} is not a function of the manifest`);
    const asyncTargets = new Set([...routes.flatMap((r) => ('function' in r.target ? [r.target.function] : [])), ...scheduleList.map((sc) => sc.function)]);
    // A function schedules simulated answers only through the simulators of its own systems: it needs
    // the scheduler when it has `simulator:schedule` and one of its systems is in simulator mode.
    const schedules = (spec: FunctionSpec) => hasAccess(spec, 'simulator:schedule') && systemsOf(spec).some((s) => modeOf(s).mode === 'simulator');
    const sandboxSimulators = specs.some(schedules)
      ? new SandboxSimulators(this, 'SandboxSimulators', { bus: props.bus, scheduleGroupName: props.simulatorScheduleGroupName })
      : undefined;
    this.sandboxSimulators = sandboxSimulators;
    const fns: Record<string, WorkflowFunction> = {};
    for (const spec of specs) {
      const fn = new WorkflowFunction(this, spec.id, {
        entry: spec.entry,
        description: spec.description,
        serviceName: orderToShipServiceName,
        timeout: Duration.seconds(spec.timeoutSeconds ?? 30),
        memorySize: spec.memoryMb ?? 256,
        logRetention: props.logRetention,
        logRemovalPolicy: props.logRemovalPolicy,
        asyncDeadLetterQueue: asyncTargets.has(spec.id),
        taskCallbacks: hasAccess(spec, 'workflow:callback'),
        bundle: props.bundle,
      });
      fns[spec.id] = fn;
      if (fn.deadLetterQueue) deadLetterQueues.push({ name: `${spec.id}AsyncDlq`, queue: fn.deadLetterQueue });

      const read = hasAccess(spec, 'table:read');
      const write = hasAccess(spec, 'table:write');
      if (read || write) fn.bindTable(props.table, read && write ? 'readWrite' : read ? 'read' : 'write');
      if (hasAccess(spec, 'table:orders-by-status')) {
        fn.addEnvironment(env.tableName, props.table.tableName);
        // Orders by status on GSI2; an on-hold order's event log (Query) and its exceptions (GetItem) on the table.
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${props.table.tableArn}/index/GSI2`, props.table.tableArn] }));
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [props.table.tableArn] }));
      }
      if (hasAccess(spec, 'bus:put')) fn.bindEventBus(props.bus);
      if (hasAccess(spec, 'simulator:schedule') && !hasAccess(spec, 'bus:put')) {
        // Answers due within 60 s are put on the bus directly, without a schedule.
        throw new Error(`${spec.id} has access simulator:schedule, which needs bus:put too`);
      }
      if (schedules(spec)) sandboxSimulators!.bindScheduler(fn);
      const usedSystems = systemsOf(spec);
      for (const system of usedSystems) this.bindSystem(fn, system, modeOf(system));
      if (usedSystems.some((s) => modeOf(s).mode === 'simulator')) fn.addEnvironment(env.simulatorSeed, String(props.simulatorSeed ?? 1));
      if (props.rootCauseModelId && rootCauseSummaryFunctions.includes(spec.id)) {
        fn.addEnvironment(env.rootCauseModelId, props.rootCauseModelId);
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['bedrock:InvokeModel'],
            resources: [Stack.of(this).formatArn({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: props.rootCauseModelId })],
          }),
        );
      }
    }
    this.functions = fns;

    for (const q of queueList) {
      const consumer = fns[q.consumer];
      if (q.visibilityTimeoutSeconds < consumer.timeout!.toSeconds()) {
        throw new Error(`Queue ${q.id}: visibility timeout (${q.visibilityTimeoutSeconds}s) must be at least the timeout of ${q.consumer} (${consumer.timeout!.toSeconds()}s)`);
      }
      consumer.addEventSource(
        new SqsEventSource(queues[q.id], {
          batchSize: q.batchSize,
          maxConcurrency: q.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
    }
    this.queues = queues;
    this.queueDeadLetterQueues = queueDlqs;

    // The state machine, from the ASL file; every placeholder must be filled.
    const aslText = fs.readFileSync(definitionPath, 'utf8');
    const substitutable: Record<string, string> = {
      ...Object.fromEntries(specs.map((s) => [arnPlaceholder(s.id), fns[s.id].functionArn])),
      TableName: props.table.tableName,
      TableArn: props.table.tableArn,
      EventBusName: props.bus.eventBusName,
      EventBusArn: props.bus.eventBusArn,
    };
    const placeholders = placeholdersOf(aslText);
    const unfilled = placeholders.filter((p) => !(p in substitutable));
    if (unfilled.length > 0) {
      throw new Error(
        `${path.relative(repositoryRoot, definitionPath)} uses placeholder(s) that nothing fills: ${unfilled.map((p) => '${' + p + '}').join(', ')}. ` +
          `Fillable: ${Object.keys(substitutable).map((p) => '${' + p + '}').join(', ')} (function placeholders are \${<Id>FunctionArn} for the ids in lambdas/manifest.ts).`,
      );
    }
    this.invokedFunctionIds = specs.map((s) => s.id).filter((fid) => placeholders.includes(arnPlaceholder(fid)));

    this.stateMachineLogGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs resource policies small (AWS recommendation for vended logs).
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-order-to-ship`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromFile(definitionPath),
      definitionSubstitutions: Object.fromEntries(placeholders.map((p) => [p, substitutable[p]])),
      stateMachineType: sfn.StateMachineType.STANDARD,
      logs: { destination: this.stateMachineLogGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
      comment: 'Order to ship: validate, allocate, wave, plan, tender, ship, deliver, invoice',
    });
    this.grantTaskIntegrations(JSON.parse(aslText), props);
    if (this.invokedFunctionIds.length > 0) {
      // Unqualified ARNs only: the ASL invokes $LATEST, so no `:*` version wildcard is needed.
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: this.invokedFunctionIds.map((fid) => fns[fid].functionArn),
        }),
      );
    }
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource "*" only for actions without resource-level permissions that AWS requires for state machine observability: X-Ray (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) and CloudWatch Logs vended-log delivery (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups).',
    });

    for (const spec of specs) {
      if (!hasAccess(spec, 'workflow:start')) continue;
      fns[spec.id].addEnvironment(env.stateMachineArn, this.stateMachine.stateMachineArn);
      this.stateMachine.grantStartExecution(fns[spec.id]);
    }
    for (const spec of specs) {
      if (!hasAccess(spec, 'workflow:describe')) continue;
      this.grantDescribeExecutions(fns[spec.id]);
    }
    this.schedules = Object.fromEntries(scheduleList.map((sc) => [sc.id, this.scheduleFunction(sc, fns[sc.function], deadLetterQueues)]));

    // Rules: the routes' patterns go to CloudFormation verbatim (anything-but, $or, ... untouched).
    const rules: Record<string, events.Rule> = {};
    const targetOptions = {
      deadLetterQueue: props.targetDeadLetterQueue,
      retryAttempts: props.targetRetryAttempts ?? 20,
      maxEventAge: props.targetMaxEventAge ?? Duration.hours(4),
    };
    for (const route of routes) {
      const rule = new events.Rule(this, route.id, {
        eventBus: props.bus,
        description: route.description,
        eventPattern: route.eventPattern as events.EventPattern,
        targets: [
          'queue' in route.target
            ? new targets.SqsQueue(queues[route.target.queue], targetOptions)
            : new targets.LambdaFunction(fns[route.target.function], targetOptions),
        ],
      });
      (rule.node.defaultChild as events.CfnRule).addPropertyOverride('EventPattern', structuredClone(route.eventPattern));
      rules[route.id] = rule;
    }
    this.rules = rules;
    this.deadLetterQueues = deadLetterQueues;
  }

  /** states:ListExecutions on this state machine and states:DescribeExecution on its executions only (the reconciler). */
  private grantDescribeExecutions(fn: WorkflowFunction): void {
    const stack = Stack.of(this);
    const executions = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${this.stateMachine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    fn.addEnvironment(env.stateMachineArn, this.stateMachine.stateMachineArn);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [this.stateMachine.stateMachineArn] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }));
    const machineId = stack.resolve((this.stateMachine.node.defaultChild as sfn.CfnStateMachine).logicalId) as string;
    Validations.of(fn.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${machineId}.Name>:*]`,
      reason: 'DescribeExecution on the executions of the order-to-ship state machine only: execution names are order ids, unknown in advance.',
    });
  }

  /**
   * An EventBridge Scheduler schedule that invokes a function every `everyMinutes` with the
   * manifest's input and `at` = the scheduled time, with retries, a dead-letter queue (alarmed with
   * the others) and a role that may invoke that one function and send to that one queue.
   */
  private scheduleFunction(sc: ScheduleSpec, fn: WorkflowFunction, deadLetterQueues: Array<{ name: string; queue: sqs.IQueue }>): scheduler.CfnSchedule {
    const dlq = new sqs.Queue(this, `${sc.id}Dlq`, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(dlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of a Scheduler target; its depth is alarmed instead.',
    });
    deadLetterQueues.push({ name: `${sc.id}Dlq`, queue: dlq });
    const role = new iam.Role(this, `${sc.id}Role`, {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: `Lets EventBridge Scheduler invoke ${sc.function} (${sc.id}) and dead-letter failed invocations`,
    });
    // The unqualified function only (grantInvoke would add its versions, `<arn>:*`).
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
    dlq.grantSendMessages(role);
    return new scheduler.CfnSchedule(this, sc.id, {
      description: sc.description,
      scheduleExpression: `rate(${sc.everyMinutes} minutes)`,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: fn.functionArn,
        roleArn: role.roleArn,
        // The function's business time is the scheduled time (Scheduler's context attribute).
        input: JSON.stringify({ ...sc.input, at: '<aws.scheduler.scheduled-time>' }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: sc.everyMinutes * 60 },
        deadLetterConfig: { arn: dlq.queueArn },
      },
    });
  }

  /** Sets `<SYSTEM>_MODE`, and in http mode the endpoint, the credential's name and read access to that credential only. */
  private bindSystem(fn: WorkflowFunction, system: SystemName, config: SystemConfig): void {
    fn.addEnvironment(env.systemMode(system), config.mode);
    if (config.mode !== 'http') return;
    fn.addEnvironment(env.systemEndpoint(system), config.endpoint);
    fn.addEnvironment(env.systemSecret(system), config.secretName);
    const stack = Stack.of(this);
    if (config.credentials.kind === 'secretsmanager') {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          // Secrets Manager appends six random characters to a secret's ARN.
          resources: [
            stack.formatArn({
              service: 'secretsmanager',
              resource: 'secret',
              resourceName: `${config.credentials.secretName}-??????`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
    } else {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ssm:GetParameter'],
          resources: [
            stack.formatArn({
              service: 'ssm',
              resource: 'parameter',
              resourceName: config.credentials.parameterName.replace(/^\//, ''),
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          ],
        }),
      );
    }
  }

  /** Grants the state machine the direct service integrations its Task states call (Lambda is granted separately). */
  private grantTaskIntegrations(definition: unknown, props: OrderToShipWorkflowProps): void {
    const dynamoActions = new Set<string>();
    for (const { state, resource } of taskResourcesOf(definition)) {
      if (/^\$\{[A-Za-z0-9]+FunctionArn\}$/.test(resource)) continue;
      const integration = integrationOf(resource);
      if (integration?.service === 'lambda' && integration.action === 'invoke') continue;
      if (integration?.service === 'events' && integration.action === 'putEvents') {
        props.bus.grantPutEventsTo(this.stateMachine);
        continue;
      }
      if (integration?.service === 'dynamodb' && ['getItem', 'putItem', 'updateItem', 'deleteItem', 'query'].includes(integration.action)) {
        dynamoActions.add(`dynamodb:${integration.action[0].toUpperCase()}${integration.action.slice(1)}`);
        continue;
      }
      throw new Error(
        `State "${state}" calls ${resource}, which OrderToShipWorkflow does not grant: supported are lambda:invoke, events:putEvents and dynamodb getItem/putItem/updateItem/deleteItem/query. Add the grant in lib/constructs/order-to-ship-workflow.ts.`,
      );
    }
    if (dynamoActions.size > 0) {
      const tableArn = props.table.tableArn;
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [...dynamoActions].sort(),
          resources: dynamoActions.has('dynamodb:Query') ? [tableArn, `${tableArn}/index/GSI1`, `${tableArn}/index/GSI2`] : [tableArn],
        }),
      );
    }
  }

  private checkRoutes(routes: readonly Route[], functionIds: ReadonlySet<string>, queueIds: ReadonlySet<string>): void {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const r of routes) {
      if (seen.has(r.id)) problems.push(`route ${r.id} is declared twice`);
      seen.add(r.id);
      if ('queue' in r.target && !queueIds.has(r.target.queue)) problems.push(`route ${r.id} targets unknown queue ${r.target.queue}`);
      if ('function' in r.target && !functionIds.has(r.target.function)) problems.push(`route ${r.id} targets unknown function ${r.target.function}`);
    }
    if (problems.length > 0) throw new Error(`Invalid routes: ${problems.join('; ')}`);
  }
}
