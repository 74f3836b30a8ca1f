// Which nodes pass a cycle's filters, and the best score among them, kept across cycles for pods
// whose filter verdicts and scores depend only on each node's books and a class of the pod.
import type { BooksOrder, NodeInfo } from '../../cluster/node-info.js';
import type { RandomStream } from '../../engine/random.js';

/** What the index needs of a cycle: its filters' verdict on a node, its scorers' sum. */
export interface FitProbe {
  /** Whether the cycle's filters pass `node`. */
  passes(node: NodeInfo): boolean;
  /** The weighted sum of the cycle's node-local scores of `node`, or NaN when one of them is
   * not a valid final score (the cycle then takes the usual path, which reports it). */
  scoreSum(node: NodeInfo): number;
}

/** The nodes a search from `start` looks at until it has found `toFind` that pass (or has gone
 * round): positions start..endA-1, then 0..endB-1 when it wrapped. */
export interface FitRange {
  start: number;
  endA: number;
  endB: number;
  /** Nodes looked at (endA - start + endB) and, of them, nodes that pass. */
  looked: number;
  found: number;
}

/** When the index makes and keeps an entry for a class (FitIndex.search). */
export interface FitIndexPolicy {
  /** Node changes past which an entry is not followed, as a share of the nodes a search finds. */
  readonly followShare: number;
  /** Node changes within which a class must come back to be given an entry (a share of the
   * same): a build filters and scores every node, worth it only for a class of most cycles. */
  readonly buildShare: number;
  /** How many times in a row a class must come back that soon (a few shapes drawn at random come
   * back soon now and then; a class of most cycles does every time). */
  readonly buildStreak: number;
}

export const DEFAULT_FIT_INDEX_POLICY: FitIndexPolicy = { followShare: 0.25, buildShare: 1 / 32, buildStreak: 4 };
/** Entries are kept for at most this many positions in all (16 to 256 entries). */
const ENTRY_POSITIONS = 2_000_000;

/**
 * One filter class's index over the cluster's scheduling order (BooksOrder): a segment tree over
 * the positions holding, per subtree, how many nodes pass, and (the score layer, for one scorer
 * class at a time) the best score among them and how many share it. The books' change log says
 * which nodes changed since the index last looked; only those are filtered and scored again.
 */
class FitEntry {
  readonly n: number;
  readonly size: number;
  /** Per tree node (1 is the root, leaves at size + position). */
  readonly count: Int32Array;
  readonly best: Float64Array;
  readonly ties: Int32Array;
  /** Per position: whether it passes, and its score sum (NaN while unknown). */
  readonly ok: Uint8Array;
  readonly score: Float64Array;
  /** The scorer class the score layer holds (-1: none), and whether a score is NaN (invalid). */
  scoreKey = -1;
  /** Positions whose score must be computed again before the next score query (the first
   * `staleCount`; each at most once: isStale). */
  readonly stale: Int32Array;
  staleCount = 0;
  readonly isStale: Uint8Array;
  /** The books' change count the entry has followed up to. */
  seen: number;

  constructor(readonly order: BooksOrder, nodes: readonly NodeInfo[], probe: FitProbe) {
    const n = nodes.length;
    this.n = n;
    let size = 1;
    while (size < n) size *= 2;
    this.size = size;
    this.count = new Int32Array(2 * size);
    this.best = new Float64Array(2 * size).fill(-Infinity);
    this.ties = new Int32Array(2 * size);
    this.ok = new Uint8Array(n);
    this.score = new Float64Array(n).fill(NaN);
    this.isStale = new Uint8Array(n);
    this.stale = new Int32Array(n);
    this.seen = order.booksOf.changes;
    for (let i = 0; i < n; i++) {
      const pass = probe.passes(nodes[i] as NodeInfo);
      this.ok[i] = pass ? 1 : 0;
      this.count[size + i] = pass ? 1 : 0;
    }
    for (let v = size - 1; v >= 1; v--) this.count[v] = (this.count[2 * v] as number) + (this.count[2 * v + 1] as number);
  }

