import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { metricsNamespace } from './workflow-function';

export interface OperationsAlarmsProps {
  /** The workflow whose failed, aborted and timed-out executions raise alarms. */
  readonly stateMachine: sfn.IStateMachine;
  /** Every dead-letter queue of the stack; a message in any of them raises its alarm. */
  readonly deadLetterQueues: ReadonlyArray<{ readonly name: string; readonly queue: sqs.IQueue }>;
  /** `service` dimension (POWERTOOLS_SERVICE_NAME) under which the handlers emit `WaitTimedOut`. */
  readonly serviceName: string;
  /** Timed-out waits within 5 minutes that raise the WaitTimedOut alarm. @default 1 */
  readonly waitTimedOutThreshold?: number;
  /** Subscribe this address to the alarm topic. @default - no topic; alarms have no action */
  readonly alarmEmail?: string;
}

/**
 * The alarms an operator needs for the workflow: executions that failed, were aborted or timed out;
 * any message in a dead-letter queue; waits that timed out (SLA breaches, emitted by the handlers as
 * the custom metric `WaitTimedOut`). With an alarm email, they notify an SNS topic encrypted with a
 * customer managed key (CloudWatch cannot publish to a topic encrypted with the AWS managed key).
 */
export class OperationsAlarms extends Construct {
  public readonly alarms: readonly cloudwatch.Alarm[];
  public readonly topic?: sns.Topic;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const alarms: cloudwatch.Alarm[] = [];
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string, threshold = 1) => {
      alarms.push(
        new cloudwatch.Alarm(this, alarmId, {
          metric,
          threshold,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription: description,
        }),
      );
    };

    const sm = props.stateMachine;
    alarm('ExecutionsFailed', sm.metricFailed({ period, statistic: 'Sum' }), 'An order-to-ship execution failed: an unhandled error. Find the execution (name = order id) in the Step Functions console, fix the cause, then redrive it.');
    alarm('ExecutionsAborted', sm.metricAborted({ period, statistic: 'Sum' }), 'An order-to-ship execution was stopped (StopExecution). Expected only when someone stops an order by hand; otherwise investigate who stopped it.');
    alarm('ExecutionsTimedOut', sm.metricTimedOut({ period, statistic: 'Sum' }), 'An order-to-ship execution hit its overall timeout. The order is no longer being orchestrated: decide by hand and record the outcome.');

    for (const { name, queue } of props.deadLetterQueues) {
      alarms.push(
        new cloudwatch.Alarm(this, `${name}Depth`, {
          metric: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
          threshold: 0,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          alarmDescription: `Messages are waiting in the dead-letter queue ${name}: events or work items that failed every retry. Inspect them, fix the cause, then redrive (SQS redrive, or EventBridge archive replay).`,
        }),
      );
    }

    // Handlers emit WaitTimedOut with extra dimensions (which wait timed out), and CloudWatch keeps each
    // dimension set apart: a Metrics Insights query sums them all, whatever dimensions are added later.
    alarm(
      'WaitTimedOut',
      new cloudwatch.MathExpression({
        expression: `SELECT SUM(WaitTimedOut) FROM "${metricsNamespace}" WHERE service = '${props.serviceName}'`,
        label: 'Timed-out waits',
        period,
      }),
      'A workflow wait (carrier answer, ship confirmation, delivery, approval) passed its SLA. Each one is also raised as an exception to its owning team; this alarm says the rate needs attention.',
      props.waitTimedOutThreshold ?? 1,
    );
    this.alarms = alarms;

    if (props.alarmEmail) {
      const key = new kms.Key(this, 'TopicKey', {
        description: 'Encrypts the operations alarm topic',
        enableKeyRotation: true,
      });
      // CloudWatch alarms publish to the encrypted topic, so CloudWatch must use the key.
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      );
      this.topic = new sns.Topic(this, 'Topic', {
        displayName: 'Logistics orchestrator alarms',
        masterKey: key,
        enforceSSL: true,
      });
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      const action = new actions.SnsAction(this.topic);
      for (const a of alarms) {
        a.addAlarmAction(action);
        a.addOkAction(action);
      }
    }
  }
}
