export { createTabChannel, parseTabMessage } from './createTabChannel.js';
export { createSeenIds, type SeenIds } from './createSeenIds.js';
export type { ConsentState, TabChannel, TabMessage, TabMessageBody } from './types.js';
