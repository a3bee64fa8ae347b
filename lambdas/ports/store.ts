import type { LaneStats } from '../decisions/types';
import type { BreakerState } from '../domain/circuit-breaker';
import type { Actor, OrderLine, OrderState, OrderSummary, OwnerTeam, ExceptionCategory, Severity, Stage } from '../domain/order';

/** Kinds of entries in an order's append-only event log (the audit trail and process-intelligence input). */
export type LogEntryType =
  | 'STAGE_CHANGED'
  | 'WAIT_STARTED'
  | 'WAIT_ENDED'
  | 'EXCEPTION_RAISED'
  | 'EXCEPTION_RESOLVED'
  | 'APPROVAL_REQUESTED'
  | 'APPROVAL_DECIDED'
  | 'SLA_BREACHED'
  | 'MILESTONE'
  | 'PARTNER_EVENT'
  | 'DECISION'
  | 'SIDE_EFFECT';

export interface LogEntry {
  /** Unique and deterministic per fact: writing the same entry twice is a no-op. */
  readonly eventId: string;
  readonly orderId: string;
  readonly type: LogEntryType;
  /** Business time of the fact (ISO 8601). */
  readonly at: string;
  readonly actor: Actor;
  /** System the fact came from (erp, wms, tms, carrier, finance, orchestrator, ops). */
  readonly sourceSystem: string;
  readonly stage?: Stage;
  readonly fromStage?: Stage | null;
  readonly siteId?: string;
  readonly carrierId?: string;
  readonly lane?: string;
  readonly details?: Record<string, unknown>;
}

export type WaitKind = 'TENDER' | 'SHIP_CONFIRMATION' | 'DELIVERY' | 'DECISION';

export interface Wait {
  /** Correlation key, e.g. `TENDER#<tenderId>`, `SHIP#<orderId>`, `DELIVERY#<orderId>`, `DECISION#<exceptionId>`. */
  readonly key: string;
  readonly taskToken: string;
  readonly orderId: string;
  readonly kind: WaitKind;
  readonly registeredAt: string;
  /** When the wait's SLA expires (the store deletes the item some time after). */
  readonly expiresAt: string;
}

export interface MailboxItem {
  readonly key: string;
  readonly eventId: string;
  readonly receivedAt: string;
  /** What the waiting task should receive (or `failure` to fail it). */
  readonly delivery: Delivery;
}

/** An order as a look over many orders sees it: its id and its current execution's ARN, if recorded. */
export interface OrderRef {
  readonly orderId: string;
  readonly executionArn?: string;
}

/** A side effect as `once` names it: what was done (`invoice`, `pickup`) and its key. */
export interface EffectKey {
  readonly kind: string;
  readonly key: string;
}

/** What `getOrderWithEffects` found of each side effect asked for, by `kind#key`: its record, or null when none is kept. */
export type EffectsRead = Readonly<Record<string, { readonly status: string; readonly result: unknown; readonly attempts?: number } | null>>;

/** The key of a side effect in an EffectsRead. */
export const effectId = (kind: string, key: string) => `${kind}#${key}`;

/** A stage the order reached with the delivered event (recorded when the event reaches its wait). */
export interface StageAdvance {
  readonly orderId: string;
  readonly toStage: Stage;
  readonly at: string;
  readonly system: string;
  readonly patch?: Partial<Pick<import('../domain/order').OrderState, 'carrierId' | 'shipmentId'>>;
  /**
   * The event is a fact about the goods (shipped, delivered), true whether or not the workflow
   * still waits for it: the stage is recorded before the workflow is woken, so the step after the
   * wait reads it (rather than racing the correlator to update the order). Other advances (a
   * carrier's acceptance) are recorded only once the waiting workflow has taken the event.
   */
  readonly fact?: boolean;
}

export type Delivery = ({ readonly output: unknown } | { readonly failure: { error: string; cause: string } }) & { readonly advance?: StageAdvance };

export interface ExceptionRecord {
  readonly exceptionId: string;
  readonly orderId: string;
  readonly category: ExceptionCategory;
  readonly severity: Severity;
  readonly ownerTeam: OwnerTeam;
  readonly reason: string;
  readonly sourceSystem: string;
  readonly raisedAt: string;
  readonly dueAt: string;
  readonly status: 'OPEN' | 'RESOLVED';
  readonly resolution?: string;
  readonly resolvedAt?: string;
  readonly resolvedBy?: Actor;
}

