import { createEngine, SegletError, type Change, type Engine, type SegEvent } from '@seglet/core';
import type { CommandResult, SimulateLimits, SimulateOptions } from './types.js';
import { loadRules, plural } from './loadRules.js';
import { readText, STDIN } from './readJson.js';
import { parseEvents, type LoggedEvent, type ParsedLog } from './parseEvents.js';
import { NOT_A_TIME, readTime } from './parseTime.js';
import { shellWord } from './urlProblem.js';
import { parseProps } from './parseProps.js';
import { swappedFiles } from './swappedFiles.js';

// nextChange() always moves forward, so this only guards against a rule set that wakes every
// millisecond for years of simulated time. Past it the listing stops (exit code unchanged).
const MAX_WAKEUPS = 1_000_000;

/** The anonymous id without `--anonymous-id`: fixed, so that `bucket` gives the same result every run. */
export const DEFAULT_ANONYMOUS_ID = 'seglet-cli';

/**
 * `seglet simulate rules.json events.jsonl [--at] [--tz] [--context] [--traits] [--anonymous-id]`:
 * replays the log through the engine on a simulated clock, letting time pass between events the
 * way a runtime's timer does, then up to `at` (default: the last event the engine took). Prints
 * the enter/exit timeline, the number of events replayed (skipped lines left out) and the final
 * members. `context`, `traits` and `anonymousId` are the engine's from the start of the replay.
 * Exit 0; 1 when a file is unusable or a line was skipped (the rest is still replayed: the
 * skipped lines are `messages`, the timeline is still `output`); 2 for a bad `at`, `tz`,
 * `context`, `traits` or `anonymousId`.
 */
export function simulate(options: SimulateOptions, limits: SimulateLimits = { maxWakeups: MAX_WAKEUPS }): CommandResult {
  const max = limits.maxWakeups;
  // The seconds range is judged once the log is read: a log counted from 0 takes it as milliseconds.
  const time = options.at === undefined ? undefined : readTime(options.at, true);
  if (time?.ok === false) {
    const why = time.problem === NOT_A_TIME ? `must be an ISO 8601 time or epoch milliseconds, got "${options.at}"` : time.problem;
    return { output: `seglet: --at ${why}\n`, code: 2 };
  }
  const at = time?.ms;
  const context = options.context === undefined ? undefined : parseProps('--context', options.context);
  if (context?.ok === false) return { output: `seglet: --context ${context.problem}\n`, code: 2 };
  const traits = options.traits === undefined ? undefined : parseProps('--traits', options.traits);
  if (traits?.ok === false) return { output: `seglet: --traits ${traits.problem}\n`, code: 2 };
  // Checked before any file is read, by the core itself (an engine without segments): a usage
  // error comes before a missing file, where a bad zone was reported only once the files were read.
  // The core's messages start with its own "seglet: ", which would be doubled.
  if (options.tz !== undefined) {
    try {
      createEngine({ rules: { version: 1, segments: {} }, timeZone: options.tz });
    } catch (e) {
      if (!(e instanceof SegletError)) throw e;
      return { output: `seglet: --tz: ${e.message.replace(/^seglet: /, '')}\n`, code: 2 };
    }
  }
  // An empty id is most likely an unset shell variable (`--anonymous-id "$ID"`).
  if (options.anonymousId === '') return { output: 'seglet: --anonymous-id must not be empty\n', code: 2 };
  const anonymousId = options.anonymousId ?? DEFAULT_ANONYMOUS_ID;
  if (options.rules === STDIN && options.events === STDIN) return { output: `seglet: only one file can be ${STDIN} (standard input)\n`, code: 2 };
  const loaded = loadRules(options.rules, `seglet simulate ${STDIN} ${shellWord(options.events)}`);
  if (!loaded.ok) {
    const swapped = swappedFiles(options.rules, options.events);
    return swapped === null ? loaded.result : { ...loaded.result, output: `${loaded.result.output}${swapped}\n` };
  }
  const text = readText(options.events, `seglet simulate ${shellWord(options.rules)} ${STDIN}`);
  if (typeof text !== 'string') return { output: `${text.message}\n`, code: 1 };
  const parsed = parseEvents(text);
  const strict = options.at === undefined || parsed.fromZero ? undefined : readTime(options.at);
  if (strict?.ok === false) return { output: `seglet: --at ${strict.problem}\n`, code: 2 };
  const problems = parsed.problems;

  // Sorted by time (stable, so equal times keep file order): the clock never runs backwards.
  // Events the engine refuses (a bad type or props) are found first, on an engine without
  // segments, and left out: they neither count as replayed nor set the default end.
  const sorted = accepted([...parsed.events].sort((a, b) => a.t - b.t), parsed.unit, problems);
  const end = at ?? sorted.at(-1)?.t ?? Date.now();
  const replayed = sorted.filter((e) => e.t <= end);
  let clock = replayed[0]?.t ?? end;
  const given = {
    ...(options.tz === undefined ? {} : { timeZone: options.tz }),
    ...(context === undefined ? {} : { context: context.props }),
    ...(traits === undefined ? {} : { traits: traits.props }),
  };
  /** The simulation's engine: its rules, zone, context, traits and id, on `now`, restored from `events` if given. */
  const start = (now: () => number, events?: SegEvent[]): Engine => createEngine({ rules: loaded.rules, now, ...given, anonymousId, ...(events && { events }) });
  let engine: Engine;
  try {
    engine = start(() => clock);
  } catch (e) {
    if (!(e instanceof SegletError)) throw e;
    // The zone was checked above: what is left to refuse is a context or traits value.
    if (e.code === 'invalid_value') return { output: `seglet: ${badValues(e)}\n`, code: 2 };
    throw e;
  }

  const timeline: Change[] = [];
  let wakeups = 0;
  let capped: number | null = null; // the last wake-up listed, once the cap is reached
  const advanceTo = (until: number): void => {
    for (let next = engine.nextChange(); next !== null && next <= until && capped === null; next = engine.nextChange()) {
      clock = next;
      timeline.push(...engine.tick());
      if (++wakeups >= max) capped = next;
    }
    if (capped === null) clock = until;
  };
  // Every replayed event is taken: the engine's checks of type and props passed in `accepted`.
  for (const e of replayed) {
    advanceTo(e.t);
    if (capped !== null) break;
    timeline.push(...engine.track(e.type, e.props, { t: e.t }));
  }
  if (capped === null) advanceTo(end);
  else {
    // Stepping on, or one tick at the end, would make the engine perform every later wake-up
    // itself. Instead it is rebuilt at `end` from the events replayed, the way a runtime restores a
    // stored log (windows, timers and holds come back as they were), so the final members are
    // right; only the changes after the cap go unlisted.
    engine = start(() => end, replayed.map(asEvent));
  }

  const lines = timeline.map((c) => `${iso(c.t)}  ${c.member ? 'enter' : 'exit '}  ${c.segment}`);
  const later = sorted.length - replayed.length;
  lines.push(`${plural(replayed.length, 'event')} replayed${later > 0 ? `, ${later} after --at ignored` : ''}`);
  if (capped !== null) lines.push(`stopped listing at ${iso(capped)} after ${max} wake-ups; later changes are not listed`);
  const members = engine.members();
  lines.push(`members at ${iso(end)}: ${members.length > 0 ? members.join(', ') : '(none)'}`);
  const output = `${lines.join('\n')}\n`;
  if (problems.length === 0) return { output, code: 0 };
  // Parse problems and engine refusals, back in file order.
  problems.sort((a, b) => lineOf(a) - lineOf(b));
  return { output, code: 1, messages: problems.map((p) => `skipped ${p}\n`).join('') };
}

