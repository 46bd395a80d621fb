import { SegletError } from '@seglet/core';
import { withLock } from '../storage/withLock.js';
import { batchIds } from './batchIds.js';
import { BEACON_LOCK, tryExclusive } from './beaconLock.js';
import { emptyState, forgetRequest, forgetsOnly, loadState, mayForget, MAX_QUEUE, saveState, underGPC } from './beaconState.js';
import { applyBatch, diffMembers, expectedSet, planBatches } from './planBatches.js';
import { backoffDelay, GIVE_UP_MS, MIN_DELAY_MS } from './retryPolicy.js';
import { fetchBatch, sendBatch, serializeBatch } from './sendBatch.js';
import type { Beacon, BeaconErrorCode, BeaconOptions, BeaconState, QueuedBatch } from './types.js';

/** Changes are coalesced: at most one batch a second, flapping inside the second netted. */
export const COALESCE_MS = 1_000;
/** A page that lives on after `pagehide()` (back/forward cache, hidden tab) resends its `sendBeacon` batches with `fetch` this much later. */
export const BEACON_RESEND_MS = 5_000;

/**
 * Memberships last settled longer ago than this are sent again as they stand (`changes: []` with
 * `members`) on the next page: the collector expires a profile `--ttl-days` (90 by default) after
 * its last batch, and a member whose segments never change sent nothing, so it dropped out of the
 * segment's count while still in it. At most one extra batch a week per visitor. The same batch
 * carries a `userId` the collector has not had yet (an `identify()` that changed no membership).
 */
export const REFRESH_MS = 7 * 86_400_000;

const NOOP: Beacon = { update: () => undefined, pagehide: () => undefined, flush: async () => undefined, forget: async () => undefined, reset: () => undefined, stop: () => undefined };

/**
 * The beacon sender of section 4 of the runtime spec. The facade creates it once consent is
 * granted and a beacon URL is configured, passes the event store (or null for memory), calls
 * `update(members)` at `ready` and after every change, `pagehide()` on `pagehide` /
 * `visibilitychange: hidden`, `forget()` from `segments.forget()` before switching to a new
 * anonymous id, `reset()` when another tab forgot, and `stop()` from `destroy()`.
 *
 * A batch holds the difference between the memberships and what the collector will hold once the
 * queue lands (the acknowledged set plus queued batches), so a reload sends nothing and N tabs
 * send one batch. Batches stay queued until a `fetch` is acknowledged (same id on every retry).
 * With `navigator.globalPrivacyControl` true (and `respectGPC` not false) no batch is made or
 * sent; forget requests still go, for a profile a batch was handed over for before GPC was on.
 */
