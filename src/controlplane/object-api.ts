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
   * keeps its counts and finish condition); else a create. `keepReplicas`: neither this
   * manifest nor the one applied before sets spec.replicas, so kubectl's three-way merge leaves
   * the stored replicas (an HPA's) as they are. */
  apply(o: WorkloadObject, known = false, keepReplicas = false): void {
    const stored = this.api.cluster.objects.get(keyOf(o));
    if (stored === undefined && !known) {
      this.api.createObject(o);
      return;
    }
    const status = stored?.['status'];
    const replicas = keepReplicas ? (stored?.spec as { replicas?: number } | undefined)?.replicas : undefined;
    const applied = replicas === undefined ? o : withSpec(o, { ...(o.spec as object), replicas });
    this.api.updateObject(status === undefined ? applied : ({ ...applied, status } as WorkloadObject));
  }

  /** Sets the spec.replicas of a Deployment, StatefulSet or ReplicaSet through its /scale
   * subresource (upstream's scale client): only that field changes, on the object as it is when
   * the write commits. `done(false)` when the object is gone. */
  scale(kind: string, namespace: string, name: string, replicas: number, done?: (ok: boolean) => void): void {
    this.api.patchObject(objectKey(kind, namespace, name), (stored) => withSpec(stored, { ...(stored.spec as object | undefined), replicas }), done);
  }

  deleteObject(kind: string, namespace: string, name: string, done?: (ok: boolean) => void): void {
    this.api.deleteObject(kind, namespace, name, done);
  }
}

/** The stored object with `spec` replaced by `spec` (a new object; the old one is untouched). */
export function withSpec(o: WorkloadObject, spec: unknown): WorkloadObject {
  return { ...o, metadata: { ...o.metadata }, spec };
}
