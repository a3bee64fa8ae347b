import { Match } from 'aws-cdk-lib/assertions';
import { synthesize, type Synthesized } from './helpers';

describe('operations alarms', () => {
  let sandbox: Synthesized;
  let withEmail: Synthesized;
  beforeAll(() => {
    sandbox = synthesize();
    withEmail = synthesize({ alarmEmail: 'ops@example.com' });
  });

  it.each(['ExecutionsFailed', 'ExecutionsAborted', 'ExecutionsTimedOut'])('alarms on %s of the order-to-ship state machine', (metricName) => {
    sandbox.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: metricName,
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: Match.stringLikeRegexp('^OrderToShipStateMachine') } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms as soon as any dead-letter queue holds a message', () => {
    const t = sandbox.template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
    const queues = Object.entries(t).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
    const dlqs = queues.filter(([, r]) => r.Properties.RedrivePolicy === undefined).map(([id]) => id);
    // rule targets, the manifest queue (OrderReleaseQueue), Correlator's and Reconciler's async invocations, the reconcile schedule's target
    expect(dlqs).toHaveLength(5);
    for (const dlq of dlqs) {
      sandbox.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('alarms on timed-out waits from the custom WaitTimedOut metric the handlers emit', () => {
    // Summed over every dimension set: the handlers add a `wait` dimension naming the wait.
    sandbox.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        Match.objectLike({
          Expression: `SELECT SUM(WaitTimedOut) FROM "LogisticsOrchestrator" WHERE service = 'order-to-ship'`,
          Period: 300,
          ReturnData: true,
        }),
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('has no alarm on the removed simulator outbox', () => {
    expect(Object.keys(sandbox.template.findResources('AWS::CloudWatch::Alarm')).filter((id) => id.includes('SimulatorOutbox'))).toEqual([]);
  });

  it('has no topic and no alarm actions without an alarm email', () => {
    sandbox.template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of Object.values(sandbox.template.findResources('AWS::CloudWatch::Alarm'))) expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  it('with an alarm email, notifies it through a topic encrypted with a rotated key CloudWatch may use', () => {
    withEmail.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OperationsAlarmsTopicKey'), 'Arn'] } });
    withEmail.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    withEmail.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    const alarms = Object.values(withEmail.template.findResources('AWS::CloudWatch::Alarm'));
    // This construct's own alarms (other constructs, such as the dashboard, may add theirs to the topic).
    const own = Object.keys(withEmail.template.findResources('AWS::CloudWatch::Alarm')).filter((id) => id.startsWith('OperationsAlarms'));
    expect(own.length).toBe(9); // 3 execution alarms, 5 dead-letter queues, WaitTimedOut
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OperationsAlarmsTopic/) }]);
  });
});
