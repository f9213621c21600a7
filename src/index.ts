export { buildApp, type BuildAppOptions } from './app.js';
export { startFakeMarketo, type FakeMarketo, type StartOptions } from './start.js';
export { AdjustableClock, frozenClock, type Clock } from './clock.js';
export { ConfigError, loadConfig, testConfig, type Config } from './config.js';
export { randomIds, sequentialIds, type Ids } from './ids.js';
export { PERMISSIONS, type Permission } from './domain/permissions.js';
export { SeedError } from './domain/seed.js';
export { parseSeed, readSeedFile, type Seed, type SeedInput } from './seed.js';
export type { JournalEntry, JournalFilter } from './domain/journal.js';
