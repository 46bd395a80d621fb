import type { Sessions } from '../Sessions.js';
import { PointLeaf, type PointKind } from './PointLeaf.js';

interface Metric { sessions: Sessions; metric: string }

/** `session`: a metric of the latest session; changes only when events arrive or leave. */
const SESSION: PointKind<Metric> = {
  drop: null,
  value: ({ s }) => s.sessions.metric(s.metric),
  /** Changes only when events arrive or leave: never scheduled. */
  arm: (leaf, _now, heap) => heap.set(leaf, Infinity),
};

/** A `session` leaf reading `metric` of `sessions`. */
export const sessionLeaf = (sessions: Sessions, metric: string, text: string): PointLeaf<Metric> =>
  new PointLeaf(SESSION, null, text, { sessions, metric });
