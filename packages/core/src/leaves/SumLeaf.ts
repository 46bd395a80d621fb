import { propOf } from '../checkProps.js';
import { ExactSum } from '../exactSum.js';
import type { Rec } from '../Rec.js';
import { numbersOf } from './Leaf.js';
import { WindowLeaf, type Within } from './WindowLeaf.js';
import type { Alpha } from '../Alpha.js';
import type { Sessions } from '../Sessions.js';

/** `sum` and `avg` of a prop's numeric values, kept exact so add-then-remove leaves no residue. */
export class SumLeaf extends WindowLeaf {
  private readonly sum = new ExactSum();
  private n = 0;

  constructor(alpha: Alpha, within: Within, sessions: Sessions, text: string, private readonly of: string, private readonly avg: boolean) {
    super(alpha, within, sessions, text);
  }

  protected add(r: Rec): void {
    for (const x of numbersOf(propOf(r.props, this.of))) { this.sum.add(x); this.n++; }
  }

  protected remove(r: Rec): void {
    for (const x of numbersOf(propOf(r.props, this.of))) { this.sum.add(-x); this.n--; }
  }

  protected clear(): void {
    this.sum.clear();
    this.n = 0;
  }

  value(now: number): number | null {
    this.advance(now);
    if (!this.avg) return this.sum.value();
    return this.n === 0 ? null : this.sum.value() / this.n;
  }
}
