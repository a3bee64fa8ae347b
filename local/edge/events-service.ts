import type { LocalEventBridge } from '../eventbridge';
import type { JsonService } from './server';

/** EventBridge over the AWS JSON 1.1 protocol (`AWSEvents.<Operation>`). */
export function eventsService(bus: LocalEventBridge): JsonService {
  const b = bus as unknown as Record<string, (input: unknown) => unknown>;
  const ops = [
    'PutEvents', 'TestEventPattern', 'PutRule', 'DeleteRule', 'DescribeRule', 'EnableRule', 'DisableRule', 'ListRules', 'ListRuleNamesByTarget',
    'PutTargets', 'RemoveTargets', 'ListTargetsByRule', 'CreateEventBus', 'DeleteEventBus', 'DescribeEventBus', 'ListEventBuses',
  ];
  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {};
  for (const op of ops) {
    const method = op.charAt(0).toLowerCase() + op.slice(1);
    if (typeof b[method] === 'function') operations[op] = (input) => b[method]!.call(bus, normalizePutEvents(op, input));
  }
  const archives = bus.archives as unknown as Record<string, (input: unknown) => unknown>;
  for (const op of ['CreateArchive', 'DescribeArchive', 'ListArchives', 'DeleteArchive', 'StartReplay', 'DescribeReplay', 'ListReplays']) {
    const method = op.charAt(0).toLowerCase() + op.slice(1);
    if (typeof archives?.[method] === 'function') operations[op] = (input) => archives[method]!.call(bus.archives, input);
  }
  return { targetPrefix: 'AWSEvents', errorNamespace: 'com.amazonaws.events', operations };
}

/** The wire carries `Time` as epoch seconds; the bus takes a Date. */
function normalizePutEvents(op: string, input: Record<string, unknown>): Record<string, unknown> {
  if (op !== 'PutEvents' || !Array.isArray(input.Entries)) return input;
  return {
    ...input,
    Entries: (input.Entries as Array<Record<string, unknown>>).map((e) => (typeof e.Time === 'number' ? { ...e, Time: new Date(e.Time * 1000) } : e)),
  };
}
