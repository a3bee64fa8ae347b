import { Match } from 'aws-cdk-lib/assertions';
import { synthesize, unacknowledgedNagFindings, type Synthesized } from './helpers';

type Resources = Record<string, { Type: string; Properties: any }>;

describe('the reconciler on AWS (schedule, dead-letter queues, least privilege)', () => {
  let s: Synthesized;
  let resources: Resources;
  const logicalId = (type: string, prefix: string) => Object.keys(resources).find((id) => resources[id]!.Type === type && id.startsWith(prefix))!;
  beforeAll(() => {
    s = synthesize();
    resources = s.template.toJSON().Resources as Resources;
  });

  it('runs the reconciler every 15 minutes through EventBridge Scheduler, with the scheduled time as its business time', () => {
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', 'OrderToShipReconciler'), 'Arn'] },
        Input: Match.serializedJson(Match.objectLike({ at: '<aws.scheduler.scheduled-time>', staleAfterSeconds: 3600 })),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 900 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'OrderToShipReconcileScheduleDlq'), 'Arn'] } },
      },
    });
  });

  it('lets the schedule role invoke the reconciler only (no versions) and send to its own dead-letter queue only', () => {
    const role = logicalId('AWS::IAM::Role', 'OrderToShipReconcileScheduleRole');
    expect(resources[role]!.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: { Ref: string }) => x.Ref === role))!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', 'OrderToShipReconciler'), 'Arn'] } },
      { Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'OrderToShipReconcileScheduleDlq'), 'Arn'] } },
    ]);
  });

  it('gives the reconciler Step Functions and table access for its job and nothing more', () => {
    const fnRole = resources[logicalId('AWS::Lambda::Function', 'OrderToShipReconciler')]!.Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: { Ref: string }) => x.Ref === fnRole))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    const actions = statements.flatMap((st) => [st.Action].flat()).sort();
    expect(actions).toEqual(
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage', 'states:DescribeExecution', 'states:ListExecutions', 'states:StartExecution', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'].sort(),
    );
    // Orders by status on GSI2, and the log of an on-hold order (resumed once its exceptions are answered) on the table.
    const query = statements.find((st) => st.Action === 'dynamodb:Query')!;
    expect(JSON.stringify(query.Resource)).toContain('/index/GSI2');
    expect(query.Resource).toHaveLength(2);
    expect(statements.find((st) => [st.Action].flat().includes('dynamodb:GetItem'))).toBeDefined();
    const describe = statements.find((st) => st.Action === 'states:DescribeExecution')!;
    expect(JSON.stringify(describe.Resource)).toContain(':execution:');
  });

  it('gives every asynchronously invoked function (rule and schedule targets) a dead-letter queue with an alarm', () => {
    const fn = resources[logicalId('AWS::Lambda::Function', 'OrderToShipReconciler')]!;
    const dlq = fn.Properties.DeadLetterConfig.TargetArn['Fn::GetAtt'][0];
    expect(dlq).toMatch(/^OrderToShipReconcilerAsyncDlq/);
    for (const queue of [dlq, logicalId('AWS::SQS::Queue', 'OrderToShipReconcileScheduleDlq')]) {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      });
    }
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    expect(unacknowledgedNagFindings(s)).toEqual([]);
  });
});
