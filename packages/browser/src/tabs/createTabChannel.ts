import { isAnonymousId } from '../facade/randomId.js';
import { decodeEvent } from '../storage/records.js';
import type { StoredEvent } from '../storage/types.js';
import type { TabChannel, TabMessage, TabMessageBody } from './types.js';

const CONSENT = /*#__PURE__*/ new Set(['granted', 'pending', 'denied']);

/** Validates a message from another tab; anything malformed (another version, another script) is ignored. */
export function parseTabMessage(data: unknown): TabMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (m.v !== 1 || typeof m.from !== 'string') return null;
  if (m.kind === 'forget') return { v: 1, from: m.from, kind: 'forget', ...(isAnonymousId(m.id) && { id: m.id }), ...(isAnonymousId(m.old) && { old: m.old }) };
  if (m.kind === 'consent' && typeof m.consent === 'string' && CONSENT.has(m.consent)) {
    return { v: 1, from: m.from, kind: 'consent', consent: m.consent as 'granted' };
  }
  if (m.kind === 'events' && Array.isArray(m.events)) {
    const events = m.events.map(decodeEvent).filter((e): e is StoredEvent => e !== null);
    return { v: 1, from: m.from, kind: 'events', events, ...(isAnonymousId(m.id) && { id: m.id }) };
  }
  return null;
}

/**
 * Opens the origin-wide channel `name` (the facade uses `'seglet'`). `onMessage` receives the
 * valid messages of other tabs, never this tab's own (`tabId` filters a second endpoint in the
 * same page). Receivers de-duplicate events by id (see `createSeenIds`): a tab that reloads from
 * the store may get an event both ways. Where BroadcastChannel is missing, a no-op endpoint.
 */
export function createTabChannel(name: string, onMessage: (message: TabMessage) => void, tabId = ''): TabChannel {
  let channel: BroadcastChannel | null = null;
  try {
    if (typeof BroadcastChannel === 'function') channel = new BroadcastChannel(name);
  } catch {
    channel = null;
  }
  if (!channel) return { available: false, post: () => undefined, close: () => undefined };
  const open = channel;
  open.onmessage = (event: MessageEvent) => {
    const message = parseTabMessage(event.data);
    if (!message || (tabId !== '' && message.from === tabId)) return;
    try { onMessage(message); } catch { /* the facade reports its own failures */ }
  };
  let closed = false;
  return {
    available: true,
    post(body: TabMessageBody) {
      if (closed) return;
      try { open.postMessage({ ...body, v: 1, from: tabId }); } catch { /* DataCloneError or closed: drop */ }
    },
    close() {
      if (closed) return;
      closed = true;
      open.onmessage = null;
      open.close();
    },
  };
}
