import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { createHash } from 'node:crypto';
import type { EventPublisherTarget } from './event-bridge';
import type { PartnerEvent, SimulatorOutbox } from '../../ports';
import { sdkClientOptions } from './sdk-options';

export interface SchedulerOutboxConfig {
  /** Schedule group that holds the simulators' one-time schedules. */
  readonly groupName: string;
  /** Role EventBridge Scheduler assumes to put the event on the bus. */
  readonly roleArn: string;
  readonly eventBusArn: string;
}

/** Events due within this many seconds are published at once rather than scheduled. */
const immediateSeconds = 60;

/**
 * Sandbox mode: a simulated partner's later answer (a carrier accepting a tender hours from now)
 * becomes a one-time EventBridge Scheduler schedule that puts the event on the bus when it is due,
 * then deletes itself. One schedule per event, no polling and no Lambda in between. The schedule
 * name derives from the event id, so a retried task schedules nothing twice.
 */
export class SchedulerOutbox implements SimulatorOutbox {
  constructor(
    private readonly config: SchedulerOutboxConfig,
    private readonly publisher: EventPublisherTarget,
    private readonly client: SchedulerClient = new SchedulerClient(sdkClientOptions),
  ) {}

  async schedule(event: PartnerEvent, dueAt: string, now: string): Promise<void> {
    if (Date.parse(dueAt) - Date.parse(now) <= immediateSeconds * 1000) {
      await this.publisher.put([{ ...event, time: dueAt }]);
      return;
    }
    const eventId = (event.detail as { eventId?: string }).eventId ?? JSON.stringify(event.detail);
    const name = `sim-${createHash('sha256').update(eventId).digest('hex').slice(0, 40)}`;
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: this.config.groupName,
          ScheduleExpression: `at(${new Date(dueAt).toISOString().slice(0, 19)})`,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.config.eventBusArn,
            RoleArn: this.config.roleArn,
            EventBridgeParameters: { Source: event.source, DetailType: event.detailType },
            Input: JSON.stringify(event.detail),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException) && (error as Error).name !== 'ConflictException') throw error;
    }
  }
}
