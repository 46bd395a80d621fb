import { ModelLeaf, type Term } from './ModelLeaf.js';

/** `score`: bias + sum(weight x value), through the logistic link unless `linear`. */
export class ScoreLeaf extends ModelLeaf {
  constructor(terms: Term[], private readonly bias: number, private readonly logistic: boolean, text: string) {
    super(terms, text);
  }

  protected output(xs: number[]): number {
    let linear = this.bias;
    this.terms.forEach((term, i) => { linear += term.weight * (xs[i] as number); });
    return this.logistic ? 1 / (1 + Math.exp(-linear)) : linear;
  }

  protected crossings(xs: number[]): ((ys: number[]) => boolean)[] {
    const f0 = this.output(xs);
    return this.numbers.map((x) => {
      const s0 = Math.sign(f0 - x);
      return (ys: number[]) => Math.sign(this.output(ys) - x) !== s0;
    });
  }
}
