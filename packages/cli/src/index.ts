export { check } from './check.js';
export { simulate } from './simulate.js';
export { size, countConditions } from './size.js';
export { main, USAGE } from './main.js';
export { parseEvents, type LoggedEvent, type ParsedLog } from './parseEvents.js';
export { parseTime } from './parseTime.js';
export type * from './types.js';
