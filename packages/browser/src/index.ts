// The ESM entry of `seglet`: importing it does nothing until `createSegments` is called.
export { createSegments } from './createSegments.js';
export { SegletError } from '@seglet/core';
export type {
  BeaconOptions, Change, ChangeHandler, CollectOptions, ConsentState, Explanation, Props, PropValue, RuleSet,
  Segments, SegmentsOptions, StorageMode,
} from './types.js';
