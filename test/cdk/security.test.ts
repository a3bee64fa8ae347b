import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { systems } from '../../lambdas/manifest';
import { actionsOf, iamStatements, resourcesOf, synthesize, unacknowledgedNagFindings, type Synthesized } from './helpers';

const dataServices = ['dynamodb', 'sqs', 'events', 'states', 'lambda', 'secretsmanager', 'ssm'];
/** Actions AWS only authorizes on "*" (no resource-level permissions), each acknowledged in cdk-nag with its reason. */
const allowedOnAnyResource = [
  /^xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)$/,
  /^logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$/,
  /^states:(SendTaskSuccess|SendTaskFailure|SendTaskHeartbeat)$/,
];

function acknowledgmentsIn(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason }))),
  );
}

describe('security posture', () => {
  let sandbox: Synthesized;
  let everything: Synthesized;
  let allHttp: Synthesized;
  beforeAll(() => {
    sandbox = synthesize();
    allHttp = synthesize(Object.fromEntries(systems.flatMap((s) => [[`${s}.mode`, 'http'], [`${s}.endpoint`, `https://${s}.example.com`], [`${s}.secretName`, `logistics/${s}`]])));
    everything = synthesize({
      alarmEmail: 'ops@example.com',
      'erp.mode': 'http',
      'erp.endpoint': 'https://erp.example.com',
      'erp.secretName': 'logistics/erp',
      'wms.mode': 'http',
      'wms.endpoint': 'https://wms.example.com',
      'wms.secretName': 'ssm:/logistics/wms',
    });
  });

  it.each([
    ['sandbox mode', () => sandbox],
    ['http mode with an alarm topic', () => everything],
    ['every system in http mode (no simulators)', () => allHttp],
  ])('passes cdk-nag AwsSolutions with no unacknowledged error or warning (%s)', (_name, get) => {
    expect(unacknowledgedNagFindings(get())).toEqual([]);
  });

  it('acknowledges cdk-nag findings one by one on the resource concerned, each with a reason', () => {
    const acks = acknowledgmentsIn(everything.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length).toBeGreaterThan(60);
      expect(everything.stack.node.path === ack.path || ack.path === '').toBe(false);
    }
    // Wildcard findings are acknowledged per finding, never for the whole rule.
    expect(acks.filter((a) => a.id === 'AwsSolutions-IAM5')).toEqual([]);
  });

  it.each([
    ['sandbox mode', () => sandbox],
    ['http mode', () => everything],
  ])('grants no wildcard action on a data service (%s)', (_name, get) => {
    for (const { statement } of iamStatements(get().template)) {
      for (const action of actionsOf(statement)) {
        const [service] = action.split(':');
        if (dataServices.includes(service)) expect({ action, wildcard: action.includes('*') }).toEqual({ action, wildcard: false });
        expect(action).not.toBe('*');
      }
    }
  });

  it.each([
    ['sandbox mode', () => sandbox],
    ['http mode', () => everything],
  ])('grants on Resource "*" only the actions that have no resource-level permissions (%s)', (_name, get) => {
    for (const { statement } of iamStatements(get().template)) {
      if (!resourcesOf(statement).includes('*')) continue;
      for (const action of actionsOf(statement)) {
        expect({ action, allowed: allowedOnAnyResource.some((re) => re.test(action)) }).toEqual({ action, allowed: true });
      }
    }
  });

  it.each([
    ['sandbox mode', () => sandbox],
    ['http mode', () => everything],
  ])('passes only the simulators\' scheduler role, and only to EventBridge Scheduler (%s)', (_name, get) => {
    const passRole = iamStatements(get().template).filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith('iam:')));
    expect(passRole.length).toBeGreaterThan(0);
    for (const { statement } of passRole) {
      expect(statement.Action).toBe('iam:PassRole');
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrderToShipSandboxSimulatorsSchedulerRole/), 'Arn'] });
      expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    }
  });

  it('encrypts every queue, refuses non-TLS access to it, and gives it a dead-letter queue unless it is one', () => {
    const t = sandbox.template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
    const queueIds = Object.keys(t).filter((id) => t[id].Type === 'AWS::SQS::Queue');
    const referencedAsDlq = new Set(
      [...JSON.stringify(Object.values(t).map((r) => [r.Properties?.RedrivePolicy, r.Properties?.DeadLetterConfig, r.Properties?.Targets?.map((x: any) => x.DeadLetterConfig), r.Properties?.Target?.DeadLetterConfig])).matchAll(/"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/g)].map((m) => m[1]),
    );
    expect(queueIds.length).toBe(6); // rule-target DLQ, OrderReleaseQueue and its DLQ, Correlator's and Reconciler's async DLQs, the reconcile schedule's DLQ
    for (const id of queueIds) {
      const q = t[id].Properties;
      expect({ id, sse: q.SqsManagedSseEnabled === true || q.KmsMasterKeyId !== undefined }).toEqual({ id, sse: true });
      expect({ id, hasOrIsDlq: q.RedrivePolicy !== undefined || referencedAsDlq.has(id) }).toEqual({ id, hasOrIsDlq: true });
      const tlsOnly = Object.values(t).some(
        (r) =>
          r.Type === 'AWS::SQS::QueuePolicy' &&
          r.Properties.Queues.some((x: any) => x.Ref === id) &&
          r.Properties.PolicyDocument.Statement.some((s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
      );
      expect({ id, tlsOnly }).toEqual({ id, tlsOnly: true });
    }
  });

  it('keeps the stack environment-agnostic (no account or region pinned, no lookups)', () => {
    expect(Stack.of(sandbox.stack).environment).toBe('aws://unknown-account/unknown-region');
  });
});
