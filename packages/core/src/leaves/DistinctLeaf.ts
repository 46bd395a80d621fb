import { propOf } from '../checkProps.js';
import type { Alpha } from '../Alpha.js';
import type { Rec } from '../Rec.js';
import type { Sessions } from '../Sessions.js';
import type { Primitive } from '../types.js';
import { WindowLeaf, type Within } from './WindowLeaf.js';

/** `distinct`: how many different non-null primitives a prop took in the window. */
export class DistinctLeaf extends WindowLeaf {
  private readonly counts = new Map<Primitive, number>();

  constructor(alpha: Alpha, within: Within, sessions: Sessions, text: string, private readonly of: string) {
    super(alpha, within, sessions, text);
  }

  private each(r: Rec, f: (x: Primitive) => void): void {
    const v = propOf(r.props, this.of);
    for (const x of Array.isArray(v) ? v : [v]) if (x !== null && x !== undefined) f(x);
  }

  protected add(r: Rec): void {
    this.each(r, (x) => this.counts.set(x, (this.counts.get(x) ?? 0) + 1));
  }

  protected remove(r: Rec): void {
    this.each(r, (x) => {
      const n = (this.counts.get(x) as number) - 1;
      if (n === 0) this.counts.delete(x);
      else this.counts.set(x, n);
    });
  }

  protected clear(): void {
    this.counts.clear();
  }

  value(now: number): number {
    this.advance(now);
    return this.counts.size;
  }
}
