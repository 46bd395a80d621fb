import { createEngine, parseDuration, SegletError, type Change, type Engine, type Props, type PropValue, type RuleSet } from '@seglet/core';
import { pageViewProps } from './collectors/pageViewProps.js';
import type { Win } from './collectors/types.js';
import { browserContext } from './context/browserContext.js';
import { keepLanding, sessionLanding } from './context/landing.js';
import { cookieMaxAge, writeContextCookie, writeMembersCookie } from './dom/cookie.js';
import { createSwapper } from './dom/createSwapper.js';
import { rulesHash } from './dom/rulesHash.js';
import { createSnapshotWriter } from './dom/createSnapshotWriter.js';
import { clearSnapshot, startupMembers } from './dom/snapshot.js';
import { createBeacon, type Beacon } from './beacon/index.js';
import { rulesMark } from './beacon/rulesMark.js';
import type { RulesMark } from './beacon/types.js';
import { asSegletError, createReporter, type Report } from './facade/createReporter.js';
import { createEraser, ANONYMOUS_ID } from './facade/createEraser.js';
import { createHandlers } from './facade/createHandlers.js';
import { createStoreReport } from './facade/createStoreReport.js';
import { createTimer } from './facade/createTimer.js';
import { DEBUG_HOOK, type DebugHook } from './facade/debugHook.js';
import { createGuards } from './facade/guards.js';
import { currentInstance, leaveRunning, leftRunning, setInstance } from './facade/instance.js';
import { listenLifecycle } from './facade/listenLifecycle.js';
import { loadRules } from './facade/loadRules.js';
import { isAnonymousId, randomId } from './facade/randomId.js';
import { badConsent, CONSENT, readConsent } from './facade/readConsent.js';
import { startCollectors } from './facade/startCollectors.js';
import { copyProps, inert, noop, withoutNulls } from './facade/values.js';
import { notedErase, noteErase, type EraseNote } from './storage/eraseJournal.js';
import { openEventStore } from './storage/openEventStore.js';
import { effectiveRetain } from './storage/records.js';
import { noteForget, stashEvents, takeStash } from './storage/stash.js';
import type { EventStore, StoredEvent } from './storage/types.js';
import { createSeenIds } from './tabs/createSeenIds.js';
import { createTabChannel } from './tabs/createTabChannel.js';
import type { ConsentState, TabMessage } from './tabs/types.js';
import type { CollectorKit, Segments, SegmentsOptions } from './types.js';

const EMPTY_RULES: RuleSet = { version: 1, segments: {} };
/** How often a page that keeps tracking notes its activity beside the landing (and in seglet_c). */
const KEEP_EVERY = 60_000;

/**
 * Starts seglet on this page (runtime sections 2, 3 and 7). Synchronously: memberships from the
 * snapshot, swaps applied and observed, collectors running; `ready` then restores history and
 * applies the calls made before it. One instance per page: a second call reports
 * `duplicate_instance` and returns the first. Nothing here or in the returned object throws.
 * `kit`: the collectors the calling entry carries; `check`: its check of the options (the npm
 * entries' `checkOptions`; the script tag's options come from its own attributes, already checked).
 */
export function createSegments(options: SegmentsOptions, kit: CollectorKit, check?: (options: SegmentsOptions, report: Report) => void): Segments {
  const report = createReporter(typeof options?.onError === 'function' ? options.onError : undefined);
  try {
    const win = (options.window ?? globalThis.window) as Win | undefined;
    if (!win?.document) throw new SegletError('invalid_option', 'createSegments needs a window');
    const first = currentInstance<Segments>(win);
    if (first) {
      report(new SegletError('duplicate_instance', 'createSegments was already called on this page; the first instance is returned'));
      return first;
    }
    return start(win, options, report, kit, check);
  } catch (cause) {
    report(asSegletError(cause, 'internal_error', 'seglet failed to start'));
    return inert();
  }
}

