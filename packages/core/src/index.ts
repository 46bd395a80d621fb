export { SegletError } from './SegletError.js';
export { parseDuration } from './parseDuration.js';
export type * from './types.js';
