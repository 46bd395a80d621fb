import type { EventStore, StoredEvent } from '../../../src/storage/index.js';
import type { TabMessage } from '../../../src/tabs/index.js';
import type * as Entry from '../fixtures/storageEntry.js';

declare global {
  interface Window {
    /** The test bundle (`/build/storage.js`). */
    SegletTest: typeof Entry;
    store: EventStore;
    /** Error codes reported to the store's `onError`. */
    errors: string[];
    received: TabMessage[];
    applied: StoredEvent[];
  }
}

export {};
