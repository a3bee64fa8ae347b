/**
 * The local EventBridge service: event buses, rules and targets with AWS's API shapes and
 * errors, and PutEvents dispatch to matching rules' targets through the injected `deliver`.
 *
 * PutEvents validates, matches and answers synchronously; delivery to targets starts after it
 * returns and is retried and dead-lettered by the delivery engine (see delivery.ts).
 */
import { ArchiveStore } from './archive';
import { realClock, type Clock } from './clock';
import { DeliveryEngine, type DeliverFn, type DeliveryCounters, type DeliveryJob, type DeliveryJournal, type JournaledDeliveryJob, type DeliveryTarget, type RetryTuning } from './delivery';
import { EventBridgeError, resourceAlreadyExists, resourceNotFound, validationError } from './errors';
import { targetInput, PREDEFINED_VARIABLES, type TargetInputOptions } from './input-transformer';
import { isValidJsonPath } from './json-path';
import { compileEventPattern, flattenEvent, matchCompiled, type CompiledPattern } from './pattern';
import { busNameOf, preparePutEvents, type EventEnvelope, type PutEventsRequest, type PutEventsResponse } from './put-events';
import { testEventPattern, type TestEventPatternInput } from './test-event-pattern';

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface Target extends TargetInputOptions, DeliveryTarget {
  RoleArn?: string;
}

export interface EventBus {
  Name: string;
  Arn: string;
  Description?: string;
  CreationTime: Date;
  LastModifiedTime: Date;
}

export interface Rule {
  Name: string;
  Arn: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State: RuleState;
  Description?: string;
  RoleArn?: string;
  EventBusName: string;
  CreatedBy: string;
}

interface RuleRecord extends Rule {
  compiled?: CompiledPattern;
  targets: Map<string, Target>;
}

interface BusRecord extends EventBus {
  rules: Map<string, RuleRecord>;
}

export interface LocalEventBridgeOptions {
  /** Invoked for every target delivery and every dead-letter delivery. */
  deliver: DeliverFn;
  clock?: Clock;
  account?: string;
  region?: string;
  retry?: Partial<RetryTuning>;
  newId?: () => string;
  /** Told about failures nobody else sees (a dead-letter queue that could not be written). */
  onError?: (error: unknown) => void;
  /** Called with every event a bus accepts from PutEvents, before rules are matched (for logs, metrics). */
  onEventAccepted?: (busName: string, event: EventEnvelope) => void;
  /** Records accepted and finished target deliveries (local/runtime/journal.ts); see `redeliver`. */
  journal?: DeliveryJournal;
}

const NAME_PATTERN = /^[.\-_A-Za-z0-9]+$/;
const MAX_TARGETS_PER_RULE = 5;

