export { createSwapper, type Swapper, type SwapperOptions } from './createSwapper.js';
export type { SwapErrorCode } from './swapErrors.js';
export { readSnapshot, writeSnapshot, clearSnapshot, startupMembers, SNAPSHOT_KEY, type Snapshot } from './snapshot.js';
export {
  writeMembersCookie, readMembersCookie, writeContextCookie, readContextCookie, clearCookies, cookieMaxAge,
  MEMBERS_COOKIE, CONTEXT_COOKIE, type ContextCookie,
} from './cookie.js';
export { rulesHash, canonicalJson } from './rulesHash.js';