/** A change to a carrier's lane counters. */
export interface LaneStatsDelta {
  readonly tenders?: number;
  readonly accepted?: number;
  readonly shipments?: number;
  readonly late?: number;
  /** Sets whether the last shipment was late (with a delivery outcome). */
  readonly lastLate?: boolean;
}

/**
 * A recurring pattern of exceptions (the same carrier failing on one lane, the same site short) in
 * one time window, raised to its owner once and counted, instead of one notification per exception.
 */
export interface IncidentRecord {
  /** Deterministic: category, pattern key and window start, so every exception of the pattern finds it. */
  readonly incidentId: string;
  readonly category: ExceptionCategory;
  /** What recurs, e.g. `carrier GEOD on DC-HAM>DE` or `site DC-WAW short`. */
  readonly pattern: string;
  readonly ownerTeam: OwnerTeam;
  readonly severity: Severity;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly firstAt: string;
  readonly lastAt: string;
  /** Exceptions attached so far. */
  readonly count: number;
  /** Every attached exception id, in the order attached (the `IncidentRaised` event carries the first 50). */
  readonly exceptionIds: readonly string[];
  readonly summary: string;
}

/** A partner's circuit breaker as stored (item `BREAKER#<system>#<partnerId>`), with its version for conditional writes. */
export interface BreakerRecord {
  readonly system: string;
  /** The carrier id for carriers; the system name for the other systems. */
  readonly partnerId: string;
  readonly state: BreakerState;
  /** Incremented by every write; 0 when the breaker has never been written. */
  readonly version: number;
}

export interface QuarantinedEvent {
  readonly id: string;
  readonly receivedAt: string;
  readonly source?: string;
  readonly detailType?: string;
  readonly code: string;
  readonly reason: string;
  /** The event as received, so it can be fixed and re-driven. */
  readonly event: unknown;
  readonly status: 'QUARANTINED' | 'REDRIVEN';
}

/** The workflow store: one DynamoDB table (see docs/architecture.md for the keys). */
export interface WorkflowStore {
  /** Creates the order's state and stores its lines (claim check). Idempotent: `created` is false if it existed. */
  createOrder(summary: OrderSummary, lines: readonly OrderLine[], at: string, executionArn?: string): Promise<{ created: boolean; state: OrderState }>;
  getOrder(orderId: string): Promise<OrderState | undefined>;
  getLines(orderId: string): Promise<OrderLine[]>;
  /** The order's state and its lines in one (strongly consistent) read. */
  getOrderWithLines(orderId: string): Promise<{ state?: OrderState; lines: OrderLine[] }>;
  /**
   * Applies a change to the order's state if its version is still `expectedVersion`
   * (optimistic locking); throws ConcurrentUpdate otherwise.
   */
  updateOrder(orderId: string, expectedVersion: number, patch: Partial<Omit<OrderState, 'version'>>): Promise<OrderState>;
  /** Appends to the order's event log. Resolves false when an entry with this eventId is already there. */
  append(entry: LogEntry): Promise<boolean>;
  /** The order's event log, oldest first. */
  history(orderId: string): Promise<LogEntry[]>;

  /**
   * Registers a wait and makes it the order's active wait (what a cancellation interrupts). Resolves
   * to the order as it stood when the wait became active, read in the same request (undefined for an
   * order the store does not know): a cancellation flagged before that is in it, and one flagged
   * after finds the wait. `mayHaveMail` is false only when no event can have been kept for the key
   * before the wait was registered (putMailbox marks the key before its caller looks for the wait
   * again), so the registrar can skip reading the mailbox.
   */
  registerWait(wait: Wait): Promise<{ order: OrderState | undefined; mayHaveMail: boolean }>;
  /** The order's most recently registered wait, if it is still registered. */
  getActiveWait(orderId: string): Promise<Wait | undefined>;
  getWait(key: string): Promise<Wait | undefined>;
  /** Removes the wait if it still holds this token; resolves true for the one caller that removed it. */
  claimWait(key: string, taskToken: string): Promise<boolean>;
  /** Keeps an event that arrived before its wait was registered, and marks its key as having mail. */
  putMailbox(item: MailboxItem): Promise<void>;
  /** Takes (and removes) the events kept for a key, oldest first; each is returned to one caller only. */
  takeMailbox(key: string): Promise<MailboxItem[]>;

