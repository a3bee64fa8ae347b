export * from './store';
export * from './systems';
export * from './workflow';
export * from './telemetry';
