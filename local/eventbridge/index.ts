/**
 * Local EventBridge: event patterns, TestEventPattern, input transformation, PutEvents
 * validation, and an in-process bus with rules, targets, retries and dead-letter queues.
 * The library knows nothing of the product; the runtime injects delivery and time.
 */
export * from './errors';
export * from './pattern';
export * from './test-event-pattern';
export * from './input-transformer';
export * from './json-path';
export * from './put-events';
export * from './clock';
export * from './delivery';
export * from './bus';
export * from './archive';
