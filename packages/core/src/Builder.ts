import { Alpha } from './Alpha.js';
import { compileTest, primitiveCheck } from './compileTest.js';
import { compileWhere } from './compileWhere.js';
import { abandonedLeaf } from './leaves/abandonedLeaf.js';
import { clusterLeaf } from './leaves/clusterLeaf.js';
import { countLeaf } from './leaves/countLeaf.js';
import { distinctLeaf } from './leaves/distinctLeaf.js';
import { extremeLeaf } from './leaves/extremeLeaf.js';
import { lastLeaf } from './leaves/lastLeaf.js';
import type { Leaf } from './leaves/Leaf.js';
import type { Term } from './leaves/modelLeaf.js';
import { PointLeaf } from './leaves/PointLeaf.js';
import { scoreLeaf } from './leaves/scoreLeaf.js';
import { sessionLeaf } from './leaves/sessionLeaf.js';
import { SINCE, sinceLeaf } from './leaves/sinceLeaf.js';
import { sumLeaf } from './leaves/sumLeaf.js';
import type { Within } from './leaves/WindowLeaf.js';
import { fromClock } from './localClock.js';
import type { Node } from './Node.js';
import { parseDuration } from './parseDuration.js';
import type { Sessions } from './Sessions.js';
import type { ConditionKind, Where } from './types.js';

type Obj = Record<string, unknown>;
const KINDS: ConditionKind[] = ['all', 'any', 'not', 'count', 'sum', 'min', 'max', 'avg', 'distinct', 'last', 'since', 'abandoned', 'session', 'context', 'trait', 'segment', 'bucket', 'score', 'cluster'];

/** Finds the kind key of a (validated) condition. */
export const kindOf = (c: Obj): ConditionKind => KINDS.find((k) => Object.hasOwn(c, k)) as ConditionKind;

/**
 * Compiles validated conditions into nodes and leaves, sharing one alpha per distinct
 * (type, where) so each predicate runs once per event however many rules use it.
 */
export class Builder {
  readonly alphas = new Map<string, Alpha>();
  readonly leaves: Leaf[] = [];
  readonly sessionLeaves: Leaf[] = [];
  readonly models: Leaf[][] = [];
  /** The segments reading each context or trait value, by key. */
  readonly uses = { context: new Map<string, Set<number>>(), trait: new Map<string, Set<number>>() };
  readonly clockSegs = new Set<number>();
  readonly refs: number[][] = [];
  seg = 0;

  constructor(
    private readonly sessions: Sessions,
    private readonly ids: Map<string, number>,
    private readonly bucket: (salt: string) => number,
    /** Reads a context or trait value at an instant. */
    private readonly attr: (kind: 'context' | 'trait', key: string, now: number) => unknown,
  ) {}

  private alpha(type: string, where: Where | undefined): Alpha {
    const key = `${type}\u0000${where ? JSON.stringify(where) : ''}`;
    let a = this.alphas.get(key);
    if (!a) this.alphas.set(key, (a = new Alpha(type, compileWhere(where))));
    return a;
  }

  private add<L extends Leaf>(leaf: L, session = false): L {
    leaf.segs.push(this.seg);
    this.leaves.push(leaf);
    if (session) this.sessionLeaves.push(leaf);
    return leaf;
  }

  /** A leaf for an aggregate, since, session or model expression. */
  private leaf(kind: ConditionKind, c: Obj): Leaf {
    const type = c[kind] as string;
    const whereText = c.where ? ` where ${JSON.stringify(c.where)}` : '';
    const withinRaw = c.within as string | number | undefined;
    const within: Within = withinRaw === undefined ? null : withinRaw === 'session' ? 'session' : (parseDuration(withinRaw) as number);
    const text = `${kind}${c.of ? ` of ${String(c.of)}` : ''} of ${type}${whereText}${withinRaw === undefined ? '' : ` within ${String(withinRaw)}`}`;
    const a = () => this.alpha(type, c.where as Where | undefined);
    const of = c.of as string;
    switch (kind) {
      case 'count': return this.add(countLeaf(a(), within, this.sessions, text), within === 'session');
      case 'sum': case 'avg': return this.add(sumLeaf(a(), within, this.sessions, text, of, kind === 'avg'), within === 'session');
      case 'min': case 'max': return this.add(extremeLeaf(a(), within, this.sessions, text, of, kind === 'max'), within === 'session');
      case 'distinct': return this.add(distinctLeaf(a(), within, this.sessions, text, of), within === 'session');
      case 'last': return this.add(lastLeaf(a(), within, this.sessions, text, of), within === 'session');
      case 'since': return this.add(sinceLeaf(a(), text));
      case 'session': return this.add(sessionLeaf(this.sessions, type, `session ${type}`), true);
      case 'abandoned': {
        const u = c.unless as string | { event: string; where?: Where };
        const unless = typeof u === 'string' ? this.alpha(u, undefined) : this.alpha(u.event, u.where);
        const w = c.within === undefined ? null : (parseDuration(c.within) as number);
        return this.add(abandonedLeaf(a(), unless, parseDuration(c.after) as number, w, `abandoned ${type}${whereText} after ${String(c.after)}`));
      }
      default: return this.model(kind, c[kind] as Obj);
    }
  }

