import { ArnFormat, Aws, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { env } from '../../lambdas/manifest';
import type { WorkflowFunction } from './workflow-function';

export interface SandboxSimulatorsProps {
  /** The bus the simulated partners' later answers are put on. */
  readonly bus: events.IEventBus;
  /** @default 'sandbox-simulators' */
  readonly scheduleGroupName?: string;
}

/**
 * Sandbox mode only: how simulated partners answer later. A simulator turns a later answer (a
 * carrier accepting a tender hours from now) into a one-time EventBridge Scheduler schedule in this
 * group, whose target is the bus (templated EventBridge target) and which deletes itself after it
 * ran (`ActionAfterCompletion: DELETE`, see lambdas/adapters/aws/scheduler-outbox.ts). Scheduler
 * puts the event as {@link schedulerRole}, which may do nothing but `events:PutEvents` on the bus.
 */
export class SandboxSimulators extends Construct {
  public readonly scheduleGroup: scheduler.ScheduleGroup;
  /** Role EventBridge Scheduler assumes to put the simulated events on the bus. */
  public readonly schedulerRole: iam.Role;
  /** Name of the schedule group (a plain string, not a token). */
  public readonly scheduleGroupName: string;
  private readonly bus: events.IEventBus;
  /** `arn:<partition>:scheduler:<region>:<account>:schedule/<group>/*`: the schedules of this group only. */
  private readonly schedulesArn: string;

  constructor(scope: Construct, id: string, props: SandboxSimulatorsProps) {
    super(scope, id);
    this.bus = props.bus;
    const groupName = props.scheduleGroupName ?? 'sandbox-simulators';
    this.scheduleGroupName = groupName;

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', {
      scheduleGroupName: groupName,
      // Holds only pending one-time schedules of simulated answers: nothing worth keeping.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: `Assumed by EventBridge Scheduler to put the simulators' delayed answers (schedule group ${groupName}) on the ${props.bus.eventBusName} bus`,
      // Only Scheduler acting for this account may assume it (confused-deputy protection).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    props.bus.grantPutEventsTo(this.schedulerRole);

    this.schedulesArn = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${groupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Lets a function schedule simulated answers: sets `EVENT_BUS_ARN`, `SIMULATOR_SCHEDULE_GROUP` and
   * `SIMULATOR_SCHEDULER_ROLE_ARN`, allows `scheduler:CreateSchedule` on the schedules of this group
   * only, and `iam:PassRole` on the scheduler role only, and only to EventBridge Scheduler.
   * (Answers due within 60 s are put on the bus directly: that is the function's `bus:put` grant.)
   */
  public bindScheduler(fn: WorkflowFunction): void {
    fn.addEnvironment(env.eventBusArn, this.bus.eventBusArn);
    // The Ref (the group's name) also makes the function depend on the group.
    fn.addEnvironment(env.simulatorScheduleGroup, (this.scheduleGroup.node.defaultChild as scheduler.CfnScheduleGroup).ref);
    fn.addEnvironment(env.simulatorSchedulerRoleArn, this.schedulerRole.roleArn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule'],
        resources: [this.schedulesArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    const groupName = this.scheduleGroupName;
    Validations.of(fn.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${groupName}/*]`,
      reason: `scheduler:CreateSchedule on the schedules of the ${groupName} group only: each simulated partner answer is a new one-time schedule whose name derives from the event id, so its name is not known in advance; the function may pass only the simulators' scheduler role, whose sole permission is events:PutEvents on the bus.`,
    });
  }
}
