export { check } from './check.js';
export { size, countConditions } from './size.js';
export type * from './types.js';
