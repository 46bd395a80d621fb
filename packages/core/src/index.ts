export { createEngine } from './createEngine.js';
export { validateRules } from './validateRules.js';
export { SegletError } from './SegletError.js';
export { parseDuration } from './parseDuration.js';
export { deviceType, type DeviceType } from './deviceType.js';
export { bucketOf } from './fnv1a.js';
export { readCookie } from './readCookie.js';
export type * from './types.js';
