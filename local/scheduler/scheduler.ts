import { AwsServiceError } from '../aws-service-error';
import type { TimerClock } from '../timer-clock';

/** An EventBridge Scheduler API error: `name` is the AWS error code. */
export class SchedulerError extends AwsServiceError {}

export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  EventBridgeParameters?: { DetailType: string; Source: string };
  [key: string]: unknown;
}

interface Schedule {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  Target: ScheduleTarget;
  ActionAfterCompletion: 'NONE' | 'DELETE';
  State: 'ENABLED' | 'DISABLED';
  CreationDate: Date;
  dueAt: number;
  cancel?: () => void;
}

const atExpression = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;

/**
 * A local EventBridge Scheduler for one-time schedules (`at(...)` in UTC): the target is invoked on
 * the shared clock at the scheduled time, then the schedule is deleted if
 * `ActionAfterCompletion` is DELETE. Used by the sandbox simulators to deliver partners' answers
 * later, exactly as in a deployed sandbox stack.
 */
export class LocalScheduler {
  private readonly schedules = new Map<string, Schedule>();

  constructor(
    private readonly options: {
      clock: TimerClock;
      invoke: (target: ScheduleTarget) => Promise<void>;
      onError?: (error: unknown) => void;
      region?: string;
      accountId?: string;
      /** Records schedules created and removed (fired or deleted), so a restart can restore them (local/runtime/journal.ts). */
      journal?: { scheduleCreated(name: string, input: Record<string, unknown>): void; scheduleRemoved(group: string, name: string): void };
    },
  ) {}

  private key(group: string, name: string) {
    return `${group}/${name}`;
  }

  createSchedule(name: string, input: Record<string, unknown>): { ScheduleArn: string } {
    const group = (input.GroupName as string | undefined) ?? 'default';
    if (!/^[0-9a-zA-Z-_.]{1,64}$/.test(name)) throw new SchedulerError('ValidationException', `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+`);
    if (this.schedules.has(this.key(group, name))) throw new SchedulerError('ConflictException', `Schedule ${name} already exists.`, 409);
    const expression = String(input.ScheduleExpression ?? '');
    const match = atExpression.exec(expression);
    if (!match) throw new SchedulerError('ValidationException', `Invalid Schedule Expression ${expression}. Only at(yyyy-mm-ddThh:mm:ss) is supported locally.`);
    const zone = (input.ScheduleExpressionTimezone as string | undefined) ?? 'UTC';
    if (zone !== 'UTC') throw new SchedulerError('ValidationException', `Only the UTC time zone is supported locally, not ${zone}.`);
    const target = input.Target as ScheduleTarget | undefined;
    if (!target?.Arn || !target.RoleArn) throw new SchedulerError('ValidationException', 'Target.Arn and Target.RoleArn are required.');
    if ((input.FlexibleTimeWindow as { Mode?: string } | undefined)?.Mode === undefined) throw new SchedulerError('ValidationException', 'FlexibleTimeWindow is required.');
    const schedule: Schedule = {
      Name: name,
      GroupName: group,
      Arn: `arn:aws:scheduler:${this.options.region ?? 'us-east-1'}:${this.options.accountId ?? '000000000000'}:schedule/${group}/${name}`,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: zone,
      Target: target,
      ActionAfterCompletion: (input.ActionAfterCompletion as 'NONE' | 'DELETE') ?? 'NONE',
      State: (input.State as 'ENABLED' | 'DISABLED') ?? 'ENABLED',
      CreationDate: new Date(this.options.clock.now()),
      dueAt: Date.parse(`${match[1]}Z`),
    };
    this.schedules.set(this.key(group, name), schedule);
    this.options.journal?.scheduleCreated(name, input);
    if (schedule.State === 'ENABLED') {
      const timer = this.options.clock.setTimer(Math.max(schedule.dueAt, this.options.clock.now()), () => void this.fire(schedule));
      schedule.cancel = () => timer.cancel();
    }
    return { ScheduleArn: schedule.Arn };
  }

  getSchedule(name: string, group = 'default') {
    const s = this.schedules.get(this.key(group, name));
    if (!s) throw new SchedulerError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    const { dueAt: _d, cancel: _c, ...out } = s;
    return out;
  }

  deleteSchedule(name: string, group = 'default'): Record<string, never> {
    const s = this.schedules.get(this.key(group, name));
    if (!s) throw new SchedulerError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    s.cancel?.();
    this.schedules.delete(this.key(group, name));
    this.options.journal?.scheduleRemoved(group, name);
    return {};
  }

  listSchedules(group?: string) {
    return {
      Schedules: [...this.schedules.values()]
        .filter((s) => !group || s.GroupName === group)
        .map((s) => ({ Name: s.Name, GroupName: s.GroupName, Arn: s.Arn, State: s.State, CreationDate: s.CreationDate, Target: { Arn: s.Target.Arn } })),
    };
  }

  /** Schedules not yet fired. */
  get pending(): number {
    return this.schedules.size;
  }

  private async fire(schedule: Schedule): Promise<void> {
    try {
      await this.options.invoke(schedule.Target);
    } catch (error) {
      this.options.onError?.(error);
    }
    if (schedule.ActionAfterCompletion === 'DELETE') this.schedules.delete(this.key(schedule.GroupName, schedule.Name));
    // A one-time schedule does not fire again, whether or not it is kept.
    this.options.journal?.scheduleRemoved(schedule.GroupName, schedule.Name);
  }
}