  /** Records that an inbound event was processed; resolves false if it already was (a duplicate). */
  markProcessed(eventId: string, at: string): Promise<boolean>;
  /** Undoes markProcessed when handling failed before it took effect, so a retry can handle the event. */
  forgetProcessed(eventId: string): Promise<void>;
  /**
   * Runs a side effect at most once per (order, kind, key) to completion: a repeated call returns the
   * recorded result without running it again. A call that crashed mid-way runs it again (partners are
   * called with an idempotency key for that case).
   */
  once<T>(orderId: string, kind: string, key: string, at: string, effect: () => Promise<T>, known?: EffectsRead): Promise<{ result: T; firstTime: boolean }>;
  /**
   * The order's state and the records `once` keeps of the given side effects, in one read: a task
   * that loads its order and then runs a side effect passes `effects` on to `once`, which then does
   * not read the record again. With `wait`, the wait registered under that key too (null if none):
   * the correlator reads the wait an event answers with the order.
   */
  getOrderWithEffects(orderId: string, effects: readonly EffectKey[], options?: { wait?: string }): Promise<{ state?: OrderState; effects: EffectsRead; wait?: Wait | null }>;

  putException(record: ExceptionRecord): Promise<boolean>;
  getException(exceptionId: string): Promise<ExceptionRecord | undefined>;
  resolveException(exceptionId: string, resolution: string, by: Actor, at: string): Promise<ExceptionRecord | undefined>;
  openExceptions(ownerTeam?: OwnerTeam): Promise<ExceptionRecord[]>;

  /**
   * Adds to a carrier's running counters on a lane (tenders answered, deliveries ended), the input of
   * carrier recommendations. Each fact counts once: a marker `(orderId, factKey)` is written first,
   * conditional on absence; resolves false (and changes nothing) when the fact was already counted.
   */
  addLaneStats(lane: string, carrierId: string, delta: LaneStatsDelta, fact: { orderId: string; factKey: string; at: string }): Promise<boolean>;
  /** Every carrier's counters on a lane, by carrier id. */
  laneStats(lane: string): Promise<Record<string, LaneStats>>;

  /** Creates an incident; resolves false when one with this id already exists (conditional write). */
  putIncident(incident: IncidentRecord): Promise<boolean>;
  /**
   * Attaches an exception to an open incident: adds it once (conditional on it not being attached
   * yet) and returns the incident after the change, or undefined when the exception was already there.
   */
  attachToIncident(incidentId: string, exceptionId: string, at: string): Promise<IncidentRecord | undefined>;
  getIncident(incidentId: string): Promise<IncidentRecord | undefined>;

  /** Orders with this status whose state was last updated in [`from`, `to`) (GSI2), oldest first, at most `limit`. */
  ordersLastUpdatedBetween(status: OrderState['status'], from: string, to: string, limit: number): Promise<OrderState[]>;
  /**
   * The same orders, as their ids and execution ARNs only (read with a projection): for a look over
   * many orders that acts on few, which then read their state afresh.
   */
  orderRefsLastUpdatedBetween(status: OrderState['status'], from: string, to: string, limit: number): Promise<OrderRef[]>;

  /** A partner's circuit breaker, if it was ever written. */
  getBreaker(system: string, partnerId: string): Promise<BreakerRecord | undefined>;
  /**
   * Writes a breaker's state if its version is still `expectedVersion` (0: not written yet); resolves
   * false when another caller wrote first (the caller reads again and re-applies its change).
   */
  saveBreaker(system: string, partnerId: string, state: BreakerState, expectedVersion: number): Promise<boolean>;
  /** Every breaker ever written (operations: which partner is open). */
  listBreakers(): Promise<BreakerRecord[]>;

  quarantine(event: Omit<QuarantinedEvent, 'status'>): Promise<void>;
  listQuarantine(): Promise<QuarantinedEvent[]>;
  markRedriven(id: string, receivedAt: string): Promise<void>;
}
