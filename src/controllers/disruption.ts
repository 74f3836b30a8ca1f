// The disruption controller: keeps every PodDisruptionBudget's status (currentHealthy,
// desiredHealthy, disruptionsAllowed, expectedPods) up to date as pods come, start, finish and
// go (upstream pkg/controller/disruption/disruption.go). Level-based: any pod or PDB change in a
// namespace recomputes that namespace's PDBs once per instant, and a status is written (through
// the API) only when it changed.
import type { Simulation } from '../engine/simulation.js';
import { computePdbStatus, type PdbStatus } from '../cluster/disruption-budget.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { objectKey } from '../cluster/workload-object.js';
import type { ApiServer } from '../controlplane/api-server.js';

const PDB = 'PodDisruptionBudget';

export class DisruptionController {
  private readonly dirty = new Set<string>();
  private queued = false;
  statusWrites = 0;
  /** Per PDB (store key), the status of its last write not yet committed. */
  private readonly sending = new Map<string, string>();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
  ) {
    const touch = (p: PodInfo) => this.touch(p.namespace);
    api.watch({
      podAdded: touch,
      podPhaseChanged: touch,
      podTerminating: touch,
      podDeleted: touch,
      objectAdded: (o) => {
        if (o.kind === PDB || o.kind === 'Deployment' || o.kind === 'ReplicaSet') this.touch(o.metadata.namespace);
      },
      objectUpdated: (o, old) => {
        // Its own status writes come back as updates (the same spec object): only a PDB whose
        // spec was replaced (kubectl apply) is synced again, as upstream's updateDb enqueues it.
        if (o.kind === 'Deployment' || o.kind === 'ReplicaSet' || (o.kind === PDB && o.spec !== old.spec)) this.touch(o.metadata.namespace);
      },
    });
  }

  private touch(namespace: string): void {
    if (this.api.cluster.objects.ofKind(PDB).size === 0) return; // nothing to keep up to date
    this.dirty.add(namespace);
    if (this.queued) return;
    this.queued = true;
    this.sim.schedule(0, 'disruption.sync', '', () => {
      this.queued = false;
      const namespaces = [...this.dirty].sort();
      this.dirty.clear();
      for (const ns of namespaces) this.sync(ns);
    });
  }

  private sync(namespace: string): void {
    for (const pdb of this.api.cluster.objectsOfKind(PDB)) {
      if (pdb.metadata.namespace !== namespace) continue;
      const status = computePdbStatus(this.api.cluster, pdb, (p) => p.deleted || p.terminating);
      const key = objectKey(PDB, namespace, pdb.metadata.name);
      const text = statusText(status);
      // What the store holds once this controller's writes land: the last status sent while one
      // is in flight. Upstream compares with its informer's copy and, while that lags its own
      // write, sends an update that the API server refuses (Conflict, a stale resourceVersion)
      // and never reaches etcd: ksim does not send it.
      if (text === (this.sending.get(key) ?? statusText((pdb['status'] ?? {}) as Partial<PdbStatus>))) continue;
      this.statusWrites++;
      this.sending.set(key, text);
      // The /status subresource: the status of the object stored when the write commits (a spec
      // applied meanwhile stays).
      this.api.patchObject(key, (stored) => ({ ...stored, metadata: { ...stored.metadata }, status: { ...(stored['status'] as object | undefined), ...status } }), () => {
        if (this.sending.get(key) === text) this.sending.delete(key);
      });
    }
  }
}

function statusText(s: Partial<PdbStatus>): string {
  return `${s.currentHealthy}/${s.desiredHealthy}/${s.disruptionsAllowed}/${s.expectedPods}`;
}
