// An unordered set of pods in a dense array, for a controller's books of a workload's live pods
// (thousands of pods, each added and removed once in its life, the set counted and listed now
// and then). A Set<PodInfo> cost a hash-table insert and delete per pod, each a cold probe of a
// table of thousands of entries, and a new table each time deletions filled it: in a 24 h churn
// of 10,000 live pods the Deployment controller's set alone was 2 % of the run. Here a pod
// remembers its index (a slot field of PodInfo, one per kind of list, since a pod is in at most
// one list of each kind), removal moves the last pod into its place, and membership is the pod
// found at its index.
//
// Iteration order is not insertion order: its callers count the pods, or sort them by a total
// order.
import type { PodInfo } from './pod-info.js';

/** Which of PodInfo's slot fields a list keeps its index in. */
export const enum PodListKind {
  /** The ReplicaSet controller's live pods of a set. */
  ReplicaSet,
  /** The Deployment controller's live pods of a ReplicaSet. */
  Deployment,
}

/** What a controller's create loop needs of its books of pods: a Set<PodInfo> or a PodList. */
export interface PodBooks {
  has(p: PodInfo): boolean;
  add(p: PodInfo): unknown;
}

export class PodList implements PodBooks {
  /** The pods, in no particular order. Read only; change through add and delete. */
  readonly items: PodInfo[] = [];

  constructor(private readonly kind: PodListKind) {}

  get size(): number {
    return this.items.length;
  }

  has(p: PodInfo): boolean {
    return this.holdsAt(this.slotOf(p), p);
  }

  /** Adds `p`; false when it was in already. */
  add(p: PodInfo): boolean {
    if (this.has(p)) return false;
    this.setSlot(p, this.items.length);
    this.items.push(p);
    return true;
  }

  /** Removes `p`; false when it was not in. */
  delete(p: PodInfo): boolean {
    const items = this.items;
    const i = this.slotOf(p);
    if (!this.holdsAt(i, p)) return false;
    const last = items.pop() as PodInfo;
    if (last !== p) {
      items[i] = last;
      this.setSlot(last, i);
    }
    this.setSlot(p, -1);
    return true;
  }

  [Symbol.iterator](): IterableIterator<PodInfo> {
    return this.items[Symbol.iterator]();
  }

  /** Whether `p` is at index `i` (its slot: −1, or an index in another list of this kind). */
  private holdsAt(i: number, p: PodInfo): boolean {
    return i >= 0 && i < this.items.length && this.items[i] === p;
  }

  private slotOf(p: PodInfo): number {
    switch (this.kind) {
      case PodListKind.ReplicaSet:
        return p.rsSlot;
      case PodListKind.Deployment:
        return p.deploymentSlot;
    }
  }

  private setSlot(p: PodInfo, i: number): void {
    switch (this.kind) {
      case PodListKind.ReplicaSet:
        p.rsSlot = i;
        return;
      case PodListKind.Deployment:
        p.deploymentSlot = i;
        return;
    }
  }
}
