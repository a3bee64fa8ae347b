import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { sources } from '../../contracts';
import { SystemUnavailable } from '../../domain/errors';
import type { EventPublisher, OrchestratorEvent, PartnerEvent } from '../../ports';
import { sdkClientOptions } from './sdk-options';

/** Puts events from any source on the bus (the simulators publish as partners). */
export interface EventPublisherTarget {
  put(events: readonly (PartnerEvent & { time?: string })[]): Promise<void>;
}

/** Publishes to the bus in batches of 10 (the PutEvents limit) and fails if any entry failed. */
export class EventBridgePublisher implements EventPublisher, EventPublisherTarget {
  constructor(
    private readonly eventBusName: string,
    private readonly client: EventBridgeClient = new EventBridgeClient(sdkClientOptions),
    private readonly source: string = sources.orchestrator,
  ) {}

  async publish(events: readonly OrchestratorEvent[]): Promise<void> {
    await this.put(events.map((e) => ({ source: this.source, detailType: e.detailType, detail: e.detail })));
  }

  /** Publishes events on behalf of other sources (the partner simulator). */
  async put(events: readonly (PartnerEvent & { time?: string })[]): Promise<void> {
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      const out = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            EventBusName: this.eventBusName,
            Source: e.source,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
            Time: e.time ? new Date(e.time) : undefined,
          })),
        }),
      );
      if (out.FailedEntryCount) {
        const failed = (out.Entries ?? []).filter((e) => e.ErrorCode).map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`);
        throw new SystemUnavailable('eventbridge', `${out.FailedEntryCount} of ${batch.length} events were not accepted (${failed.join('; ')})`);
      }
    }
  }
}