  private term(e: Obj, weight: number, cap: number | undefined): Term {
    const kind = kindOf(e);
    if (kind === 'context' || kind === 'trait') {
      this.attrUse(kind, e[kind] as string);
      const key = e[kind] as string;
      return { get: (now) => this.attr(kind, key, now), weight, cap, since: undefined };
    }
    const leaf = this.leaf(kind, e);
    return { get: (now) => leaf.value(now), weight, cap, since: leaf instanceof PointLeaf && leaf.k === SINCE ? leaf : undefined };
  }

  private model(kind: ConditionKind, m: Obj): Leaf {
    if (kind === 'score') {
      const terms = (m.terms as Obj[]).map((t) => this.term(t.value as Obj, t.weight as number, t.cap as number | undefined));
      const leaf = scoreLeaf(terms, (m.bias as number | undefined) ?? 0, m.link !== 'linear', `score (${m.link === 'linear' ? 'linear' : 'logistic'}, ${terms.length} terms)`);
      return this.addModel(leaf);
    }
    const terms = (m.features as Obj[]).map((f) => this.term(f.value as Obj, 1, f.cap as number | undefined));
    const centroids = m.centroids as Record<string, number[]>;
    return this.addModel(clusterLeaf(terms, m.mean as number[], m.scale as number[], centroids, `cluster of ${Object.keys(centroids).join('/')}`));
  }

  private addModel(leaf: Leaf): Leaf {
    (this.models[this.seg] ??= []).push(leaf);
    return this.add(leaf);
  }

  private attrUse(kind: 'context' | 'trait', key: string): void {
    if (fromClock(kind, key)) this.clockSegs.add(this.seg);
    else {
      let u = this.uses[kind].get(key);
      if (!u) this.uses[kind].set(key, (u = new Set()));
      u.add(this.seg);
    }
  }

  node(c: Obj, path: string): Node {
    const kind = kindOf(c);
    const at = `${path}/${kind}`;
    switch (kind) {
      case 'all': case 'any':
        return { k: kind, kind, path, c: (c[kind] as Obj[]).map((x, i) => this.node(x, `${at}/${i}`)) };
      case 'not': return { k: 'not', kind, path, c: [this.node(c.not as Obj, at)] };
      case 'segment': {
        const id = c.segment as string;
        const seg = this.ids.get(id) as number;
        (this.refs[seg] ??= []).push(this.seg);
        return { k: 'seg', kind, path, seg, id };
      }
      case 'context': case 'trait':
        this.attrUse(kind, c[kind] as string);
        return { k: 'attr', kind, path, key: c[kind] as string, test: compileTest(c) };
      case 'bucket': return { k: 'bucket', kind, path, salt: c.bucket as string, value: this.bucket(c.bucket as string), test: compileTest(c) };
      default: {
        const leaf = this.leaf(kind, c);
        if (kind === 'abandoned') {
          leaf.verdictOf = (v) => v === true;
          return { k: 'leaf', kind, path, leaf, test: null };
        }
        const durations = kind === 'since' || (kind === 'session' && c.session === 'duration');
        const test = compileTest(c, durations);
        const [op, a] = test.single ?? [];
        // A value that is never an array or undefined (every kind but `last`) needs no array case:
        // one call fewer each time the leaf settles.
        leaf.verdictOf = op && kind !== 'last' && op !== 'ne' && op !== 'exists' ? (primitiveCheck(op, a) as (v: unknown) => boolean) : test.fn;
        leaf.numbers = test.numbers;
        return { k: 'leaf', kind, path, leaf, test };
      }
    }
  }
}
