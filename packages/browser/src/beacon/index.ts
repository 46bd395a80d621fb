export { createBeacon, COALESCE_MS } from './createBeacon.js';
export { MAX_BODY_BYTES } from './planBatches.js';
export type { Beacon, BeaconChange, BeaconErrorCode, BeaconMetaStore, BeaconOptions, BatchBody } from './types.js';