  /** Filters again the nodes that changed since the last call (all of them when the log no
   * longer goes back that far); their scores go stale. */
  follow(nodes: readonly NodeInfo[], probe: FitProbe): void {
    const books = this.order.booksOf;
    const upTo = books.changes;
    if (upTo === this.seen) return;
    // More changes than nodes: filtering every node is cheaper than following them.
    if (upTo - this.seen > this.n || books.changeAt(this.seen) < 0) {
      for (let i = 0; i < this.n; i++) this.refilter(i, nodes, probe);
    } else {
      for (let c = this.seen; c < upTo; c++) {
        const p = this.order.positionAt(books.changeAt(c));
        if (p >= 0) this.refilter(p, nodes, probe);
      }
    }
    this.seen = upTo;
  }

  private refilter(p: number, nodes: readonly NodeInfo[], probe: FitProbe): void {
    const pass = probe.passes(nodes[p] as NodeInfo) ? 1 : 0;
    if (this.isStale[p] === 0 && this.scoreKey >= 0) {
      this.isStale[p] = 1;
      this.stale[this.staleCount++] = p;
    }
    if (pass === this.ok[p]) return;
    this.ok[p] = pass;
    this.setLeaf(p);
  }

  /** Writes position p's leaf from ok and score, and the subtrees above it. */
  private setLeaf(p: number): void {
    const size = this.size;
    let v = size + p;
    const pass = this.ok[p] === 1;
    this.count[v] = pass ? 1 : 0;
    // A node that came to pass is unscored (NaN) until the next scoreFor rescores it.
    const scored = pass && !Number.isNaN(this.score[p] as number);
    this.best[v] = scored ? (this.score[p] as number) : -Infinity;
    this.ties[v] = scored ? 1 : 0;
    for (v >>= 1; v >= 1; v >>= 1) this.pull(v);
  }

  private pull(v: number): void {
    const l = 2 * v;
    const r = l + 1;
    this.count[v] = (this.count[l] as number) + (this.count[r] as number);
    const bl = this.best[l] as number;
    const br = this.best[r] as number;
    if (bl > br) {
      this.best[v] = bl;
      this.ties[v] = this.ties[l] as number;
    } else if (br > bl) {
      this.best[v] = br;
      this.ties[v] = this.ties[r] as number;
    } else {
      this.best[v] = bl;
      this.ties[v] = bl === -Infinity ? 0 : (this.ties[l] as number) + (this.ties[r] as number);
    }
  }

  /** Nodes that pass among positions [from, to). */
  passing(from: number, to: number): number {
    let c = 0;
    for (let l = from + this.size, r = to + this.size; l < r; l >>= 1, r >>= 1) {
      if (l & 1) c += this.count[l++] as number;
      if (r & 1) c += this.count[--r] as number;
    }
    return c;
  }

  /** The position of the k-th (from 1) passing node from position 0. */
  kthPassing(k: number): number {
    let v = 1;
    while (v < this.size) {
      const l = this.count[2 * v] as number;
      if (k <= l) v = 2 * v;
      else {
        k -= l;
        v = 2 * v + 1;
      }
    }
    return v - this.size;
  }

  /** Makes the score layer hold scorer class `key`, every passing node scored (the others are
   * scored when they come to pass: a node changes to do so); false when a score is invalid (the
   * layer is dropped). */
  scoreFor(key: number, nodes: readonly NodeInfo[], probe: FitProbe): boolean {
    if (this.scoreKey === key) {
      const stale = this.stale;
      for (let i = 0; i < this.staleCount; i++) {
        const p = stale[i] as number;
        this.isStale[p] = 0;
        if (!this.rescore(p, nodes, probe)) return this.dropScores();
        this.setLeaf(p);
      }
      this.staleCount = 0;
      return true;
    }
    this.staleCount = 0;
    this.isStale.fill(0);
    const size = this.size;
    for (let p = 0; p < this.n; p++) {
      if (!this.rescore(p, nodes, probe)) return this.dropScores();
      const pass = this.ok[p] === 1;
      this.best[size + p] = pass ? (this.score[p] as number) : -Infinity;
      this.ties[size + p] = pass ? 1 : 0;
    }
    for (let v = size - 1; v >= 1; v--) this.pull(v);
    this.scoreKey = key;
    return true;
  }

