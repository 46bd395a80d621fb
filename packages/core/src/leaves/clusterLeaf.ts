import type { PointLeaf } from './PointLeaf.js';
import { modelLeaf, type Model, type Term } from './modelLeaf.js';

/** `cluster`: the label of the nearest centroid to the standardized features; ties go to the first declared. */
class Cluster implements Model {
  readonly xs: number[] = [];
  readonly ys: number[] = [];
  private readonly labels: string[];
  private readonly points: number[][];
  /** Scratch for `distances`, whose results are read at once and never kept. */
  private readonly z: number[] = [];
  private readonly d: number[] = [];

  constructor(readonly terms: Term[], private readonly mean: number[], private readonly scale: number[], centroids: Record<string, number[]>) {
    this.labels = Object.keys(centroids);
    this.points = this.labels.map((l) => centroids[l] as number[]);
  }

  private distances(xs: number[]): number[] {
    const { z, d, points } = this;
    for (let i = 0; i < xs.length; i++) z[i] = ((xs[i] as number) - (this.mean[i] as number)) / (this.scale[i] as number);
    for (let p = 0; p < points.length; p++) {
      let sum = 0;
      const c = points[p] as number[];
      for (let i = 0; i < c.length; i++) sum += ((z[i] as number) - (c[i] as number)) ** 2;
      d[p] = sum;
    }
    return d;
  }

  private nearest(d: number[]): number {
    let best = 0;
    for (let i = 1; i < d.length; i++) if ((d[i] as number) < (d[best] as number)) best = i;
    return best;
  }

  output(xs: number[]): string {
    return this.labels[this.nearest(this.distances(xs))] as string;
  }

  crossings(xs: number[]): ((ys: number[]) => boolean)[] {
    const a = this.nearest(this.distances(xs));
    // For each rival b, "b beats a" flips once: the squared-distance gap is linear in time.
    return this.points.flatMap((_, b) => (b === a ? [] : [(ys: number[]) => {
      const d = this.distances(ys);
      return (d[b] as number) < (d[a] as number) || (d[b] === d[a] && b < a);
    }]));
  }
}

/** A `cluster` leaf. */
export const clusterLeaf = (terms: Term[], mean: number[], scale: number[], centroids: Record<string, number[]>, text: string): PointLeaf<Model> =>
  modelLeaf(new Cluster(terms, mean, scale, centroids), text);
