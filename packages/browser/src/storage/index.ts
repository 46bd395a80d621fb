export { openEventStore } from './openEventStore.js';
export { compareStored, effectiveRetain, DEFAULT_RETAIN } from './records.js';
export type { AppendEvent, EventStore, EventStoreOptions, RetainOption, StorageMode, StoredEvent } from './types.js';