  /** Scores position p when it passes (NaN, unknown, when not); false for an invalid score. */
  private rescore(p: number, nodes: readonly NodeInfo[], probe: FitProbe): boolean {
    if (this.ok[p] !== 1) {
      this.score[p] = NaN;
      return true;
    }
    const s = probe.scoreSum(nodes[p] as NodeInfo);
    this.score[p] = s;
    return !Number.isNaN(s);
  }

  private dropScores(): boolean {
    this.scoreKey = -1;
    this.staleCount = 0;
    this.isStale.fill(0);
    return false;
  }

  /** Writes the canonical subtrees of positions [from, to), left to right, to `out` from
   * `at` on (`right`: scratch; both at least 64 long); returns where they end. */
  cover(from: number, to: number, out: Int32Array, at: number, right: Int32Array): number {
    let k = 0;
    for (let l = from + this.size, r = to + this.size; l < r; l >>= 1, r >>= 1) {
      if (l & 1) out[at++] = l++;
      if (r & 1) right[k++] = --r;
    }
    while (k > 0) out[at++] = right[--k] as number;
    return at;
  }

  /** Within subtree v (its best is `top`), the position of the k-th (from 0) passing node
   * scoring `top`. */
  kthTop(v: number, k: number, top: number): number {
    while (v < this.size) {
      const l = 2 * v;
      const inLeft = this.best[l] === top ? (this.ties[l] as number) : 0;
      if (k < inLeft) v = l;
      else {
        k -= inLeft;
        v = l + 1;
      }
    }
    return v - this.size;
  }
}

/**
 * The scheduler's index of filter results and best scores by filter class (FitEntry), for the
 * cycles that can use it: the node search and selection give exactly what filtering the nodes
 * one by one, scoring the feasible ones and picking the best (ties at random) give.
 */
export class FitIndex {
  /** `policy`: tests make it eager (every class indexed) to compare as many cycles as they can. */
  constructor(private readonly policy: FitIndexPolicy = DEFAULT_FIT_INDEX_POLICY) {}

  private readonly entries = new Map<number, FitEntry>();
  private current: FitEntry | null = null;
  private readonly range: FitRange = { start: 0, endA: 0, endB: 0, looked: 0, found: 0 };
  /** Canonical subtrees of a range (two ranges of at most 2 log2(positions) each). */
  private readonly subtrees = new Int32Array(128);
  private readonly scratch = new Int32Array(64);
  private lastKey = -1;
  /** Each class's last search without an entry (the books' change count then), and how many
   * times in a row it came back within BUILD_SHARE. */
  private readonly lastSeen = new Map<number, { changes: number; streak: number }>();

  /**
   * The nodes a search over `nodes` (the cluster's scheduling order `order`) from `start` looks
   * at until `toFind` pass, for pods of filter class `key`; the range is valid until the next
   * call. Makes `key`'s entry current for select.
   */
  search(key: number, order: BooksOrder, nodes: readonly NodeInfo[], probe: FitProbe, start: number, toFind: number): FitRange | null {
    // An entry pays while its class comes back before many nodes have changed: following the
    // changes (each node filtered and scored again alone) then costs less than the search it
    // replaces. A class whose cycles are further apart (one of many pod shapes) is searched node
    // by node, and its entry, if any, dropped; an entry is made only for a class seen again
    // within far fewer changes (a class of most cycles), so that many shapes never make entries
    // over and over (a 40-shape trace ran 2.1 times slower when they did).
    const changes = order.booksOf.changes;
    const policy = this.policy;
    const near = toFind * policy.followShare;
    let e = this.entries.get(key);
    if (e !== undefined && e.order === order && changes - e.seen > near) {
      this.entries.delete(key);
      e = undefined;
    }
    if (e === undefined || e.order !== order) {
      let seen = this.lastSeen.get(key);
      if (seen === undefined) {
        if (this.lastSeen.size >= 4096) this.lastSeen.clear();
        this.lastSeen.set(key, (seen = { changes, streak: 0 }));
      } else {
        seen.streak = changes - seen.changes <= toFind * policy.buildShare ? seen.streak + 1 : 0;
        seen.changes = changes;
      }
      if (seen.streak < policy.buildStreak) {
        if (e !== undefined) this.entries.delete(key);
        return null;
      }
      // The least recently used entry goes when there are as many as the nodes allow.
      const most = Math.max(16, Math.min(256, Math.floor(ENTRY_POSITIONS / Math.max(1, nodes.length))));
      if (e === undefined && this.entries.size >= most) this.entries.delete(this.entries.keys().next().value as number);
      order.booksOf.trackChanges();
      e = new FitEntry(order, nodes, probe);
      this.entries.delete(key);
      this.entries.set(key, e);
    } else {
      e.follow(nodes, probe);
      // Most recently used last (the first is dropped when full): moved only when it changes.
      if (key !== this.lastKey) {
        this.entries.delete(key);
        this.entries.set(key, e);
      }
    }
    this.lastKey = key;
    this.current = e;
    const n = e.n;
    const r = this.range;
    r.start = start;
    const afterStart = e.passing(start, n);
    if (afterStart >= toFind) {
      const end = e.kthPassing(e.passing(0, start) + toFind) + 1;
      r.endA = end;
      r.endB = 0;
      r.looked = end - start;
      r.found = toFind;
      return r;
    }
    const beforeStart = e.passing(0, start);
    r.endA = n;
    if (afterStart + beforeStart >= toFind) {
      r.endB = e.kthPassing(toFind - afterStart) + 1;
      r.found = toFind;
    } else {
      // Fewer than toFind pass: the search goes round (upstream stops at the start node).
      r.endB = start;
      r.found = afterStart + beforeStart;
    }
    r.looked = n - start + r.endB;
    return r;
  }

