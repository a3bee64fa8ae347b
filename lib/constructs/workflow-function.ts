import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { env } from '../../lambdas/manifest';

/** Repository root: handler entries in the manifest are relative to it. */
export const repositoryRoot = path.resolve(__dirname, '..', '..');

/** Namespace of the custom metrics the handlers emit with Powertools Metrics. */
export const metricsNamespace = 'LogisticsOrchestrator';

/** How a function may use the workflow store. */
export type TableAccess = 'read' | 'write' | 'readWrite';

export interface WorkflowFunctionProps {
  /** Handler module, absolute or relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** `POWERTOOLS_SERVICE_NAME`: the `service` dimension of every metric the function emits. */
  readonly serviceName: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Extra environment variables. */
  readonly environment?: Record<string, string>;
  /**
   * Give the function a dead-letter queue (SQS, SSE, TLS only) for events that still fail after
   * Lambda's asynchronous retries. Only meaningful for functions invoked asynchronously
   * (EventBridge targets); synchronous callers (Step Functions, SQS) handle failures themselves.
   * @default false
   */
  readonly asyncDeadLetterQueue?: boolean;
  /**
   * Allow states:SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat, to resume workflows waiting on a
   * task token. AWS does not support resource-level permissions for them, so they are on `*`.
   * @default false
   */
  readonly taskCallbacks?: boolean;
  /** @default - no reserved concurrency (the account's unreserved pool) */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Bundle the handler with esbuild. `false` deploys a stub that throws: for assertion tests, so that
   * synthesizing the stack takes milliseconds and does not need the handler files.
   * @default true
   */
  readonly bundle?: boolean;
}

const stubCode = 'exports.handler = async () => { throw new Error("Synthesized without bundling: this is a test stub"); };';

/**
 * The one Lambda function construct of the project: Node.js 24 on arm64, active tracing, its own
 * log group with retention, a role without AWS managed policies, esbuild bundling (minified, with
 * source maps) and the Powertools environment. Wiring helpers grant and set the matching variable
 * in one call each.
 */
export class WorkflowFunction extends NodejsFunction {
  /** The function's execution role (no managed policies: logs, X-Ray and grants are inline). */
  public readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: WorkflowFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    const deadLetterQueue = props.asyncDeadLetterQueue
      ? new sqs.Queue(scope, `${id}AsyncDlq`, {
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        })
      : undefined;
    const bundle = props.bundle ?? true;
    const entry = path.isAbsolute(props.entry) ? props.entry : path.join(repositoryRoot, props.entry);

    super(scope, id, {
      ...(bundle
        ? {
            entry,
            handler: 'handler',
            projectRoot: repositoryRoot,
            depsLockFilePath: path.join(repositoryRoot, 'package-lock.json'),
            bundling: {
              minify: true,
              sourceMap: true,
              sourcesContent: false,
              target: 'es2022',
              // CommonJS output: esbuild converts the ESM-only packages (@middy/core) while bundling.
              format: OutputFormat.CJS,
              mainFields: ['module', 'main'],
              // The Node.js 24 runtime ships AWS SDK v3.
              externalModules: ['@aws-sdk/*'],
            },
          }
        : { code: lambda.Code.fromInline(stubCode), handler: 'index.handler' }),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      deadLetterQueue,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
        ...(bundle ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
    });
    this.executionRole = role;
    logGroup.grantWrite(role);

    if (props.taskCallbacks) {
      // The token is the authorization: these actions have no resource-level permissions on AWS.
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: ['*'],
        }),
      );
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: props.taskCallbacks
        ? 'Resource "*" only for actions without resource-level permissions: X-Ray trace upload (xray:PutTraceSegments, xray:PutTelemetryRecords) for active tracing, and the Step Functions task-token callbacks states:SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat, which AWS authorizes by the task token.'
        : 'Resource "*" only for X-Ray trace upload (xray:PutTraceSegments, xray:PutTelemetryRecords), which has no resource-level permissions; required by active tracing.',
    });
  }

  /** Sets `TABLE_NAME` and grants read, write or read-write data access to the table and its indexes. */
  public bindTable(table: dynamodb.ITable, access: TableAccess): this {
    this.addEnvironment(env.tableName, table.tableName);
    if (access === 'read') table.grantReadData(this);
    else if (access === 'write') table.grantWriteData(this);
    else table.grantReadWriteData(this);
    const cfnTable = table.node.defaultChild as CfnElement | undefined;
    if (cfnTable) {
      const logicalId = Stack.of(table).resolve(cfnTable.logicalId) as string;
      Validations.of(this.executionRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        reason: `Queries through the global secondary indexes of the workflow store (GSI1 open exceptions by owner, GSI2 orders by status): the wildcard is limited to the indexes of this one table.`,
      });
    }
    return this;
  }

  /** Sets `EVENT_BUS_NAME` and allows events:PutEvents on that bus only. */
  public bindEventBus(bus: events.IEventBus): this {
    this.addEnvironment(env.eventBusName, bus.eventBusName);
    bus.grantPutEventsTo(this);
    return this;
  }
}
