// Workload objects (Deployments, ReplicaSets, ...) as controllers use them: reads from the state
// store, writes through the API server's pipeline (rate limit, etcd, watch delay).
import { keyOf, objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import type { ApiServer, ClusterWatcher } from './api-server.js';

export type ObjectWatcher = Pick<ClusterWatcher, 'objectUpdated' | 'objectDeleted'>;

export class ObjectApi {
  constructor(readonly api: ApiServer) {}

  watch(w: ObjectWatcher): void {
    this.api.watch(w);
  }

  get(kind: string, namespace: string, name: string): WorkloadObject | undefined {
    return this.api.cluster.objects.get(objectKey(kind, namespace, name));
  }

  updateObject(o: WorkloadObject, done?: (ok: boolean) => void): void {
    this.api.updateObject(o, done);
  }

  /** kubectl apply of a whole object that exists (or whose create is on its way: `known`): an
   * update that keeps the stored status (status is a subresource apply does not write: a Job
   * keeps its counts and finish condition); else a create. */
  apply(o: WorkloadObject, known = false): void {
    const stored = this.api.cluster.objects.get(keyOf(o));
    if (stored === undefined && !known) {
      this.api.createObject(o);
      return;
    }
    const status = stored?.['status'];
    this.api.updateObject(status === undefined ? o : ({ ...o, status } as WorkloadObject));
  }

  deleteObject(kind: string, namespace: string, name: string, done?: (ok: boolean) => void): void {
    this.api.deleteObject(kind, namespace, name, done);
  }
}

/** The stored object with `spec` replaced by `spec` (a new object; the old one is untouched). */
export function withSpec(o: WorkloadObject, spec: unknown): WorkloadObject {
  return { ...o, metadata: { ...o.metadata }, spec };
}
