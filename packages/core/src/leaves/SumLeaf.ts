import { propOf } from '../checkProps.js';
import { ExactSum } from '../exactSum.js';
import type { Rec } from '../Rec.js';
import { eachNumber } from './Leaf.js';
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

  private readonly plus = (x: number): void => { this.sum.add(x); this.n++; };
  private readonly minus = (x: number): void => { this.sum.add(-x); this.n--; };

  protected add(r: Rec): void {
    eachNumber(propOf(r.props, this.of), this.plus);
  }

  protected remove(r: Rec): void {
    eachNumber(propOf(r.props, this.of), this.minus);
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
