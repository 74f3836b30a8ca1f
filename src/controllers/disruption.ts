// The disruption controller: keeps every PodDisruptionBudget's status (currentHealthy,
// desiredHealthy, disruptionsAllowed, expectedPods) up to date as pods come, start, finish and
// go (upstream pkg/controller/disruption/disruption.go). Level-based: any pod or PDB change in a
// namespace recomputes that namespace's PDBs once per instant, and a status is written (through
// the API) only when it changed. A node turning NotReady or Ready again counts as a change of its
// pods: upstream the node lifecycle controller writes their Ready condition False
// (MarkPodsNotReady) and the kubelet True again, pod updates the controller's updatePod hears.
//
// status.disruptedPods (pods whose eviction the API server processed: only a cluster snapshot's
// PDBs have any, ksim has no eviction API) is kept as upstream's buildDisruptedPodMap keeps it:
// an entry stays while its pod is selected, not being deleted, and not past its expected
// deletion (eviction + DeletionTimeout, 2 min), and its pod does not count as healthy meanwhile;
// the controller syncs again at the earliest expected deletion (upstream enqueuePdbForRecheck)
// and drops the entries past it. Preemption reads the map as stored (filterPodsWithPDBViolation).
import type { Simulation } from '../engine/simulation.js';
import { computePdbSync, type PdbStatus } from '../cluster/disruption-budget.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import type { ApiServer } from '../controlplane/api-server.js';
import { DEFAULT_WALL_CLOCK, type WallClock } from './cron.js';

const PDB = 'PodDisruptionBudget';

export class DisruptionController {
  private readonly dirty = new Set<string>();
  private queued = false;
  statusWrites = 0;
  /** Per PDB (store key), the status of its last write not yet committed. */
  private readonly sending = new Map<string, string>();

  /** Per namespace, the recheck sync already scheduled (µs). */
  private readonly rechecks = new Map<string, number>();

  /** `clock`: what the snapshot's status.disruptedPods times are read against. */
  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly clock: WallClock = DEFAULT_WALL_CLOCK,
  ) {
    const touch = (p: PodInfo) => this.touch(p.namespace);
    api.watch({
      podAdded: touch,
      // A pod's labels changed: the PDBs selecting it may change (upstream updatePod).
      podUpdated: touch,
      podPhaseChanged: touch,
      podTerminating: touch,
      podDeleted: touch,
      nodeUpdated: (n, before, after) => {
        if (before.ready !== after.ready) this.touchPodsOf(n.pods);
      },
      // A node joining again under the name of a deleted one takes over the pods still bound to
      // that name (ClusterState.addNode), which are then as Ready as it is.
      nodeAdded: (n, atStart) => {
        if (!atStart) this.touchPodsOf(n.pods);
      },
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

  private touchPodsOf(pods: Iterable<PodInfo>): void {
    if (this.api.cluster.objects.ofKind(PDB).size === 0) return;
    for (const p of pods) this.touch(p.namespace);
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
    let recheckUs: number | null = null;
    for (const pdb of this.api.cluster.objectsOfKind(PDB)) {
      if (pdb.metadata.namespace !== namespace) continue;
      const storedDisrupted = disruptedPodsOf(pdb);
      const sync = computePdbSync(this.api.cluster, pdb, (p) => p.deleted || p.terminating, storedDisrupted === null ? null : { nowUs: this.sim.now, evictedUs: this.evictionTimes(storedDisrupted) });
      if (sync.recheckUs !== null && (recheckUs === null || sync.recheckUs < recheckUs)) recheckUs = sync.recheckUs;
      // The entries kept, with their times as stored; absent (omitempty) when none is left.
      let disrupted: Record<string, string> | undefined;
      if (storedDisrupted !== null) {
        disrupted = undefined;
        for (const name of sync.keptDisrupted ?? Object.keys(storedDisrupted)) (disrupted ??= {})[name] = storedDisrupted[name] as string;
      }
      const status = sync.status;
      const key = objectKey(PDB, namespace, pdb.metadata.name);
      const text = statusText(status, disrupted);
      // What the store holds once this controller's writes land: the last status sent while one
      // is in flight. Upstream compares with its informer's copy and, while that lags its own
      // write, sends an update that the API server refuses (Conflict, a stale resourceVersion)
      // and never reaches etcd: ksim does not send it.
      if (text === (this.sending.get(key) ?? statusText((pdb['status'] ?? {}) as Partial<PdbStatus>, storedDisrupted ?? undefined))) continue;
      this.statusWrites++;
      this.sending.set(key, text);
      // The /status subresource: the status of the object stored when the write commits (a spec
      // applied meanwhile stays).
      this.api.patchObject(key, (stored) => {
        const { disruptedPods: _old, ...rest } = (stored['status'] ?? {}) as Record<string, unknown>;
        return { ...stored, metadata: { ...stored.metadata }, status: { ...rest, ...status, ...(disrupted === undefined ? {} : { disruptedPods: disrupted }) } };
      }, () => {
        if (this.sending.get(key) === text) this.sending.delete(key);
      });
    }
    // Upstream's recheck comes once its clock has passed the expected deletion: a microsecond
    // after it here (at it exactly the entry would be kept again).
    if (recheckUs !== null) this.scheduleRecheck(namespace, recheckUs + 1);
  }

  private scheduleRecheck(namespace: string, atUs: number): void {
    const at = Math.max(atUs, this.sim.now);
    const pending = this.rechecks.get(namespace);
    if (pending !== undefined && pending <= at && pending >= this.sim.now) return;
    this.rechecks.set(namespace, at);
    this.sim.scheduleAt(at, 'disruption.recheck', namespace, () => {
      if (this.rechecks.get(namespace) === at) this.rechecks.delete(namespace);
      this.touch(namespace);
    });
  }

  /** status.disruptedPods' times on the run's clock (an entry whose time does not parse counts
   * as evicted long ago: dropped). */
  private evictionTimes(disrupted: Readonly<Record<string, string>>): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, text] of Object.entries(disrupted)) out.set(name, this.clock.runUs(text) ?? Number.NEGATIVE_INFINITY);
    return out;
  }
}

/** A PDB's stored status.disruptedPods, or null when it has none. */
function disruptedPodsOf(pdb: WorkloadObject): Readonly<Record<string, string>> | null {
  const d = (pdb['status'] as { disruptedPods?: unknown } | undefined)?.disruptedPods;
  return d !== undefined && d !== null && typeof d === 'object' && Object.keys(d).length > 0 ? (d as Record<string, string>) : null;
}

function statusText(s: Partial<PdbStatus>, disrupted: Readonly<Record<string, string>> | undefined): string {
  const d = disrupted === undefined ? '' : Object.keys(disrupted).sort().map((n) => `${n}=${disrupted[n]}`).join(',');
  return `${s.currentHealthy}/${s.desiredHealthy}/${s.disruptionsAllowed}/${s.expectedPods}/${d}`;
}
