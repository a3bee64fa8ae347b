import { Match } from 'aws-cdk-lib/assertions';
import { catalog, eventTypes, sources, type EventType } from '../../lambdas/contracts';
import { matchesEventPattern } from '../../local/eventbridge/pattern';
import { orderToShipRoutes } from '../../statemachines/routes';
import routesFile from '../../statemachines/order-to-ship.routes.json';
import { functionResource, synthesize, type Synthesized } from './helpers';

/** Where each event type of the catalog must go: the orchestrator's own events go nowhere (no loops). */
const expectedRoutes: Record<EventType, string[]> = {
  OrderReleased: ['OrderReleasedToStarter'],
  OrderCancelled: ['ErpChangesToCorrelator'],
  WaveReleased: ['PartnerEventsToCorrelator'],
  ShipmentPacked: ['PartnerEventsToCorrelator'],
  ShipConfirmed: ['PartnerEventsToCorrelator'],
  LoadPlanned: ['PartnerEventsToCorrelator'],
  TenderAccepted: ['PartnerEventsToCorrelator'],
  TenderRejected: ['PartnerEventsToCorrelator'],
  ShipmentMilestone: ['PartnerEventsToCorrelator'],
  ProofOfDelivery: ['PartnerEventsToCorrelator'],
  InvoiceReleased: ['PartnerEventsToCorrelator'],
  OrderStageChanged: [],
  ExceptionRaised: [],
  ApprovalRequested: [],
  SlaBreached: [],
  IncidentRaised: [],
  ExceptionResolved: ['PartnerEventsToCorrelator'],
  ApprovalDecided: ['PartnerEventsToCorrelator'],
};

function sampleEvent(detailType: string, source: string) {
  return {
    version: '0',
    id: `evt-${detailType}`,
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: '2025-11-23T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      schemaVersion: '1',
      eventId: `${detailType}-0001`,
      correlationId: 'ORD-1001',
      occurredAt: '2025-11-23T10:00:00Z',
      producer: `${source}-sim`,
      data: { orderId: 'ORD-1001' },
    },
  };
}

describe('event routing', () => {
  let s: Synthesized;
  let deployed: Array<{ id: string; pattern: Record<string, unknown>; targetArn: unknown }>;
  beforeAll(() => {
    s = synthesize();
    deployed = orderToShipRoutes.map((route) => {
      const rules = Object.entries(s.template.findResources('AWS::Events::Rule')).filter(([id]) => new RegExp(`^OrderToShip${route.id}[0-9A-F]{8}$`).test(id));
      expect(rules).toHaveLength(1);
      const props = rules[0][1].Properties;
      return { id: route.id, pattern: props.EventPattern, targetArn: props.Targets[0].Arn };
    });
  });

  it('deploys one rule per route, on the custom bus, with the pattern of routes.json verbatim', () => {
    s.template.resourceCountIs('AWS::Events::Rule', routesFile.routes.length);
    for (const route of routesFile.routes) {
      s.template.hasResourceProperties('AWS::Events::Rule', {
        Description: route.description,
        EventBusName: { Ref: Match.stringLikeRegexp('^EventBackboneBus') },
        EventPattern: route.eventPattern,
      });
      expect(deployed.find((d) => d.id === route.id)!.pattern).toEqual(route.eventPattern);
    }
  });

  it('sends each rule to its one target, with the shared dead-letter queue and a retry policy', () => {
    for (const route of orderToShipRoutes) {
      const rule = Object.entries(s.template.findResources('AWS::Events::Rule')).find(([id]) => id.startsWith(`OrderToShip${route.id}`))![1];
      expect(rule.Properties.Targets).toHaveLength(1);
      const [target] = rule.Properties.Targets;
      const expectedArn =
        'queue' in route.target
          ? { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^OrderToShip${route.target.queue}[0-9A-F]{8}$`)), 'Arn'] }
          : { 'Fn::GetAtt': [functionResource(s.template, route.target.function).id, 'Arn'] };
      expect(target.Arn).toEqual(expectedArn);
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^EventBackboneTargetDeadLetterQueue/), 'Arn'] } });
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 4 * 3600 });
    }
  });

  it('covers every event type of the catalog in this test', () => {
    expect(Object.keys(expectedRoutes).sort()).toEqual([...eventTypes].sort());
  });

  it.each(eventTypes)('routes %s to the rules it should and no others', (type) => {
    const event = sampleEvent(type, sources[catalog[type].system]);
    const matched = deployed.filter((rule) => matchesEventPattern(rule.pattern, event)).map((rule) => rule.id);
    expect(matched).toEqual(expectedRoutes[type]);
  });

  it.each([
    ['OrderReleased', 'logistics.wms', ['PartnerEventsToCorrelator']],
    ['OrderReleased', 'logistics.orchestrator', []],
    ['OrderReleased', 'partner.unknown', []],
    ['TenderAccepted', 'logistics.orchestrator', []],
  ])('does not start a workflow for %s from the wrong source %s', (type, source, expected) => {
    const matched = deployed.filter((rule) => matchesEventPattern(rule.pattern, sampleEvent(type, source))).map((rule) => rule.id);
    expect(matched).toEqual(expected);
  });
});