function start(win: Win, options: SegmentsOptions, report: Report, kit: CollectorKit, check?: (options: SegmentsOptions, report: Report) => void): Segments {
  const doc = win.document;
  const now = (): number => Date.now();
  const tabId = randomId();
  let seq = 0;
  let destroyed = false;
  check?.(options, report);
  let consent = readConsent(options.consent, report);
  const granted = (): boolean => consent === 'granted';

  // Rules: known now (object, parsed '#id') or later (URL, '#id' after the script).
  let rules: RuleSet | null = null;
  let hash: string | null = null;
  /** The events the rules retain (the defaults until rules are known): bounds memory and the seen ids. */
  let retainedEvents = effectiveRetain(undefined).events;
  const loading = loadRules(options.rules, win, report);
  let rulesKnown = !(loading instanceof Promise);
  /** The beacon's note of the rules (see rulesMark), made when first asked for. */
  let mark: RulesMark | null = null;
  let rulesAt = 0;
  const useRules = (r: RuleSet | null): void => {
    rules = r;
    rulesKnown = true;
    mark = null;
    rulesAt = now();
    hash = r ? rulesHash(r) : null;
    retainedEvents = effectiveRetain(r?.retain).events;
  };
  if (!(loading instanceof Promise)) useRules(loading);

  const storeReport = createStoreReport(report);
  let store: EventStore | null = null;
  // Made before the eraser, which resets it with the other traces (it holds no state of the page yet).
  // lastAt: declared below, read only once events are applied.
  const snapshots = createSnapshotWriter(win, now, () => rulesAt, () => lastAt);
  const eraser = createEraser(win, tabId, options, storeReport, granted, snapshots, leftRunning(win));
  const openStore = (): EventStore => {
    // An erase an earlier page started may have gone with it: finished before anything is read.
    const noted = notedErase(win);
    // Sealed with its token: done after all by a page still running it (in another tab), it
    // deletes nothing, where it erased what was stored after that erase.
    if (noted) void eraser.eraseLeavingForget(null, noted.forget, noted.token);
    store = openEventStore({ tabId, storage: options.storage, retain: rules?.retain, rulesAt: rules ? rulesAt : 0, onError: storeReport, after: eraser.settling });
    // What the tab's last page tracked and left with before its database opened (see stashEvents).
    store.append(takeStash(win));
    return store;
  };
  // The database opens while the rest of start-up runs (snapshot, swaps, collectors): `ready`
  // waits for it, and the page's own work before then no longer comes first.
  if (granted()) void openStore().ready;
  // Without usable rules every id is accepted: nothing can be checked, and nothing is reported twice.
  const known = (id: string): boolean => !rulesKnown || rules === null || Object.hasOwn(rules.segments, id);
  const unknownSegment = (id: string): void => report(new SegletError('unknown_segment', `unknown segment "${id.slice(0, 64)}"`, { issues: [{ path: `/segments/${id}`, message: 'not in the rules' }] }));

  // Memberships answered before `ready`: the snapshot (or the edge's cookie); none without consent,
  // nor with rules known to be unusable (the snapshot's cannot be checked, nor corrected at `ready`).
  let current: Set<string> = granted() && (rules || !rulesKnown) ? startupMembers(win, hash, { known }) : new Set();
  const swapper = options.dom === false ? null : createSwapper(doc, { onError: report, known });
  swapper?.apply(current);
  swapper?.observe();

  const handlers = createHandlers(report);
  // Every id the store can hold (retained events plus the pruning slack), or a restore from the
  // back/forward cache applies the oldest ones a second time.
  const seen = createSeenIds(() => 2 * retainedEvents);
  let memoryEvents: StoredEvent[] = [];
  let anonymousId = randomId();
  let userId: string | null = null;
  let traits: Props = {};
  /** The rule set's session timeout (the default until rules are known): a landing older than it is over. */
  const sessionTimeout = (): number => parseDuration(rules?.session?.timeout ?? '30m') ?? 1_800_000;
  /** The same, unknown (undefined) until the rules are: the landing then goes by what the tab kept. */
  const knownTimeout = (): number | undefined => (rules ? sessionTimeout() : undefined);
  /** The time of the last event this page tracked or heard of, noted beside the landing when it goes. */
  let lastAt = 0;
  /** The last activity `keep` noted (this page's load, noted by the landing itself). */
  let keptAt = now();
  /** Notes activity since the last note beside the landing (and in seglet_c) with consent; see keepLanding. */
  const keep = (): void => {
    if (!granted() || lastAt <= keptAt) return;
    keptAt = lastAt;
    keepLanding(win, landing, lastAt, knownTimeout(), options.cookie === true, now());
  };
  /** Writes this page's landing into seglet_c for a whole session timeout (at `ready`, at consent). */
  const shareLanding = (): void => {
    if (options.cookie === true && granted()) writeContextCookie(doc, landing, now(), sessionTimeout(), now());
  };
  const landing = browserContext(win, { session: granted(), shared: options.cookie === true, timeout: knownTimeout() });
  let context: Props = withoutNulls({ ...landing, ...options.context });
  let engine: Engine | null = null;
  let unsubscribe = (): void => {};
  let validator: Engine | null = null;
  let queue: (() => void)[] = [];
  const queuedIds = new Set<string>();
  /** The events tracked before `ready`, for a forget() queued among them. */
  const earlyEvents: StoredEvent[] = [];
  /** Settles the forget() calls waiting for `ready` (destroy() before it). */
  const forgetsBeforeReady: (() => void)[] = [];
  let dirty = false;
  /** A snapshot was dropped because the log lives in memory (once: later settles have nothing to drop). */
  let snapshotDropped = false;
  let beacon: Beacon | null = null;
  // During forget() the beacon still speaks for the old id while the page already runs under the new one.
  let forgetting: string | null = null;
  /** The anonymous ids this page forgot (here or in another tab), each with the id it continued under. */
  const forgottenIds = new Map<string, string>();
  let watcher: (destroyed?: boolean) => void = noop;
  let outbox: StoredEvent[] | null = null;
  /**
   * Telling the other tabs of forget() calls (see forget()), not done yet: this tab's events wait,
   * so they hear of the forget first. Done at once when the page hides or is destroyed.
   */
  const untold = new Set<() => void>();
  const tellAll = (): void => untold.forEach((tell) => tell());
  /**
   * Events applied while a grant reads the store, this tab's and other tabs': the read may miss
   * them (written after it, or in flight between its flush and its result), the rebuild must not.
   */
  let received: StoredEvent[] | null = null;

  if (consent === 'denied') eraseStored();

  const channel = createTabChannel('seglet', (message) => onMessage(message), tabId);
  // A load with consent denied deleted the stored data: the other open tabs (a page frozen in the
  // back/forward cache too, which the message evicts) stop writing it back.
  if (consent === 'denied') channel.post({ kind: 'consent', consent });
  const timer = createTimer(win, now, () => run(() => engine?.tick()));

  /** Runs an engine operation and then everything that follows a change; errors are reported. */
  function run(op: () => unknown, code = 'internal_error'): boolean {
    try {
      op();
      return true;
    } catch (cause) {
      report(asSegletError(cause, code, 'an operation failed'));
      return false;
    } finally {
      settle();
    }
  }

  function settle(): void {
    if (!engine || destroyed) return;
    const e = engine;
    let until: number | null = null;
    try { until = e.nextChange(); } catch (cause) { report(asSegletError(cause, 'internal_error', 'nextChange failed')); }
    watcher();
    const membersChanged = dirty;
    dirty = false;
    let list: string[] | null = null;
    const members = (): string[] => (list ??= rules ? e.members() : [...current]);
    if (membersChanged) {
      swapper?.apply(current);
      if (options.cookie === true && granted() && rules) writeMembersCookie(doc, members(), cookieMaxAge(rules));
      beacon?.update(members());
    }
    // Written once per task at most, and only when the next load would be misled (createSnapshotWriter).
    if (granted() && hash !== null && rules) {
      if (store?.mode === 'indexeddb') snapshots.update(hash, membersChanged, members, until);
      else if (!snapshotDropped) {
        // The log lives in memory only: the next load starts without it, and `ready` would take
        // back every member a snapshot showed on first paint (a flicker on each load).
        snapshotDropped = true;
        snapshots.reset();
        clearSnapshot(win);
      }
    }
    const due = snapshots.deadline;
    timer.arm(due !== null && (until === null || due < until) ? due : until);
  }

  function onChange(change: Change): void {
    if (!rules) return;
    if (change.member) current.add(change.segment);
    else current.delete(change.segment);
    dirty = true;
    if (options.debug === true) console.debug(`seglet: ${change.member ? 'enter' : 'exit'} ${change.segment}`);
    handlers.change(change);
  }

  /**
   * (Re)creates the engine from a history: at `ready`, on consent granted, after forget. `replay`
   * (the calls made before `ready`) runs on the new engine before handlers and swaps are brought
   * to its memberships, so a snapshot member the queued calls confirm never sees exit then enter.
   */
  function rebuild(history: readonly StoredEvent[], replay?: () => void): void {
    unsubscribe();
    // One pass marks the ids seen and drops repeats (a batch merged while another load read it):
    // the first copy stays. The seen set holds twice the store's capacity, so none is forgotten here.
    seen.clear();
    const events: StoredEvent[] = [];
    for (let i = 0; i < history.length; i++) if (seen.add((history[i] as StoredEvent).id)) events.push(history[i] as StoredEvent);
    // Stored events the engine rejects (written by another version, or by something else) are
    // reported once and deleted: kept, every load reported them again.
    const rejected: string[] = [];
    const onError = (error: SegletError): void => {
      const at = /^\/events\/(\d+)/.exec(error.issues?.[0]?.path ?? '')?.[1];
      if (at !== undefined) rejected.push((events[+at] as StoredEvent).id);
      report(error);
    };
    const build = (): Engine => createEngine({
      rules: rules ?? EMPTY_RULES, anonymousId, context, traits, onError,
      // Stored events as they are (the engine reads type, t and props and copies what it keeps).
      events,
      ...(userId === null ? {} : { userId }),
    });
    let next: Engine;
    try {
      next = build();
    } catch (cause) {
      // A bad `context` option or trait must not leave the page without an engine.
      report(asSegletError(cause, 'invalid_value', 'invalid context or traits; started without them'));
      context = withoutNulls({ ...landing });
      traits = {};
      next = build();
    }
    if (rejected.length) void store?.prune(undefined, rejected);
    engine = next;
    unsubscribe = next.subscribe(onChange);
    replay?.();
    // A forget() queued before `ready` rebuilt the engine again inside the replay and brought
    // memberships to that one: syncing them to this engine made has() and the swaps answer with
    // the forgotten history while members() did not.
    if (engine !== next) return;
    // Without usable rules too (the rules URL failed): the page runs without segments, so what the
    // snapshot showed before the rules failed is taken back, where it stayed for the page's life.
    current = new Set(next.members());
    handlers.sync(current, now());
    dirty = true;
  }

  function stamp(type: string, props: Props | undefined, t: number): StoredEvent {
    const event: StoredEvent = { id: `${tabId}:${seq++}`, type, t };
    if (props !== undefined) event.props = props;
    return event;
  }

  /** The tracking tab persists (or keeps in memory without consent) and tells the other tabs. */
  function persist(event: StoredEvent): void {
    if (store) store.append([event]);
    else {
      // Trimmed to the retained count in chunks: a copy on every event made each track() cost
      // O(retained) while consent was pending (10,000 events copied per call at the default).
      memoryEvents.push(event);
      if (memoryEvents.length >= 2 * retainedEvents) memoryEvents = memoryEvents.slice(-retainedEvents);
    }
    if (!granted()) return;
    // One message per task (a burst of 10 tracks is one postMessage), sent at its end.
    if (outbox) outbox.push(event);
    else {
      outbox = [event];
      queueMicrotask(sendEvents);
    }
  }

  /** Sends this task's events; also called first by any other message, so tabs see them in order. */
  function sendEvents(): void {
    if (untold.size) return;
    const events = outbox;
    outbox = null;
    if (events) channel.post({ kind: 'events', events, id: anonymousId });
  }

  function record(type: string, given: Props | undefined, when: number | undefined): void {
    const t = typeof when === 'number' && Number.isFinite(when) ? Math.min(when, now()) : now();
    let props = given;
    // Copied as called (copyProps). Before `ready`: checked at once (an invalid call is rejected
    // whole), stored at once, applied at `ready`.
    try {
      props = copyProps(given);
      if (!engine) (validator ??= createEngine({ rules: EMPTY_RULES, onError: () => undefined })).track(type, props, { t });
    } catch (cause) {
      report(asSegletError(cause, 'invalid_event', 'invalid event'));
      return;
    }
    if (engine) {
      const event = stamp(type, props, t);
      if (!run(() => engine?.track(type, props, { t }), 'invalid_event')) return;
      lastAt = Math.max(lastAt, t);
      // A page open for a long session (a single-page app) keeps it alive as it goes, not only when it leaves.
      if (lastAt - keptAt >= KEEP_EVERY) keep();
      seen.add(event.id);
      persist(event);
      received?.push(event);
      return;
    }
    const event = stamp(type, props, t);
    queuedIds.add(event.id);
    earlyEvents.push(event);
    persist(event);
    queue.push(() => applyEvents([event]));
  }

  /** Applies events this engine has not seen (other tabs, the store); they are never stored again here. */
  function applyEvents(events: readonly StoredEvent[]): void {
    // One settle for the whole batch (another tab's task, a reload), each event's failure reported on its own.
    run(() => {
      for (const e of events) {
        if (!seen.add(e.id)) continue;
        lastAt = Math.max(lastAt, e.t);
        try {
          engine?.track(e.type, e.props, { t: e.t });
        } catch (cause) {
          report(asSegletError(cause, 'invalid_event', 'an operation failed'));
        }
      }
    });
  }

  function later(op: () => void): void {
    if (engine) op();
    else queue.push(op);
  }

  function setContext(ctx: Props): void {
    later(() => {
      if (run(() => engine?.setContext(ctx), 'invalid_value')) context = withoutNulls({ ...context, ...ctx });
    });
  }

  function onMessage(message: TabMessage): void {
    if (destroyed) return;
    if (message.kind === 'events') {
      // Tracked under an id this page forgot (sent before that tab heard of the forget): dropped,
      // as that tab dropped them, or the new profile started with the forgotten history.
      // Written by that tab to the same log: counted here too, so some tab cleans up in time.
      store?.heard(message.events.length);
      later(() => {
        if (forgottenIds.has(message.id as string)) return;
        received?.push(...message.events);
        applyEvents(message.events);
      });
    }
    else if (message.kind === 'forget') {
      // Heard before `ready`: what this page tracks from now on is written at once and would go
      // with the clear at `ready`; it is kept, as for this page's own forget() before `ready`.
      const from = engine ? undefined : earlyEvents.length;
      const { id, old } = message;
      later(() => {
        // That tab forgot the profile this page forgot too, at the same time (a host that calls
        // forget() in every tab, on logout): every tab keeps the larger new id. Each took the
        // other's, and from then on they dropped each other's events (under an id they forgot).
        if (id && old && forgottenIds.has(old) && id < anonymousId) forgottenIds.set(id, '');
        else void erase(false, from, undefined, id);
      });
    }
    else setConsent(message.consent, false);
  }

  /** Loads the stored log and the persisted anonymous id. */
  async function restore(s: EventStore): Promise<StoredEvent[] | null> {
    const id = anonymousId;
    await s.ready;
    // Two reads side by side: the meta read's round trip no longer waits for the log's.
    const [history, stored] = await Promise.all([s.load(), s.getMeta<unknown>(ANONYMOUS_ID)]);
    // A forget() ran meanwhile (it gave the page a new id; a grant's read after `ready` can see
    // one): the read may be from before its clear. Null: the erase left the engine as it should
    // be, and the read put the forgotten history and id back.
    if (id !== anonymousId) return null;
    if (isAnonymousId(stored)) anonymousId = stored;
    else {
      // Damaged, not merely absent (a first visit): the contract has stored data that fails to
      // parse reported, and it was replaced silently (the profile changes under the host's feet).
      if (stored !== undefined) report(new SegletError('corrupt_data', 'the stored anonymous id failed to parse; a new one replaces it'));
      await s.setMeta(ANONYMOUS_ID, anonymousId);
      // The same for a forget() during that report (the host's onError) or that write.
      if (id !== anonymousId) return null;
    }
    return history;
  }


  function eraseStored(): void {
    const s = store;
    store = null;
    void eraser.clearStore(s);
    eraser.clearTraces();
    noteForget(win, false);
  }

  function setConsent(state: ConsentState, broadcast: boolean): void {
    if (!CONSENT.includes(state)) {
      badConsent(report);
      return;
    }
    if (state === consent) return;
    sendEvents();
    // Pending leaves the other tabs as they are; a denial deletes what they would write back.
    if (broadcast && (granted() || state !== 'pending')) channel.post({ kind: 'consent', consent: state });
    consent = state;
    if (state === 'granted') {
      // The landing facts were this page's own, read without sessionStorage: the session's apply
      // from now on (a campaign an earlier page landed with), and this page keeps its own when it
      // starts one. Keys the page set in `context` stay as given.
      const session: Props = { ...sessionLanding(win, options.cookie === true, knownTimeout()) };
      Object.assign(landing, session);
      for (const key in options.context) Reflect.deleteProperty(session, key);
      setContext(session);
      const s = openStore();
      if (memoryEvents.length > 0) {
        const kept = memoryEvents.slice(-retainedEvents);
        s.append(kept);
        // Nothing is posted without consent: the other tabs get them now, or their memberships
        // lacked them until a reload.
        channel.post({ kind: 'events', events: kept });
      }
      memoryEvents = [];
      // Before `ready` the restore picks the store up; after it, stored history joins the engine.
      if (engine) {
        // Events tracked here or received from other tabs meanwhile are applied at once but may
        // be missing from the read: the rebuild keeps them (it dropped them until the next load).
        const late: StoredEvent[] = [];
        received = late;
        void restore(s).then((history) => {
          if (received === late) received = null;
          if (destroyed || store !== s) return;
          if (history) run(() => rebuild(history.concat(late)));
          startBeacon(s);
          shareLanding();
        });
      }
      return;
    }
    beacon?.stop();
    beacon = null;
    if (state === 'denied') {
      eraseStored();
      // The stored id is deleted with the rest: a later grant starts a new profile, where it wrote
      // this one back and the beacon changed the profile of before the denial.
      anonymousId = randomId();
      return;
    }
    // Pending: what was computed while granted is still written, as it was before.
    snapshots.flush();
    const s = store;
    store = null;
    if (s) eraser.putDown(s.flush().then(() => s.close()));
  }

  /**
   * `from`: forget() was called (or another tab's heard) before `ready` (this runs in its replay),
   * when `earlyEvents` held `from` events: the ones tracked since, already persisted or kept in
   * memory, are kept. `note`: the erase note it wrote then. `next`: the anonymous id to continue
   * with (the forgetting tab's). `tell`: tells the other tabs, once this tab's request for the Web
   * Lock is queued (see forget()).
   */
  async function erase(local: boolean, from?: number, note?: EraseNote, next = randomId(), tell?: () => void): Promise<void> {
    // A grant still reading the store must not bring back events received before this forget.
    received?.splice(0);
    // For another tab's page that stashed events on its way out, with consent (none without).
    if (local && granted()) noteForget(win);
    const later = from === undefined ? [] : earlyEvents.slice(from);
    memoryEvents = memoryEvents.filter((e) => later.includes(e));
    const s = local ? store : null;
    // Noted before the clear, which is sealed with the note's token and stores the new id in the
    // same hold of the lock: a page loaded meanwhile reads both, or neither.
    const noted = s ? note ?? noteErase(win) : undefined;
    // Called first: it drops this tab's unwritten events at once. Without consent no store is
    // open, but an earlier visit may have filled it: one is opened only to be emptied. For another
    // tab's forget(), this tab's writes from now on wait for that tab's deletion, which erased
    // them (events tracked under the new id, lost from the store).
    const cleared = s ? s.clear(false, noted?.token, [[ANONYMOUS_ID, next]], tell) : local ? eraser.clearStore(null) : store?.clear(true);
    // Written again after the clear (the store waits for it): it took them with the rest.
    if (later.length > 0) store?.append(later);
    forgetting = anonymousId;
    forgottenIds.set(anonymousId, next);
    anonymousId = next;
    userId = null;
    traits = {};
    // Before the rebuild empties the memberships: nothing more goes out for the forgotten id (not
    // those exits either) but its forget request, queued once the clear is done.
    const forgetSent = local ? beacon?.forget(cleared) : undefined;
    run(() => rebuild([]));
    // After the rebuild, which would otherwise leave an empty snapshot behind.
    eraser.clearTraces();
    // Nor does this page's activity write back the landing it erased (the next page decides anew).
    keptAt = Infinity;
    if (!local) {
      // Told while it still reads the forgotten id: nothing more goes out for it from this tab.
      beacon?.reset();
      forgetting = null;
      return;
    }
    const forgotten = forgetting;
    const finished = (async (): Promise<void> => {
      await Promise.all([cleared, forgetSent]);
      // forget() before `ready`: the beacon started after this erase.
      if (!forgetSent) await beacon?.forget();
      forgetting = null;
      if (s && store === s) await s.setMeta(ANONYMOUS_ID, anonymousId);
    })();
    // Noted until the forget request is queued too: a page gone before then leaves both to the
    // next. Without a store open, the store opened to be emptied noted its erase itself.
    if (noted && s) {
      // Before `ready` this page's beacon had not started: the one to come sends the request.
      if (options.beacon) noted.forget(forgotten);
      eraser.erasing(finished, s, noted);
    } else note?.end();
    await finished;
  }

  /** The beacon runs only with a URL and consent granted; it persists through the store's meta. */
  function startBeacon(s: EventStore | null): void {
    // A URL string is short for `{ url }`: taken as an object, it beaconed to "/undefined".
    const config = typeof options.beacon === 'string' ? { url: options.beacon } : options.beacon;
    if (beacon || !config || !granted() || destroyed) return;
    beacon = createBeacon({
      url: config.url, respectGPC: config.respectGPC, store: s, onError: report, win,
      anonymousId: () => forgetting ?? anonymousId, userId: () => userId,
      rules: () => rules && (mark ??= rulesMark(rules, rulesAt)),
    });
    if (engine && rules) beacon.update(engine.members());
  }

  const ready = (async (): Promise<void> => {
    try {
      if (loading instanceof Promise) {
        const fetched = await loading;
        // Destroyed during the fetch: no engine is built for a page that is gone.
        if (destroyed) return;
        useRules(fetched);
        const open = store as EventStore | null;
        if (fetched && open) void open.prune(fetched.retain, undefined, rulesAt);
      }
      let history: StoredEvent[] = [];
      // Consent withdrawn while reading: what was read is not used. Withdrawn and granted again
      // (pending then granted before `ready`): the store opened by the grant is read, where the
      // page once ran without its stored history until the next load.
      for (let s: EventStore | null = null; s !== store;) {
        s = store;
        history = s ? (await restore(s) ?? []).filter((e) => !queuedIds.has(e.id)) : [];
        if (destroyed) return;
      }
      for (const id of handlers.ids()) {
        if (known(id)) continue;
        unknownSegment(id);
        handlers.drop(id, now());
      }
      run(() => rebuild(history, () => {
        const ops = queue;
        queue = [];
        for (const op of ops) op();
      }));
      validator = null;
      earlyEvents.length = 0;
      forgetsBeforeReady.length = 0;
      if (store) startBeacon(store);
      shareLanding();
    } catch (cause) {
      report(asSegletError(cause, 'internal_error', 'seglet could not finish starting'));
    } finally {
      settle();
    }
  })();

  const stopListening = listenLifecycle(win, {
    hide() {
      tellAll();
      if (granted()) {
        snapshots.flush();
        keep();
      }
      void store?.flush();
      // Leaving before the database opened: kept for the tab's next page (not in memory mode).
      if (store && options.storage !== 'memory') stashEvents(win, store.unwritten());
      beacon?.pagehide();
    },
    visible: () => run(() => engine?.tick()),
    restored() {
      if (!engine) return;
      // A frozen page missed the other tabs' messages: read the store before catching up.
      const s = store;
      const id = anonymousId;
      void (s ? s.load() : Promise.resolve([])).then((events) => {
        if (destroyed) return;
        // Not after a forget() meanwhile (a new id): the read may be from before its clear.
        if (id === anonymousId) applyEvents(events);
        run(() => engine?.tick());
      });
    },
  });
  const { guard, guardAsync } = createGuards(() => destroyed, report);

  const collectors = startCollectors(win, options.collect, kit, (type, props) => record(type, props, undefined), (path) => setContext({ path }), report);

  const api: Segments = {
    ready,
    get storage() { return store?.mode ?? 'memory'; },
    track: guard((type: string, props?: Props, opts?: { t?: number }) => record(type, props, opts?.t), undefined),
    page: guard((path?: string, title?: string) => {
      // The referrer is where the document came from: it belongs to its landing view only, as
      // the collector records it (a host recording page views itself lost it altogether).
      const props: Record<string, PropValue> = pageViewProps(win, { path, title, referrer: collectors.landing() });
      record('page_view', props, undefined);
      collectors.pageView();
      setContext({ path: props['path'] as string });
    }, undefined),
    // Context and traits are copied as called too: a call before `ready` applies the values it was given.
    identify: guard((id: string | null, given?: Props) => {
      // The collector refuses a batch with a longer id or a lone surrogate (not JSON's UTF-8):
      // every later batch of the visitor was dropped. Other non-strings are the engine's to refuse.
      if (id && (id.length > 256 || /\p{Cs}/u.test(id))) throw new SegletError('invalid_value', '/userId: over 256 characters or a lone surrogate');
      const more = copyProps(given);
      later(() => {
        if (!run(() => engine?.identify(id, more), 'invalid_value')) return;
        userId = id;
        traits = withoutNulls(id === null ? { ...more } : { ...traits, ...more });
        // A new userId reaches the collector even when no membership changed (see REFRESH_MS).
        if (id !== null && engine && rules) beacon?.update(engine.members());
      });
    }, undefined),
    setContext: guard((ctx: Props) => setContext(copyProps(ctx)), undefined),
    on: guard((id: string, enter: (c: Change) => void, exit?: (c: Change) => void) => {
      if (typeof enter !== 'function' || (exit !== undefined && typeof exit !== 'function')) {
        report(new SegletError('invalid_option', 'on() needs an enter function (and an optional exit function)'));
        return noop;
      }
      if (!known(String(id))) {
        unknownSegment(String(id));
        return noop;
      }
      return handlers.add(id, enter, exit, current.has(id), now());
    }, noop),
    has: guard((id: string) => current.has(id), false),
    members: guard(() => (engine && rules ? engine.members() : [...current]), []),
    explain: guard((id: string) => {
      if (!engine || !rules || !known(id)) return null;
      return engine.explain(id);
    }, null),
    apply: guard((root: ParentNode) => swapper?.apply(current, root), undefined),
    consent: guard((state: ConsentState) => setConsent(state, true), undefined),
    flush: guardAsync(async () => {
      if (!granted()) return;
      // Before `ready` no beacon runs yet: the change the queued calls make was not handed over,
      // and a page that flushed before leaving sent nothing (not even at pagehide).
      await ready;
      await store?.flush();
      await beacon?.flush();
    }),
    forget: guardAsync(async () => {
      sendEvents();
      const next = randomId();
      // Told once this tab's request for the Web Lock is queued in the browser: a tab told then
      // asks for it too (to hold its writes until this clear is done) and is sure to come second.
      // Told in the same task as the request, its own could reach the browser first under load,
      // and the clear deleted the events it tracked under the new id.
      const tell = (): void => {
        if (!untold.delete(tell)) return;
        // With the id it forgot, read now: before `ready` it is the stored one, known only then.
        let old;
        for (const [id, to] of forgottenIds) if (to === next) old = id;
        channel.post({ kind: 'forget', id: next, old });
        sendEvents();
      };
      untold.add(tell);
      // Without a lock request (no store, no Web Locks), or should it fail: once the erase is done.
      if (engine) await erase(true, undefined, undefined, next, tell).finally(tell);
      else {
        // Erased at `ready` (after the restore has read the anonymous id the forget request is
        // for), keeping what is tracked after this call: the clear then took those events too.
        // The other tabs are told then too, once its lock request is queued (or on destroy()):
        // told now, their writes could come before a request this tab has not made yet.
        const from = earlyEvents.length;
        // Noted now: a page gone before `ready` leaves the erase, and the request for the stored
        // id, to the next page.
        const note = noteErase(win, true);
        await new Promise<void>((resolve) => {
          forgetsBeforeReady.push(resolve);
          queue.push(() => void erase(true, from, note, next, tell).finally(tell).then(resolve, resolve));
        });
      }
    }),
    destroy: guard(() => {
      if (granted()) {
        snapshots.flush();
        keep();
      }
      destroyed = true;
      collectors.stop();
      timer.clear();
      swapper?.stop();
      tellAll();
      sendEvents();
      channel.close();
      beacon?.stop();
      unsubscribe();
      handlers.clear();
      stopListening();
      const s = store;
      store = null;
      if (!engine && forgetsBeforeReady.length > 0) {
        // forget() waits for a `ready` that will not come now: it still erases what is stored
        // and settles (it stayed pending forever, and the data stayed).
        const waiting = forgetsBeforeReady.splice(0);
        if (granted()) noteForget(win);
        eraser.clearTraces();
        const done = (): void => { for (const settle of waiting) settle(); };
        void eraser.eraseLeavingForget(s).then(done, done);
      } else if (s) {
        // After what is under way on it: an erase's forget request is saved after its clear, and
        // a closed store drops the write (the request was lost and its note ended).
        const running = eraser.settling;
        eraser.putDown(Promise.all([running.catch(noop), s.flush()]).then(() => s.close()));
      }
      leaveRunning(win, eraser.settling);
      setInstance(win, undefined);
      // The overlay shown for this instance goes with it (its timer ran on, and a new instance
      // could not show its own).
      watcher(true);
    }, undefined),
  };
  // Not enumerable by Object.keys or JSON (a symbol), and not part of the `Segments` type.
  // A listener given after destroy() hears it at once: an overlay mounted late goes at once too.
  (api as Segments & { [DEBUG_HOOK]: DebugHook })[DEBUG_HOOK] = (listener) => (destroyed ? listener?.(true) : (watcher = listener ?? watcher), { engine: destroyed ? null : engine, rules });
  setInstance(win, api);
  return api;
}
