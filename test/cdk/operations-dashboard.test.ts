import { Match } from 'aws-cdk-lib/assertions';
import { liveMetricNames } from '../../lambdas/insights/live-metrics';
import { synthesize, unacknowledgedNagFindings, type Synthesized } from './helpers';

/** The dashboard body is a CloudFormation Fn::Join of strings and tokens: flatten it to search it. */
function bodyOf(s: Synthesized): string {
  const dashboards = s.template.findResources('AWS::CloudWatch::Dashboard');
  expect(Object.keys(dashboards)).toHaveLength(1);
  const body = Object.values(dashboards)[0]!.Properties.DashboardBody;
  const flat = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? v.map(flat).join('') : v && typeof v === 'object' ? Object.values(v).map(flat).join('') : '');
  return flat(body);
}

describe('operations dashboard', () => {
  let sandbox: Synthesized;
  let withEmail: Synthesized;
  beforeAll(() => {
    sandbox = synthesize();
    withEmail = synthesize({ alarmEmail: 'ops@example.com' });
  });

  it('shows the headline process metrics the handlers emit, under the service dimension', () => {
    const body = bodyOf(sandbox);
    for (const name of [liveMetricNames.ordersReleased, liveMetricNames.ordersCompleted, liveMetricNames.orderCycleTime, liveMetricNames.slaBreaches, liveMetricNames.shippedOnTime, liveMetricNames.deliveredOnTime, liveMetricNames.invoiceLag, liveMetricNames.reTender]) {
      expect(body).toContain(`"${name}"`);
    }
    expect(body).toContain('SELECT AVG(StageTime) FROM SCHEMA(\\"LogisticsOrchestrator\\", service, stage)');
    expect(body).toContain('GROUP BY category');
    expect(body).toContain('"service","order-to-ship"');
  });

  it('alarms on the SLA breach rate and on exceptions past their SLA', () => {
    sandbox.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 10,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(FILL(released, 0) > 0, 100 * FILL(breaches, 0) / released, 0)' }),
        Match.objectLike({ Id: 'breaches', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'SlaBreaches', Namespace: 'LogisticsOrchestrator' }) }) }),
      ]),
    });
    sandbox.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      Metrics: [Match.objectLike({ MetricStat: { Metric: { MetricName: 'ExceptionOverdue', Namespace: 'LogisticsOrchestrator', Dimensions: [{ Name: 'service', Value: 'order-to-ship' }] }, Period: 900, Stat: 'Sum' } })],
    });
  });

  it('notifies the alarm topic when there is one', () => {
    const alarms = withEmail.template.findResources('AWS::CloudWatch::Alarm');
    const process = Object.entries(alarms).filter(([id]) => id.startsWith('OperationsDashboard'));
    expect(process).toHaveLength(2);
    for (const [, a] of process) expect(a.Properties.AlarmActions).toHaveLength(1);
  });

  it('adds no cdk-nag finding', () => {
    expect(unacknowledgedNagFindings(sandbox).filter((f) => f.includes('OperationsDashboard'))).toEqual([]);
  });
});
