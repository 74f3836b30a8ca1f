// Workload objects (Deployments, ReplicaSets, ...) as controllers use them: reads from the state
// store, writes through the API server's pipeline (rate limit, etcd, watch delay).
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
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

  deleteObject(kind: string, namespace: string, name: string, done?: (ok: boolean) => void): void {
    this.api.deleteObject(kind, namespace, name, done);
  }
}

/** The stored object with `spec` replaced by `spec` (a new object; the old one is untouched). */
export function withSpec(o: WorkloadObject, spec: unknown): WorkloadObject {
  return { ...o, metadata: { ...o.metadata }, spec };
}