export function createBeacon(options: BeaconOptions): Beacon {
  const win = options.win ?? window;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const store = options.store;
  const report = (code: BeaconErrorCode | 'corrupt_data', message: string): void => {
    try { options.onError(new SegletError(code, message)); } catch { /* a host handler never breaks the beacon */ }
  };
  let url = '';
  // Anything but a string is refused: `new URL(123, page)` was a valid URL, /123.
  try { if (typeof options.url === 'string') url = new URL(options.url, win.location.href).href; } catch { /* reported below */ }
  if (!url) {
    report('invalid_option', `beacon url ${JSON.stringify(options.url)} is not a valid URL`);
    return NOOP;
  }
  const nav = win.navigator;
  const gpc = underGPC(nav, options);
  const fetchFn: typeof fetch = options.fetch
    ?? (typeof win.fetch === 'function' ? win.fetch.bind(win) : () => Promise.reject(new TypeError('fetch is not available')));
  const sendBeacon = options.sendBeacon ?? ((u: string, b: string) => typeof nav.sendBeacon === 'function' && nav.sendBeacon(u, b));
  const locks = options.locks === undefined ? nav.locks : options.locks;
  const local = { held: false };

  let state: BeaconState = emptyState();
  let current: Set<string> | null = null;
  const seen = new Map<string, number>();
  let loaded = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;
  let running: Promise<void> | null = null;
  let inflight: string | null = null;
  // The id `forget()` erased: nothing more is batched for it (the facade may still report it meanwhile).
  let forgotten: string | null = null;

  const save = (): Promise<void> => (store ? saveState(store, state) : Promise.resolve());
  // Not once stopped: a request in flight at a denial (or a pass under way) wrote the profile's id
  // and memberships back into the store the denial had just erased. A forget request is saved
  // anyway (forget() then destroy() in one task).
  const persist = (): Promise<void> => (stopped ? Promise.resolve() : save());
  // Other tabs may have sent or queued since: adopt the stored state only when it is newer than
  // ours. Not when equal: that is a write raced from the same parent, typically the previous
  // page's pagehide write landing after this page had loaded, and it must not drop our batches.
  const refresh = async (): Promise<void> => {
    if (!store) return;
    const stored = (await loadState(store)).state;
    if (stored.rev > state.rev) state = stored;
    // Ours kept, at a higher revision than another tab's forget() saved its request with into the
    // store it had just erased (this tab not told yet): the request joins our queue, or our next
    // save replaced it, and that tab then took our state and never sent it.
    else for (const q of stored.queue) if ('forget' in q.body && !state.queue.some((x) => x.body.id === q.body.id)) state.queue.push(q);
    // The stored queue may still hold batches for an id forgotten since (a tab's clear under way):
    // only its forget request goes.
    state.queue = state.queue.filter((q) => q.body.anonymousId !== forgotten || 'forget' in q.body);
  };
  const refreshDue = (id: string): boolean => {
    const user = options.userId();
    return state.queue.length === 0 && state.anonymousId === id
      && ((state.acked.length > 0 && now() - (state.settledAt ?? now()) >= REFRESH_MS) || (user !== null && user !== state.user));
  };
  const baseFor = (id: string): string[] => expectedSet(state.anonymousId === id ? state.acked : [], state.queue.filter((q) => q.body.anonymousId === id));
  // Under GPC only forget requests go: they delete what the collector holds and share nothing new.
  const due = (q: QueuedBatch): boolean => !gpc || 'forget' in q.body;
  const settle = (q: QueuedBatch): void => {
    state.queue = state.queue.filter((x) => x !== q);
    state.last = q.body.id;
    if (q.body.anonymousId !== state.anonymousId) return;
    state.acked = applyBatch(state.acked, q.body);
    state.settledAt = now();
    if ('changes' in q.body && q.body.userId !== undefined) state.user = q.body.userId;
  };

  /** Turns the pending difference into queued batches (synchronous: `pagehide` needs it). */
  function fold(): void {
    const anonymousId = options.anonymousId();
    if (current === null || anonymousId === forgotten) return;
    const base = baseFor(anonymousId);
    // The last settled batch's userId was the old profile's (another tab forgot it): kept, the
    // state of the new id stored the forgotten userId.
    if (state.anonymousId !== anonymousId) { state.anonymousId = anonymousId; state.acked = []; delete state.user; }
    const members = shared(base);
    const t = now();
    const changes = diffMembers(base, members, seen, t);
    seen.clear();
    const userId = options.userId();
    const head = userId === null ? { anonymousId } : { anonymousId, userId };
    const ids = batchIds(state, anonymousId, changes);
    const bodies = changes.length === 0 && refreshDue(anonymousId) ? [{ v: 1 as const, id: ids(), ...head, changes, members }] : planBatches(changes, members, head, ids);
    for (const body of bodies) state.queue.push({ body, created: t, attempts: 0, nextAt: t });
    const excess = state.queue.length - MAX_QUEUE;
    if (excess > 0) {
      for (const q of state.queue.filter((x) => !('forget' in x.body)).slice(0, excess)) settle(q);
      report('beacon_failed', `beacon queue over ${MAX_QUEUE} batches; the oldest were given up`);
    }
  }

  function arm(at: number): void {
    if (stopped || at >= timerAt) return;
    if (timer !== undefined) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => { timer = undefined; timerAt = Infinity; void kick(); }, Math.max(0, at - now()));
  }

  /**
   * The memberships this tab batches against `base`: all of them under the newest rules (which it
   * notes), else those of the segments the newest rules define alike, the rest left as in `base`.
   */
  const shared = (base: string[]): string[] => {
    const live = [...(current as Set<string>)];
    const mine = options.rules?.();
    const newest = state.rules;
    if (!mine || !newest || mine.at >= newest.at) {
      if (mine) state.rules = mine;
      return live.sort();
    }
    const alike = new Set(newest.keys.filter((k) => mine.keys.includes(k)).map((k) => k.split(' ')[0]));
    return [...live.filter((s) => alike.has(s)), ...base.filter((s) => !alike.has(s))].sort();
  };

  const pendingChange = (): boolean => {
    const anonymousId = options.anonymousId();
    if (current === null || anonymousId === forgotten) return false;
    const base = baseFor(anonymousId);
    const members = shared(base);
    return base.length !== members.length || base.some((s, i) => s !== members[i]) || refreshDue(anonymousId);
  };

  /**
   * Under the lock: fold, then send the queue in order, one batch at a time, until its head has to
   * wait (backoff). Strict order matters: each acknowledgement advances the acknowledged set, and a
   * batch's `members` replaces it, so an older batch acknowledged last would roll the set back.
   * `handed` fires once nothing more is due to be handed over.
   */
  async function send(handed: () => void): Promise<void> {
    await refresh();
    fold();
    await persist();
    for (const q of [...state.queue]) {
      if (stopped) break;
      if (!state.queue.includes(q) || !due(q)) continue;
      if (q.nextAt > now()) break;
      // Only after one fetch at least: a batch the last page handed to sendBeacon (true offline
      // too) or queued as it went was dropped untried on a visit a day later, forget requests too.
      if (now() - q.created >= GIVE_UP_MS && q.attempts > 0) {
        settle(q);
        report('beacon_failed', `beacon batch ${q.body.id} not acknowledged within 24 h; given up`);
        await persist();
        continue;
      }
      if ('changes' in q.body && state.sent !== q.body.anonymousId) {
        // Stored before the request leaves: the page may close while it is out and the collector
        // still receive it, and a later page under GPC must know to erase it (see mayForget).
        state.sent = q.body.anonymousId;
        await persist();
        if (stopped || !state.queue.includes(q)) break;
      }
      inflight = q.body.id;
      const attempt = sendBatch(fetchFn, url, q.body, now);
      const after = state.queue[state.queue.indexOf(q) + 1];
      if (after === undefined || after.nextAt > now()) handed();
      const { outcome, status, retryAfter } = await attempt;
      inflight = null;
      if (!state.queue.includes(q)) continue; // forgotten meanwhile
      if (outcome === 'retry') {
        q.attempts++;
        // Never past the give-up instant: a Retry-After of days held the batch (and the queue
        // behind it) past 24 h, and a delay past setTimeout's range fired at once, again and again.
        q.nextAt = Math.min(q.created + GIVE_UP_MS, now() + (retryAfter === null ? backoffDelay(q.attempts, random) : Math.max(MIN_DELAY_MS, retryAfter)));
        // The collector is unreachable or busy: the rest of the queue waits as long (one request at a time).
        for (const other of state.queue) other.nextAt = Math.max(other.nextAt, q.nextAt);
        await persist();
        break;
      }
      settle(q);
      if (outcome === 'drop') report('beacon_failed', `collector refused beacon batch ${q.body.id} (HTTP ${status}); dropped`);
      await persist();
    }
  }

  /** One pass of the sender; when another tab holds the lock, look again in a second. */
  function kick(): Promise<void> {
    if (stopped || !loaded) return Promise.resolve();
    if (running) return running.then(() => kick());
    let handed!: () => void;
    const whenHanded = new Promise<void>((r) => { handed = r; });
    const pass = tryExclusive(locks, BEACON_LOCK, local, () => send(handed).catch(() => undefined)).then((ran) => {
      running = null;
      if (!ran && (state.queue.some(due) || pendingChange())) arm(now() + COALESCE_MS);
      const head = state.queue.find(due);
      if (ran && head) arm(Math.max(head.nextAt, now()));
    }).finally(handed);
    running = pass;
    return whenHanded;
  }

  const start = (async () => {
    if (store) {
      const result = await loadState(store);
      state = result.state;
      // A state from before batches were timed: the week counts from now (noted, or it never ends).
      const untimed = state.settledAt === undefined && state.acked.length > 0;
      state.settledAt ??= now();
      if (result.corrupt) report('corrupt_data', 'stored beacon queue failed to parse; malformed batches discarded');
      // A new page: what the last one handed to sendBeacon is resent with fetch now.
      const handed = state.queue.filter((q) => q.beacon && q.nextAt > now());
      for (const q of handed) q.nextAt = now();
      if (handed.length > 0 || untimed) await persist();
    }
    loaded = true;
    if (state.queue.some(due)) void kick();
    else if (pendingChange()) arm(now() + COALESCE_MS);
  })();

  return {
    update(members) {
      if (stopped || gpc) return;
      const next = new Set(members);
      const prev = current ?? new Set<string>();
      const t = now();
      for (const s of next) if (!prev.has(s)) seen.set(s, t);
      for (const s of prev) if (!next.has(s)) seen.set(s, t);
      current = next;
      if (loaded && pendingChange()) arm(t + COALESCE_MS);
    },
    pagehide() {
      if (stopped || !loaded || gpc) return;
      const before = state.queue.length;
      fold();
      let handed = state.queue.length !== before;
      for (const q of state.queue) {
        if (q.attempts > 0 || q.beacon || q.body.id === inflight) continue;
        handed = true;
        const payload = serializeBatch(q.body, now());
        let queued = false;
        try { queued = sendBeacon(url, payload); } catch { queued = false; }
        // Only sendBeacon's yes is sure to go: a keepalive fetch it refused (quota) usually fails
        // too, and a batch still queued is resent and noted by the next page's fetch.
        if (!queued) void fetchBatch(fetchFn, url, payload, now());
        else if ('changes' in q.body) state.sent = q.body.anonymousId;
        q.beacon = true;
        q.nextAt = now() + BEACON_RESEND_MS;
      }
      // Best effort: Chromium may drop a write started in pagehide; the next load then re-diffs.
      // Only with something to record: a blind write raises this tab's rev over the sender's
      // newer state (a tab hidden a few times wiped a batch waiting for its retry).
      if (handed) void persist();
      // Never fires if the page is really gone; if it lives on, the batches get their acknowledged resend.
      const head = state.queue[0];
      if (head) arm(head.nextAt);
    },
    async flush() {
      await start;
      if (running) await running;
      await kick();
    },
    async forget(after: Promise<unknown> = Promise.resolve()) {
      const anonymousId = options.anonymousId();
      forgotten = anonymousId;
      seen.clear();
      // Under GPC only for a profile a batch was handed over for before GPC was on: see mayForget.
      const batched = (): boolean => mayForget(state, anonymousId, gpc);
      let held = loaded && batched();
      // Emptied at once and again once loaded (the load replaces it): a pagehide or a timer while
      // the store clears sends nothing for the old id. Earlier forget requests stay.
      state = forgetsOnly(state, state.rev);
      await start;
      held ||= batched();
      state = forgetsOnly(state, state.rev);
      await after;
      if (held) state.queue.push(forgetRequest(anonymousId, now()));
      // Under the sending lock, so no tab's pass in flight writes its older queue over this one.
      await withLock(locks, BEACON_LOCK, save);
      void kick();
      // By then the facade runs under the new id: its memberships (context segments) start from empty.
      arm(now() + COALESCE_MS);
    },
    reset() {
      forgotten = options.anonymousId();
      seen.clear();
      // rev 0: whatever the forgetting tab stored is adopted, at once (not at the next pass: a
      // pagehide before it wrote this empty state over the stored forget request); the new id
      // starts from empty.
      state = emptyState();
      if (!running) void refresh();
      if (loaded) arm(now() + COALESCE_MS);
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
