// The part of upstream's shared informers a workload controller uses: the objects of one kind,
// each with the controller's own state, kept from the API server's watch (added → `add` makes
// the state; updated → `update`; deleted → `remove`, then the state is dropped), and the lookup
// of the state that controls a pod or an object (its controller ownerReference).
import type { ApiServer } from '../controlplane/api-server.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { controllerRef, isKind, type ObjectOf, type TypedKind, type WorkloadObject } from '../cluster/workload-object.js';
import { namespacedKey } from './work-queue.js';

export interface KindHandlers<K extends TypedKind, S> {
  /** A new object of the kind: its state. */
  add(o: ObjectOf<K>): S;
  /** The object was replaced by `o`. */
  update?(st: S, o: ObjectOf<K>): void;
  /** The object was deleted (its state is dropped after this). */
  remove?(st: S, o: ObjectOf<K>): void;
}

export class KindInformer<K extends TypedKind, S> {
  private readonly states = new Map<string, S>();

  /** Without `objects`, updates and deletions are not watched (the objects never change). */
  constructor(readonly kind: K, api: ApiServer, objects: ObjectApi | undefined, h: KindHandlers<K, S>) {
    objects?.watch({
      objectUpdated: (o) => {
        if (!isKind(o, kind)) return;
        const st = this.states.get(namespacedKey(o.metadata.namespace, o.metadata.name));
        if (st !== undefined) h.update?.(st, o);
      },
      objectDeleted: (o) => {
        if (!isKind(o, kind)) return;
        const key = namespacedKey(o.metadata.namespace, o.metadata.name);
        const st = this.states.get(key);
        if (st === undefined) return;
        h.remove?.(st, o);
        this.states.delete(key);
      },
    });
    api.watch({
      objectAdded: (o) => {
        if (!isKind(o, kind)) return;
        const key = namespacedKey(o.metadata.namespace, o.metadata.name);
        const st = h.add(o);
        this.states.set(key, st);
      },
    });
  }

  get(namespace: string, name: string): S | undefined {
    return this.states.get(namespacedKey(namespace, name));
  }

  values(): IterableIterator<S> {
    return this.states.values();
  }

  /** The state of the object of this kind that controls pod `p`. */
  ownerOfPod(p: PodInfo): S | undefined {
    return p.ownerKind === this.kind ? this.states.get(p.ownerKey) : undefined;
  }

  /** The state of the object of this kind that controls `o`. */
  ownerOfObject(o: WorkloadObject): S | undefined {
    const ref = controllerRef(o);
    return ref?.kind === this.kind ? this.states.get(namespacedKey(o.metadata.namespace, ref.name)) : undefined;
  }
}
