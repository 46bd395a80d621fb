import type { PointLeaf } from './PointLeaf.js';
import { modelLeaf, type Model, type Term } from './modelLeaf.js';

/** `score`: bias + sum(weight x value), through the logistic link unless `linear`. */
class Score implements Model {
  readonly xs: number[] = [];
  readonly ys: number[] = [];
  constructor(readonly terms: Term[], private readonly bias: number, private readonly logistic: boolean) {}

  output(xs: number[]): number {
    let linear = this.bias;
    for (let i = 0; i < xs.length; i++) linear += (this.terms[i] as Term).weight * (xs[i] as number);
    return this.logistic ? 1 / (1 + Math.exp(-linear)) : linear;
  }

  crossings(xs: number[], numbers: readonly number[]): ((ys: number[]) => boolean)[] {
    const f0 = this.output(xs);
    return numbers.map((x) => {
      const s0 = Math.sign(f0 - x);
      return (ys: number[]) => Math.sign(this.output(ys) - x) !== s0;
    });
  }
}

/** A `score` leaf. */
export const scoreLeaf = (terms: Term[], bias: number, logistic: boolean, text: string): PointLeaf<Model> =>
  modelLeaf(new Score(terms, bias, logistic), text);
