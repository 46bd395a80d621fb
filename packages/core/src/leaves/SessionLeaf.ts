import type { Sessions } from '../Sessions.js';
import type { TimedHeap } from '../TimedHeap.js';
import { LeafBase, type Leaf } from './Leaf.js';

/** `session`: a metric of the latest session; changes only when events arrive or leave. */
export class SessionLeaf extends LeafBase implements Leaf {
  constructor(private readonly sessions: Sessions, private readonly metric: string, readonly text: string) {
    super();
  }

  reset(): void {}
  onAppend(): void {}

  value(): number {
    return this.sessions.metric(this.metric);
  }

  /** Changes only when events arrive or leave: never scheduled. */
  settle(_now: number, heap: TimedHeap): boolean {
    heap.set(this, Infinity);
    return this.judge(this.value());
  }
}