  /** Writes the last search's passing nodes, in search order, to `out` (from index 0; its
   * length is left alone) and their positions to `positions`. */
  feasibleInto(nodes: readonly NodeInfo[], out: NodeInfo[], positions: Int32Array): void {
    const ok = (this.current as FitEntry).ok;
    const r = this.range;
    let k = 0;
    for (let seg = 0; seg < 2; seg++) {
      const from = seg === 0 ? r.start : 0;
      const to = seg === 0 ? r.endA : r.endB;
      for (let p = from; p < to; p++) {
        if (ok[p] !== 1) continue;
        positions[k] = p;
        if (k < out.length) out[k] = nodes[p] as NodeInfo;
        else out.push(nodes[p] as NodeInfo);
        k++;
      }
    }
  }

  /** The positions the last search looked at and its filters rejected, in search order. */
  rejectedPositions(): number[] {
    const ok = (this.current as FitEntry).ok;
    const r = this.range;
    const out: number[] = [];
    for (let p = r.start; p < r.endA; p++) if (ok[p] !== 1) out.push(p);
    for (let p = 0; p < r.endB; p++) if (ok[p] !== 1) out.push(p);
    return out;
  }

  /**
   * The position of the node a cycle picks in the last search's range when its total score is
   * the scorer class `scoreKey`'s sum for every node (plus one constant): the highest, ties
   * broken by one draw of `rng` as pickTopScore does, in search order. -1 when a score is
   * invalid (nothing drawn).
   */
  select(scoreKey: number, nodes: readonly NodeInfo[], probe: FitProbe, rng: RandomStream): number {
    const e = this.current as FitEntry;
    if (!e.scoreFor(scoreKey, nodes, probe)) return -1;
    const r = this.range;
    const subtrees = this.subtrees;
    let m = e.cover(r.start, r.endA, subtrees, 0, this.scratch);
    if (r.endB > 0) m = e.cover(0, r.endB, subtrees, m, this.scratch);
    let top = -Infinity;
    let ties = 0;
    for (let i = 0; i < m; i++) {
      const v = subtrees[i] as number;
      const b = e.best[v] as number;
      if (b > top) {
        top = b;
        ties = e.ties[v] as number;
      } else if (b === top && b !== -Infinity) {
        ties += e.ties[v] as number;
      }
    }
    let k = ties > 1 ? rng.int(ties) : 0;
    for (let i = 0; i < m; i++) {
      const v = subtrees[i] as number;
      if (e.best[v] !== top) continue;
      const t = e.ties[v] as number;
      if (k < t) return e.kthTop(v, k, top);
      k -= t;
    }
    return -1;
  }
}
