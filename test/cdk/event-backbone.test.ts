import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { catalog, eventTypes, jsonSchemaOf, sources } from '../../lambdas/contracts';
import { EventBackbone, schemaNameOf } from '../../lib/constructs/event-backbone';

function backboneTemplate(props: ConstructorParameters<typeof EventBackbone>[2] = {}): Template {
  const stack = new Stack(new App(), 'Backbone');
  new EventBackbone(stack, 'EventBackbone', props);
  return Template.fromStack(stack);
}

describe('event backbone', () => {
  let template: Template;
  beforeAll(() => {
    template = backboneTemplate();
  });

  it('creates the custom bus named logistics', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'logistics' });
  });

  it('archives every event of the bus (no pattern) for 90 days by default, for replay', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventBackboneBus'), 'Arn'] },
      RetentionDays: 90,
      EventPattern: Match.absent(),
    });
  });

  it('keeps archived events forever when the retention is 0', () => {
    backboneTemplate({ archiveRetentionDays: 0 }).hasResourceProperties('AWS::Events::Archive', { RetentionDays: 0 }) // 0 = indefinitely, for EventBridge;
  });

  it('has an encrypted, TLS-only dead-letter queue for rule targets', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('registers one draft-4 schema per catalog event type and version, generated from the zod catalog', () => {
    const expected = eventTypes.flatMap((t) => Object.keys(catalog[t].versions).map((v) => schemaNameOf(t, v)));
    const schemas = Object.values(template.findResources('AWS::EventSchemas::Schema'));
    expect(schemas.map((s) => s.Properties.SchemaName).sort()).toEqual(expected.sort());
    expect(expected).toContain('logistics.erp@OrderReleased-v1');
    template.hasResourceProperties('AWS::EventSchemas::Registry', { RegistryName: 'logistics-events' });

    for (const type of eventTypes) {
      const schema = schemas.find((s) => s.Properties.SchemaName === schemaNameOf(type, '1'))!;
      expect(schema.Properties.Type).toBe('JSONSchemaDraft4');
      expect(schema.Properties.RegistryName).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EventBackboneSchemaRegistry/), 'RegistryName'] });
      const content = JSON.parse(schema.Properties.Content);
      expect(content.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(content.properties['detail-type']).toEqual({ type: 'string', enum: [type] });
      expect(content.properties.source).toEqual({ type: 'string', enum: [sources[catalog[type].system]] });
      const { $schema: _ignored, ...detail } = jsonSchemaOf(type, '1', 'draft-4');
      expect(content.properties.detail).toEqual(detail);
    }
  });
});
