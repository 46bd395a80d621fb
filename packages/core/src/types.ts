import type { SegletError } from './SegletError.js';

/** A single value an event prop, trait or context key may hold. */
export type Primitive = string | number | boolean | null;

/** A prop value: a primitive or a flat array of primitives (at most 32 elements). */
export type PropValue = Primitive | Primitive[];

/** Event props, traits and context: at most 32 keys of `[A-Za-z0-9_.:-]{1,64}`. */
export type Props = Record<string, PropValue>;

/** One behavioral event, as tracked and as kept in the retained log. */
export interface SegEvent {
  /** Event type, `[a-z0-9_.:-]{1,64}`, e.g. `page_view` or `add_to_cart`. */
  type: string;
  /** Milliseconds since the epoch; defaults to `now()`, a future time is recorded at `now()`. */
  t?: number;
  props?: Props;
}

/** A duration: integer milliseconds, or `<int><unit>` with unit `ms s m h d w` (e.g. `"30m"`). */
export type Duration = number | string;

/** Operators of a test on a value; all given operators must hold. */
export interface TestOperators {
  eq?: Primitive;
  ne?: Primitive;
  gt?: number | string;
  gte?: number | string;
  lt?: number | string;
  lte?: number | string;
  in?: Primitive[];
  prefix?: string;
  suffix?: string;
  contains?: string;
  glob?: string;
  exists?: boolean;
}

/** A test on a value: operators, or a bare primitive meaning `{ eq: value }`. */
export type Test = TestOperators | Primitive;

/** Prop name to test; every entry must hold for an event to match. */
export type Where = Record<string, Test>;

/** An event type, or `"*"` for any type. */
export type EventTypeRef = string;

/** Holds when every condition in the list holds (an empty list holds). */
export interface AllCondition { all: Condition[] }
/** Holds when at least one condition in the list holds (an empty list does not). */
export interface AnyCondition { any: Condition[] }
/** Holds when its condition does not. */
export interface NotCondition { not: Condition }

interface Windowed extends TestOperators {
  where?: Where;
  /** A duration, or `"session"` for the latest session. */
  within?: Duration | 'session';
}
/** The number of matching events in the window, compared by its test. */
export interface CountCondition extends Windowed { count: EventTypeRef }
/** The sum of the numeric prop `of` over the matching events in the window. */
export interface SumCondition extends Windowed { sum: EventTypeRef; of: string }
/** The smallest numeric value of prop `of` in the window (`null` when there is none). */
export interface MinCondition extends Windowed { min: EventTypeRef; of: string }
/** The largest numeric value of prop `of` in the window (`null` when there is none). */
export interface MaxCondition extends Windowed { max: EventTypeRef; of: string }
/** The mean of the numeric prop `of` in the window (`null` when there is none). */
export interface AvgCondition extends Windowed { avg: EventTypeRef; of: string }
/** How many different non-null values prop `of` took in the window. */
export interface DistinctCondition extends Windowed { distinct: EventTypeRef; of: string }
/** Prop `of` of the newest matching event in the window (`null` when it lacks it). */
export interface LastCondition extends Windowed { last: EventTypeRef; of: string }
/** The time since the newest matching event (`Infinity` when there is none); tests take durations. */
export interface SinceCondition extends TestOperators { since: EventTypeRef; where?: Where }
/** An `abandoned` event with no `unless` event at or after it for `after`, within `within` if given. */
export interface AbandonedCondition {
  abandoned: EventTypeRef;
  where?: Where;
  unless: EventTypeRef | { event: EventTypeRef; where?: Where };
  after: Duration;
  within?: Duration;
}
/** Metrics of the latest session. */
export type SessionMetric = 'pageViews' | 'events' | 'duration' | 'number';
/** A metric of the latest session, compared by its test. */
export interface SessionCondition extends TestOperators { session: SessionMetric }
/** A context value (set by the page or the edge, or `hour`/`weekday` from the clock), compared by its test. */
export interface ContextCondition extends TestOperators { context: string }
/** A trait of the user (set by `identify`), compared by its test. */
export interface TraitCondition extends TestOperators { trait: string }
/** Holds while the user is a member of another segment. */
export interface SegmentCondition { segment: string }
/** A stable number in [0, 1) from the salt and the anonymous id, compared by its test (a holdout, an A/B split). */
export interface BucketCondition extends TestOperators { bucket: string }

/** A value expression inside `score` and `cluster`: an aggregate, session, context or trait without tests. */
export type ValueExpression =
  | Omit<CountCondition, keyof TestOperators>
  | Omit<SumCondition, keyof TestOperators>
  | Omit<MinCondition, keyof TestOperators>
  | Omit<MaxCondition, keyof TestOperators>
  | Omit<AvgCondition, keyof TestOperators>
  | Omit<DistinctCondition, keyof TestOperators>
  | Omit<LastCondition, keyof TestOperators>
  | Omit<SinceCondition, keyof TestOperators>
  | { session: SessionMetric }
  | { context: string }
  | { trait: string };