function checkName(field: string, value: unknown, max: number, pattern = NAME_PATTERN): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw validationError(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  if (value.length > max) {
    throw validationError(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  if (!pattern.test(value)) {
    throw validationError(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source.slice(1, -1)}`);
  }
}

/** Paging over a list in a stable order: the token encodes the offset of the next page. */
function page<T>(items: T[], limit: number | undefined, token: string | undefined): { items: T[]; next?: string } {
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw validationError('The provided NextToken is not valid.');
  }
  const size = limit ?? 100;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined };
}

export class LocalEventBridge {
  readonly account: string;
  readonly region: string;
  private readonly clock: Clock;
  private readonly engine: DeliveryEngine;
  private readonly buses = new Map<string, BusRecord>();
  private readonly options: LocalEventBridgeOptions;
  /** Archives and replays of this service's buses (CreateArchive, StartReplay, ...). */
  readonly archives: ArchiveStore;

  constructor(options: LocalEventBridgeOptions) {
    this.options = options;
    this.account = options.account ?? '000000000000';
    this.region = options.region ?? 'us-east-1';
    this.clock = options.clock ?? realClock;
    this.engine = new DeliveryEngine(
      options.deliver,
      this.clock,
      { baseDelayMs: 1000, maxDelayMs: 5 * 60 * 1000, random: Math.random, ...options.retry },
      options.onError,
      options.journal,
    );
    this.addBus('default');
    this.archives = new ArchiveStore({
      region: this.region,
      account: this.account,
      now: () => this.clock.now(),
      busArn: (name) => this.busArn(name),
      busExists: (name) => this.buses.has(name),
      dispatch: (busName, event, onlyRuleArns) => this.route(busName, event, onlyRuleArns),
    });
  }

  // ---- event buses -------------------------------------------------------------------------

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:event-bus/${name}`;
  }

  private addBus(name: string, description?: string): BusRecord {
    const now = new Date(this.clock.now());
    const bus: BusRecord = { Name: name, Arn: this.busArn(name), Description: description, CreationTime: now, LastModifiedTime: now, rules: new Map() };
    this.buses.set(name, bus);
    return bus;
  }

  private bus(nameOrArn: string | undefined): BusRecord {
    const name = busNameOf(nameOrArn ?? 'default');
    const bus = this.buses.get(name);
    if (!bus) throw resourceNotFound(`Event bus ${name} does not exist.`);
    return bus;
  }

  createEventBus(input: { Name: string; Description?: string; EventSourceName?: string }): { EventBusArn: string } {
    checkName('name', input.Name, 256, /^[/.\-_A-Za-z0-9]+$/);
    if (input.Name === 'default' || input.Name.includes('/')) {
      throw validationError(`Event bus name must not contain '/' and must not be 'default'.`);
    }
    if (this.buses.has(input.Name)) throw resourceAlreadyExists(`Event bus ${input.Name} already exists.`);
    return { EventBusArn: this.addBus(input.Name, input.Description).Arn };
  }

  deleteEventBus(input: { Name: string }): Record<string, never> {
    if (busNameOf(input.Name) === 'default') throw validationError('Cannot delete event bus default.');
    this.buses.delete(busNameOf(input.Name));
    return {};
  }

  describeEventBus(input: { Name?: string } = {}): EventBus {
    return this.busView(this.bus(input.Name));
  }

  listEventBuses(input: { NamePrefix?: string; Limit?: number; NextToken?: string } = {}): { EventBuses: EventBus[]; NextToken?: string } {
    const all = [...this.buses.values()].filter((b) => b.Name.startsWith(input.NamePrefix ?? '')).sort((a, b) => (a.Name < b.Name ? -1 : 1));
    const { items, next } = page(all, input.Limit, input.NextToken);
    return { EventBuses: items.map((b) => this.busView(b)), ...(next ? { NextToken: next } : {}) };
  }

  private busView(bus: BusRecord): EventBus {
    const { rules: _rules, ...view } = bus;
    return Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined)) as unknown as EventBus;
  }

  // ---- rules -------------------------------------------------------------------------------

  ruleArn(busName: string, ruleName: string): string {
    const path = busName === 'default' ? ruleName : `${busName}/${ruleName}`;
    return `arn:aws:events:${this.region}:${this.account}:rule/${path}`;
  }

  private rule(name: string, busName: string | undefined): RuleRecord {
    const bus = this.bus(busName);
    const rule = bus.rules.get(name);
    if (!rule) throw resourceNotFound(`Rule ${name} does not exist on EventBus ${bus.Name}.`);
    return rule;
  }

  putRule(input: {
    Name: string;
    EventPattern?: string;
    ScheduleExpression?: string;
    State?: RuleState;
    Description?: string;
    RoleArn?: string;
    EventBusName?: string;
  }): { RuleArn: string } {
    checkName('name', input.Name, 64);
    if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
      throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    const bus = this.bus(input.EventBusName);
    if (input.ScheduleExpression !== undefined && bus.Name !== 'default') {
      throw validationError('ScheduleExpression is supported only on the default event bus.');
    }
    if (input.State !== undefined && !['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'].includes(input.State)) {
      throw validationError(
        `1 validation error detected: Value '${input.State}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`,
      );
    }
    const compiled = input.EventPattern !== undefined ? compileEventPattern(input.EventPattern) : undefined;
    const existing = bus.rules.get(input.Name);
    const rule: RuleRecord = {
      Name: input.Name,
      Arn: this.ruleArn(bus.Name, input.Name),
      EventPattern: input.EventPattern,
      ScheduleExpression: input.ScheduleExpression,
      State: input.State ?? 'ENABLED',
      Description: input.Description,
      RoleArn: input.RoleArn,
      EventBusName: bus.Name,
      CreatedBy: this.account,
      compiled,
      targets: existing?.targets ?? new Map(),
    };
    bus.rules.set(input.Name, rule);
    return { RuleArn: rule.Arn };
  }

  deleteRule(input: { Name: string; EventBusName?: string; Force?: boolean }): Record<string, never> {
    const bus = this.bus(input.EventBusName);
    const rule = bus.rules.get(input.Name);
    if (!rule) return {}; // DeleteRule of a rule that is not there succeeds.
    if (rule.targets.size > 0) throw validationError("Rule can't be deleted since it has targets.");
    bus.rules.delete(input.Name);
    return {};
  }

  describeRule(input: { Name: string; EventBusName?: string }): Rule {
    return this.ruleView(this.rule(input.Name, input.EventBusName));
  }

  enableRule(input: { Name: string; EventBusName?: string }): Record<string, never> {
    this.rule(input.Name, input.EventBusName).State = 'ENABLED';
    return {};
  }

  disableRule(input: { Name: string; EventBusName?: string }): Record<string, never> {
    this.rule(input.Name, input.EventBusName).State = 'DISABLED';
    return {};
  }

  listRules(input: { NamePrefix?: string; EventBusName?: string; Limit?: number; NextToken?: string } = {}): { Rules: Rule[]; NextToken?: string } {
    const bus = this.bus(input.EventBusName);
    const all = [...bus.rules.values()].filter((r) => r.Name.startsWith(input.NamePrefix ?? '')).sort((a, b) => (a.Name < b.Name ? -1 : 1));
    const { items, next } = page(all, input.Limit, input.NextToken);
    return { Rules: items.map((r) => this.ruleView(r)), ...(next ? { NextToken: next } : {}) };
  }

  listRuleNamesByTarget(input: { TargetArn: string; EventBusName?: string }): { RuleNames: string[] } {
    const bus = this.bus(input.EventBusName);
    const names = [...bus.rules.values()].filter((r) => [...r.targets.values()].some((t) => t.Arn === input.TargetArn)).map((r) => r.Name);
    return { RuleNames: names.sort() };
  }

  private ruleView(rule: RuleRecord): Rule {
    const { compiled: _c, targets: _t, ...view } = rule;
    return Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined)) as unknown as Rule;
  }

  // ---- targets -----------------------------------------------------------------------------

  putTargets(input: { Rule: string; EventBusName?: string; Targets: Target[] }): {
    FailedEntryCount: number;
    FailedEntries: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }>;
  } {
    const rule = this.rule(input.Rule, input.EventBusName);
    const targets = input.Targets ?? [];
    if (targets.length < 1 || targets.length > 10) {
      const bound = targets.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10';
      throw validationError(`1 validation error detected: Value '[${targets.map(() => 'Target').join(', ')}]' at 'targets' failed to satisfy constraint: Member must have length ${bound}`);
    }
    targets.forEach((t, i) => this.validateTarget(t, i + 1));
    const newIds = new Set(targets.map((t) => t.Id).filter((id) => !rule.targets.has(id)));
    if (rule.targets.size + newIds.size > MAX_TARGETS_PER_RULE) {
      throw new EventBridgeError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    }
    for (const t of targets) rule.targets.set(t.Id, structuredClone(t));
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  private validateTarget(t: Target, n: number): void {
    checkName(`targets.${n}.member.id`, t.Id, 64);
    if (typeof t.Arn !== 'string' || t.Arn.length === 0) {
      throw validationError(`1 validation error detected: Value null at 'targets.${n}.member.arn' failed to satisfy constraint: Member must not be null`);
    }
    const inputs = [t.Input, t.InputPath, t.InputTransformer].filter((x) => x !== undefined);
    if (inputs.length > 1) throw validationError('Only one of Input, InputPath, or InputTransformer must be provided.');
    if (t.Input !== undefined) {
      try {
        JSON.parse(t.Input);
      } catch {
        throw validationError(`Target ${t.Id} has invalid Input: Input is not valid JSON.`);
      }
    }
    if (t.InputPath !== undefined && !isValidJsonPath(t.InputPath)) {
      throw validationError(`Target ${t.Id} has invalid InputPath: ${t.InputPath}`);
    }
    if (t.InputTransformer !== undefined) {
      const { InputTemplate, InputPathsMap = {} } = t.InputTransformer;
      if (typeof InputTemplate !== 'string' || InputTemplate.length === 0 || InputTemplate.length > 8192) {
        throw validationError(`1 validation error detected: Value null at 'targets.${n}.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must not be null`);
      }
      const entries = Object.entries(InputPathsMap);
      if (entries.length > 100) {
        throw validationError(`1 validation error detected: Value at 'targets.${n}.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Member must have length less than or equal to 100`);
      }
      for (const [key, path] of entries) {
        if ((PREDEFINED_VARIABLES as readonly string[]).includes(key) || key.startsWith('aws.')) {
          throw validationError(`InputTransformer key ${key} is reserved: keys cannot start with aws.`);
        }
        if (!isValidJsonPath(path)) throw validationError(`Target ${t.Id} has invalid InputPathsMap value for key ${key}: ${path}`);
      }
    }
    const retry = t.RetryPolicy;
    if (retry?.MaximumRetryAttempts !== undefined && !(retry.MaximumRetryAttempts >= 0 && retry.MaximumRetryAttempts <= 185)) {
      throw validationError(`1 validation error detected: Value '${retry.MaximumRetryAttempts}' at 'targets.${n}.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value between 0 and 185`);
    }
    if (retry?.MaximumEventAgeInSeconds !== undefined && !(retry.MaximumEventAgeInSeconds >= 60 && retry.MaximumEventAgeInSeconds <= 86400)) {
      throw validationError(`1 validation error detected: Value '${retry.MaximumEventAgeInSeconds}' at 'targets.${n}.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value between 60 and 86400`);
    }
  }

  removeTargets(input: { Rule: string; EventBusName?: string; Ids: string[]; Force?: boolean }): {
    FailedEntryCount: number;
    FailedEntries: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }>;
  } {
    const rule = this.rule(input.Rule, input.EventBusName);
    if (!Array.isArray(input.Ids) || input.Ids.length < 1 || input.Ids.length > 100) {
      throw validationError("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 100");
    }
    for (const id of input.Ids) rule.targets.delete(id);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listTargetsByRule(input: { Rule: string; EventBusName?: string; Limit?: number; NextToken?: string }): { Targets: Target[]; NextToken?: string } {
    const rule = this.rule(input.Rule, input.EventBusName);
    const all = [...rule.targets.values()];
    const { items, next } = page(all, input.Limit, input.NextToken);
    return { Targets: items.map((t) => structuredClone(t)), ...(next ? { NextToken: next } : {}) };
  }

  // ---- events ------------------------------------------------------------------------------

  testEventPattern(input: TestEventPatternInput): { Result: boolean } {
    return testEventPattern(input);
  }

  putEvents(request: PutEventsRequest): PutEventsResponse {
    const { response, accepted } = preparePutEvents(request, {
      account: this.account,
      region: this.region,
      now: this.clock.now(),
      busExists: (name) => this.buses.has(name),
      newId: this.options.newId,
    });
    for (const { busName, event } of accepted) {
      this.options.onEventAccepted?.(busName, event);
      this.archives.record(busName, event);
      this.route(busName, event);
    }
    return response;
  }

  /**
   * Routes an already-built event to the matching rules of a bus: used by PutEvents and by
   * replays. `onlyRuleArns` restricts routing to those rules (a replay's `FilterArns`).
   */
  route(busName: string, event: EventEnvelope, onlyRuleArns?: string[]): void {
    const bus = this.buses.get(busName);
    if (!bus) return;
    const receivedAt = this.clock.now();
    const flat = flattenEvent(event);
    const original = JSON.stringify(event);
    for (const rule of bus.rules.values()) {
      if (rule.State === 'DISABLED' || !rule.compiled) continue;
      if (onlyRuleArns && !onlyRuleArns.includes(rule.Arn)) continue;
      if (!matchCompiled(rule.compiled, flat)) continue;
      this.engine.counters.matched++;
      for (const target of rule.targets.values()) {
        const context = { ruleArn: rule.Arn, ruleName: rule.Name, eventBusName: bus.Name, eventId: event.id };
        const payload = targetInput(target, event, { ruleArn: rule.Arn, ruleName: rule.Name, ingestionTime: receivedAt });
        this.engine.start({ target: structuredClone(target), payload, originalEvent: original, context, receivedAt });
      }
    }
  }

  // ---- observation -------------------------------------------------------------------------

  /**
   * Takes up a delivery a journal kept from before a restart: attempted again from the first try.
   * A journaled job without `originalEvent` had it equal to `payload`.
   */
  redeliver(job: JournaledDeliveryJob): void {
    job.originalEvent ??= job.payload;
    this.engine.start(job as DeliveryJob);
  }

  /** Whether a delivery is running or a retry is waiting for its time. */
  get busy(): boolean {
    return this.engine.busy;
  }

  /** Resolves once no delivery is running and no retry is waiting for its time. */
  idle(): Promise<void> {
    return this.engine.idle();
  }

  /** Live counters: rule matches, deliveries, retries, dead-letter deliveries, drops. */
  get counters(): Readonly<DeliveryCounters> {
    return this.engine.counters;
  }

  /** Cancels every scheduled retry. */
  close(): void {
    this.engine.stop();
  }
}