/**
 * The events the engine takes (its checks of type, props and time do not depend on the rules),
 * each one it refuses added to `problems` with its line number (its position, in an array log). They are handed to an engine
 * without segments as a stored log, which checks each as track() does and reports the ones it
 * refuses by index, without tracking any: only the simulation's engine tracks them, once each.
 */
function accepted(events: LoggedEvent[], unit: ParsedLog['unit'], problems: string[]): LoggedEvent[] {
  const refused = new Set<number>();
  createEngine({
    rules: { version: 1, segments: {} }, anonymousId: DEFAULT_ANONYMOUS_ID, events: events.map(asEvent),
    // Called at once, in log order; each issue's path starts with the index: /events/<i>/props/...
    onError: (err) => {
      const issues = err.issues ?? [];
      const i = Number(/^\/events\/(\d+)/.exec(issues[0]?.path ?? '')?.[1]);
      refused.add(i);
      const detail = issues.map((x) => `${x.path.slice(`/events/${i}`.length)}: ${x.message}`).join('; ');
      problems.push(`${unit} ${(events[i] as LoggedEvent).line}: ${detail}`);
    },
  });
  return events.filter((_, i) => !refused.has(i));
}

/**
 * A context or traits value the engine refused, as the option and the key within it:
 * `--context /device: object is not allowed; ...`. The engine names the first of its two checks
 * that fails, so the issues are all under `/context` or all under `/traits`.
 */
function badValues(e: SegletError): string {
  const issues = e.issues ?? [{ path: '', message: e.message.replace(/^seglet: /, '') }];
  const option = issues[0]?.path.startsWith('/traits') ? '--traits' : '--context';
  // An issue of the whole object (too many keys) has no key to name: `--traits: 33 keys; at most 32`.
  const parts = issues.map((i) => `${i.path.replace(/^\/(context|traits)/, '')}: ${i.message}`);
  return `${option}${parts[0]?.startsWith(':') ? '' : ' '}${parts.join('; ')}`;
}

const asEvent = (e: LoggedEvent): SegEvent => (e.props === undefined ? { type: e.type, t: e.t } : { type: e.type, t: e.t, props: e.props });

function lineOf(problem: string): number {
  return Number(/^(?:line|event) (\d+)/.exec(problem)?.[1] ?? 0);
}

function iso(t: number): string {
  return new Date(t).toISOString();
}
