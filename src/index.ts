export { buildApp, type BuildAppOptions } from './app.js';
export { AdjustableClock, frozenClock, type Clock } from './clock.js';
export { loadConfig, testConfig, type Config } from './config.js';
export { randomIds, sequentialIds, type Ids } from './ids.js';
export { PERMISSIONS, type Permission } from './domain/permissions.js';
