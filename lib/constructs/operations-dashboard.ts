import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { liveMetricNames as names } from '../../lambdas/insights/live-metrics';

export interface OperationsDashboardProps {
  /** Namespace the handlers emit into (POWERTOOLS_METRICS_NAMESPACE). */
  readonly namespace: string;
  /** `service` dimension (POWERTOOLS_SERVICE_NAME) Powertools adds to every metric. */
  readonly serviceName: string;
  /** Alarm when SLA breaches per released order, over an hour, reach this percentage. @default 10 */
  readonly slaBreachRatePercent?: number;
  /** Notify this topic when an alarm changes state. @default - no action */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * The process-intelligence dashboard: the headline metrics the handlers emit as the workflow runs
 * (lambdas/insights/live-metrics.ts, embedded metric format), and two alarms: the SLA breach rate
 * and exceptions left undecided past their SLA. Per-stage and per-category views use Metrics
 * Insights queries (GROUP BY a dimension), so a new stage or category shows up without a change here.
 */
export class OperationsDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly slaBreachRateAlarm: cloudwatch.Alarm;
  public readonly exceptionsPastSlaAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { namespace, serviceName } = props;
    const hour = Duration.hours(1);
    const day = Duration.days(1);
    const metric = (metricName: string, statistic: string, period: Duration, label?: string) =>
      new cloudwatch.Metric({ namespace, metricName, dimensionsMap: { service: serviceName }, statistic, period, label });
    const insights = (fn: 'SUM' | 'AVG', metricName: string, by: string, label: string, period = hour) =>
      new cloudwatch.MathExpression({
        expression: `SELECT ${fn}(${metricName}) FROM SCHEMA("${namespace}", service, ${by}) WHERE service = '${serviceName}' GROUP BY ${by}`,
        label,
        period,
      });

    // Alarm: SLA breaches per released order in the last hour (a steady-state approximation: the
    // breaches of an hour belong to orders released a little earlier).
    const threshold = props.slaBreachRatePercent ?? 10;
    this.slaBreachRateAlarm = new cloudwatch.Alarm(this, 'SlaBreachRate', {
      metric: new cloudwatch.MathExpression({
        expression: 'IF(FILL(released, 0) > 0, 100 * FILL(breaches, 0) / released, 0)',
        usingMetrics: { breaches: metric(names.slaBreaches, 'Sum', hour), released: metric(names.ordersReleased, 'Sum', hour) },
        label: 'SLA breaches per 100 released orders',
        period: hour,
      }),
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `SLA breaches reached ${threshold} per 100 released orders in the last hour (carrier answers, ship confirmations, deliveries, decisions). Open the operations dashboard: "SLA breaches by stage" shows where; each breach is also an exception with an owner.`,
    });
    // Alarm: an exception's owner did not decide by its due time (the order went on hold).
    this.exceptionsPastSlaAlarm = new cloudwatch.Alarm(this, 'ExceptionsPastSla', {
      metric: metric(names.exceptionOverdue, 'Sum', Duration.minutes(15), 'Exceptions past their SLA'),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'An exception passed its SLA without a decision and its order is on hold. Find it in the workflow table (GSI1, OWNER#<team>, oldest due first) or with `npm run report`, and get the owning team to decide.',
    });
    if (props.alarmTopic) {
      const action = new actions.SnsAction(props.alarmTopic);
      for (const a of [this.slaBreachRateAlarm, this.exceptionsPastSlaAlarm]) {
        a.addAlarmAction(action);
        a.addOkAction(action);
      }
    }

    // Ids of metrics inside expressions must be unique within a widget: derived from name and statistic.
    const idOf = (metricName: string, stat: string) => `${metricName.charAt(0).toLowerCase()}${metricName.slice(1)}_${stat}`;
    const rate = (metricName: string, label: string) => {
      const id = idOf(metricName, 'avg');
      return new cloudwatch.MathExpression({ expression: `100 * ${id}`, usingMetrics: { [id]: metric(metricName, 'Average', day) }, label, period: day });
    };
    const hours = (metricName: string, stat: string, label: string, period = hour) => {
      const id = idOf(metricName, stat);
      return new cloudwatch.MathExpression({ expression: `${id} / 3600`, usingMetrics: { [id]: metric(metricName, stat, period) }, label, period });
    };

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new cloudwatch.TextWidget({
            markdown:
              '## Order-to-ship: where cycle time is lost\nHeadline process metrics emitted as the workflow runs. Per-order detail (variants, exception aging, waiting against working time) comes from the event log: `npm run report`.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new cloudwatch.SingleValueWidget({
            title: 'Last 24 hours',
            metrics: [
              metric(names.ordersReleased, 'Sum', day, 'Released'),
              metric(names.ordersCompleted, 'Sum', day, 'Completed'),
              metric(names.ordersCancelled, 'Sum', day, 'Cancelled'),
              metric(names.slaBreaches, 'Sum', day, 'SLA breaches'),
              metric(names.exceptionOverdue, 'Sum', day, 'Exceptions past SLA'),
              rate(names.shippedOnTime, 'Shipped on time %'),
              rate(names.deliveredOnTime, 'Delivered on time %'),
            ],
            width: 24,
            height: 4,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Order cycle time, released to completed (hours)',
            left: [hours(names.orderCycleTime, 'p50', 'p50'), hours(names.orderCycleTime, 'p90', 'p90'), hours(names.orderCycleTime, 'p99', 'p99')],
            width: 12,
            height: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'Average time per stage (seconds)',
            left: [insights('AVG', names.stageTime, 'stage', 'stage')],
            width: 12,
            height: 6,
          }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'SLA breaches by stage', left: [insights('SUM', names.slaBreached, 'stage', 'stage')], stacked: true, width: 8, height: 6 }),
          new cloudwatch.GraphWidget({ title: 'Exceptions by category', left: [insights('SUM', 'ExceptionRaised', 'category', 'category')], stacked: true, width: 8, height: 6 }),
          new cloudwatch.GraphWidget({ title: 'Exceptions by source system', left: [insights('SUM', names.exceptionBySource, 'sourceSystem', 'source')], stacked: true, width: 8, height: 6 }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Decision latency by role (seconds, average)', left: [insights('AVG', names.decisionLatency, 'role', 'role')], width: 8, height: 6 }),
          new cloudwatch.GraphWidget({
            title: 'Rework',
            left: [metric(names.reTender, 'Sum', hour, 'Re-tenders'), metric(names.reallocation, 'Sum', hour, 'Reallocations')],
            width: 8,
            height: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'Invoice lag after proof of delivery (hours)',
            left: [hours(names.invoiceLag, 'p50', 'p50'), hours(names.invoiceLag, 'p90', 'p90')],
            width: 8,
            height: 6,
          }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Process alarms', alarms: [this.slaBreachRateAlarm, this.exceptionsPastSlaAlarm], width: 24, height: 3 })],
      ],
    });
  }
}