/** One term of a score: `weight` times the value (capped at `cap` when given). */
export interface ScoreTerm { weight: number; value: ValueExpression; cap?: number }
/** A linear model: `bias` plus its terms, through the logistic function unless `link` is `"linear"`. */
export interface ScoreModel { bias?: number; terms: ScoreTerm[]; link?: 'logistic' | 'linear' }
/** The output of a score model, compared by its test. */
export interface ScoreCondition extends TestOperators { score: ScoreModel }
/** One feature of a cluster model: a value (capped at `cap` when given), standardised by the model's mean and scale. */
export interface ClusterFeature { value: ValueExpression; cap?: number }
/** A k-means model: features standardised by `mean` and `scale`, assigned to the nearest centroid by label. */
export interface ClusterModel {
  features: ClusterFeature[];
  mean: number[];
  scale: number[];
  centroids: Record<string, number[]>;
}
/** The label of the nearest centroid, compared by its test. */
export interface ClusterCondition extends TestOperators { cluster: ClusterModel }

/** Every condition is an object with exactly one kind key. */
export type Condition =
  | AllCondition | AnyCondition | NotCondition
  | CountCondition | SumCondition | MinCondition | MaxCondition | AvgCondition
  | DistinctCondition | LastCondition | SinceCondition | AbandonedCondition
  | SessionCondition | ContextCondition | TraitCondition | SegmentCondition
  | BucketCondition | ScoreCondition | ClusterCondition;

/** The kind key of a condition. */
export type ConditionKind =
  | 'all' | 'any' | 'not' | 'count' | 'sum' | 'min' | 'max' | 'avg' | 'distinct' | 'last'
  | 'since' | 'abandoned' | 'session' | 'context' | 'trait' | 'segment' | 'bucket' | 'score' | 'cluster';

/** One segment: its condition, an optional `hold` and a description for people. */
export interface SegmentRule {
  description?: string;
  when: Condition;
  /** Stay a member this long after the condition stops holding. */
  hold?: Duration;
}

/** A rule set, version 1. Segment declaration order is the order of change emission. */
export interface RuleSet {
  version: 1;
  session?: { timeout?: Duration };
  retain?: { events?: number; for?: Duration };
  segments: Record<string, SegmentRule>;
}

/** One validation problem. `path` is a JSON pointer into the rule set. */
export interface Issue { path: string; message: string }

/** Result of `validateRules`. */
export type ValidationResult =
  | { ok: true; rules: RuleSet; warnings: Issue[] }
  | { ok: false; errors: Issue[] };

/** A membership transition at instant `t`. */
export interface Change { segment: string; member: boolean; t: number }

/** Error codes raised by the engine and the runtimes. */
export type SegletErrorCode =
  | 'invalid_rules' | 'invalid_event' | 'invalid_value' | 'invalid_option'
  | 'unknown_segment' | 'callback_failed'
  | 'storage_unavailable' | 'storage_timeout' | 'storage_quota' | 'corrupt_data'
  | 'rules_fetch_failed' | 'duplicate_instance'
  | 'beacon_failed' | 'collector_failed' | 'swap_target_missing' | 'swap_invalid_selector' | 'swap_failed';

/** Options of `createEngine`. */
export interface EngineOptions {
  rules: RuleSet;
  now?: () => number;
  /** IANA zone for `hour` and `weekday`; default the device's. Unknown: `invalid_option`. */
  timeZone?: string;
  /** Stable id for `bucket`; default random per engine. Not a string: `invalid_option`. */
  anonymousId?: string;
  /** The known user, as `identify()` sets it. Not a string: `invalid_option`. */
  userId?: string;
  traits?: Props;
  context?: Props;
  /** History to replay in time order; a bad entry is skipped and reported, a non-array is `invalid_option`. */
  events?: SegEvent[];
  onError?: (error: SegletError) => void;
}

/** One node of an explanation: a sub-condition, its live value and its verdict. */
export interface ExplainNode {
  kind: ConditionKind;
  /** JSON pointer of this condition in the rule set. */
  path: string;
  /** Whether this sub-condition holds now. */
  verdict: boolean;
  /** The live value compared by the tests (count, sum, label, ...), when the kind has one. */
  value?: unknown;
  /** A one-line reading for people, e.g. `count of page_view within 24h = 2; needs gte 3`. */
  text: string;
  children?: ExplainNode[];
}

/** Why a user is or is not in a segment. */
export interface Explanation {
  segment: string;
  member: boolean;
  /** Whether the condition itself holds now (a member may be held by `hold`). */
  holds: boolean;
  /** When a running `hold` ends, else null. */
  holdUntil: number | null;
  condition: ExplainNode;
}

/** The incremental engine: see the rule-language guide for semantics. */
export interface Engine {
  track(type: string, props?: Props, options?: { t?: number }): Change[];
  tick(): Change[];
  nextChange(): number | null;
  has(id: string): boolean;
  members(): string[];
  on(id: string, enter: (c: Change) => void, exit?: (c: Change) => void): () => void;
  subscribe(listener: (c: Change) => void): () => void;
  explain(id: string): Explanation;
  setRules(rules: RuleSet): Change[];
  identify(userId: string | null, traits?: Props): Change[];
  setContext(context: Props): Change[];
  events(): readonly SegEvent[];
  /** The anonymous id used for `bucket` conditions. */
  readonly anonymousId: string;
  /** The current user id, if `identify` set one. */
  readonly userId: string | null;
}
