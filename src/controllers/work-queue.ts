// The part every workload controller shares with upstream's workqueue: objects are keyed by
// namespace/name, and any number of events for one object within an instant cause a single
// sync (the queue dedupes keys; see k8s.io/client-go/util/workqueue).
import type { Simulation } from '../engine/simulation.js';
import type { WorkloadObject } from '../cluster/workload-object.js';

export function namespacedKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Per-object controller state with a coalesced sync. */
export interface Syncable {
  obj: WorkloadObject;
  syncQueued: boolean;
}

/** Queues one sync of `st` at the current instant unless one is already queued. */
export function queueSync<S extends Syncable>(sim: Simulation, eventKind: string, st: S, sync: (st: S) => void): void {
  if (st.syncQueued) return;
  st.syncQueued = true;
  sim.schedule(0, eventKind, namespacedKey(st.obj.metadata.namespace, st.obj.metadata.name), () => {
    st.syncQueued = false;
    sync(st);
  });
}
