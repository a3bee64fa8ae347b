/** The Step Functions engine: interpreter, API, clocks, stores and integration interfaces. */
export { Engine, createEngine, type EngineOptions, type EngineEvent } from './engine';
export * from './api-errors';
export { StatesError } from './errors';
export { RealClock, ScaledClock, TestClock, sleepUntil, type Clock, type TimerHandle, type TestClockOptions } from './clock';
export type { ServiceIntegrations, IntegrationContext, LambdaInvokeRequest, LambdaInvokeResponse } from './integrations';
export { MemoryExecutionStore } from './store/memory';
export { FileExecutionStore, type FileExecutionStoreOptions } from './store/file';
export type { ExecutionStore, StoredState, StoredExecution } from './store/types';
export { validateDefinition } from './validation';
export type { ExecutionRecord, ExecutionStatus, HistoryEvent, StateMachineRecord } from './types';
