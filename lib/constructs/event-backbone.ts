import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventschemas from 'aws-cdk-lib/aws-eventschemas';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { catalog, eventTypes, jsonSchemaOf, sources, type EventType } from '../../lambdas/contracts';

export interface EventBackboneProps {
  /** @default 'logistics' */
  readonly eventBusName?: string;
  /**
   * How long the archive keeps every event, for replay; 0 keeps events forever.
   * @default 90
   */
  readonly archiveRetentionDays?: number;
  /** @default - `<eventBusName>-events` */
  readonly schemaRegistryName?: string;
}

/** Name of the registry schema of one event type and version: `<source>@<DetailType>-v<version>`. */
export function schemaNameOf(type: EventType, version: string): string {
  return `${sources[catalog[type].system]}@${type}-v${version}`;
}

/**
 * Draft-4 JSON Schema of a whole EventBridge event of one type and version (envelope fields,
 * `source`, `detail-type`, and `detail` generated from the zod catalog), as the schema registry and
 * its code bindings expect.
 */
export function registrySchemaOf(type: EventType, version: string): Record<string, unknown> {
  const { $schema: _dialect, definitions, ...detail } = jsonSchemaOf(type, version, 'draft-4') as Record<string, unknown> & {
    definitions?: Record<string, unknown>;
  };
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: `${type} v${version}`,
    description: typeof detail.description === 'string' ? detail.description : type,
    type: 'object',
    required: ['detail-type', 'source', 'detail'],
    properties: {
      version: { type: 'string' },
      id: { type: 'string' },
      'detail-type': { type: 'string', enum: [type] },
      source: { type: 'string', enum: [sources[catalog[type].system]] },
      account: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail,
    },
    // zod emits shared definitions at the root of the detail schema; keep `#/definitions/...` refs valid.
    ...(definitions ? { definitions } : {}),
  };
}

/**
 * The event backbone: the custom bus every system publishes to, an archive of all its events for
 * replay, the dead-letter queue shared by every rule target, and a schema registry generated from
 * the zod event catalog (one schema per event type and version).
 */
export class EventBackbone extends Construct {
  public readonly bus: events.EventBus;
  public readonly archive: events.Archive;
  /** Where EventBridge puts events it could not deliver to a rule target after its retries. */
  public readonly deadLetterQueue: sqs.Queue;
  public readonly schemaRegistry: eventschemas.CfnRegistry;
  /** Registry schemas by name (`<source>@<DetailType>-v<version>`). */
  public readonly schemas: ReadonlyMap<string, eventschemas.CfnSchema>;

  constructor(scope: Construct, id: string, props: EventBackboneProps = {}) {
    super(scope, id);
    const busName = props.eventBusName ?? 'logistics';
    const retentionDays = props.archiveRetentionDays ?? 90;

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: busName,
      description: 'Business events of ERP, WMS, TMS, carriers, finance, operations and the orchestrator',
    });

    this.archive = new events.Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      // An empty pattern archives every event, including partners' events from other accounts.
      eventPattern: {},
      retention: retentionDays > 0 ? Duration.days(retentionDays) : undefined,
      description: `Every event on the ${busName} bus, for replay`,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'TargetDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the EventBridge rule targets; a dead-letter queue of a dead-letter queue would only move the messages, and its depth is alarmed instead.',
    });

    this.schemaRegistry = new eventschemas.CfnRegistry(this, 'SchemaRegistry', {
      registryName: props.schemaRegistryName ?? `${busName}-events`,
      description: `Event contracts of the ${busName} bus, generated from the zod event catalog (lambdas/contracts)`,
    });

    const schemas = new Map<string, eventschemas.CfnSchema>();
    for (const type of eventTypes) {
      for (const version of Object.keys(catalog[type].versions)) {
        const schemaName = schemaNameOf(type, version);
        const content = registrySchemaOf(type, version);
        schemas.set(
          schemaName,
          new eventschemas.CfnSchema(this, `Schema${type}V${version}`, {
            registryName: this.schemaRegistry.attrRegistryName,
            schemaName,
            type: 'JSONSchemaDraft4',
            description: String(content.description),
            content: JSON.stringify(content),
          }),
        );
      }
    }
    this.schemas = schemas;
  }
}
