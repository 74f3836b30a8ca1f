// ReplicaSet controller: keeps `replicas` active pods for each ReplicaSet. Creates in slow-start
// batches (1, 2, 4, ... up to 500 per sync) and waits for its own creations to be observed
// before syncing again, as upstream pkg/controller/replicaset/replica_set.go does
// (BurstReplicas = 500, SlowStartInitialBatchSize = 1). A batch with a refused create (a
// ResourceQuota, admission) ends the sync (upstream slowStartBatch; the skipped pods are not
// expected), the sync fails, and the set is retried through the work queue's rate limiter
// (processNextWorkItem: queue.AddRateLimited; Forget after a successful sync): 5 ms, 10 ms, ...
// up to 1000 s. Events for the set (its pods added, updated, deleted) still sync it at once, as
// upstream's informer handlers call queue.Add; the controller watches no ResourceQuota, so a
// quota raised waits for the next retry or such an event.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import type { SimEvent } from '../engine/event-queue.js';
import type { RandomStream } from '../engine/random.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { ObjectOf, ReplicaSetSpec } from '../cluster/workload-object.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import { PodNames } from './names.js';
import { ControllerRateLimiter, endSync, queueSync, createPodsSlowStart } from './work-queue.js';
import { KindInformer } from './informer.js';

export const BURST_REPLICAS = 500;

interface RsState {
  obj: ObjectOf<'ReplicaSet'>;
  spec: ReplicaSetSpec;
  /** Its pods from their creation until they are heard to end or be deleted: the live set, so
   * a sync costs the replicas, not every pod the set ever had. Finished pods stay in the store
   * (replaced, and deleted later by the pod garbage collector, src/controllers/podgc.ts) but
   * not here. */
  readonly pods: Set<PodInfo>;
  /** Creations issued but not yet observed (upstream "expectations"). */
  inflight: number;
  /** Pods whose deletion was issued and not yet observed (upstream's delete expectations). */
  readonly deleting: Set<PodInfo>;
  syncQueued: boolean;
  deleted: boolean;
  /** Failed syncs since the last successful one, and the pending retry (work-queue.ts). */
  failures: number;
  retry: SimEvent | null;
  /** A sync was asked for while this one's creates were in flight: upstream's worker holds the
   * key until its sync returns, and processes it again after (the queue's dirty set). */
  dirty: boolean;
}

export class ReplicaSetController {
  private readonly sets: KindInformer<'ReplicaSet', RsState>;
  /** Pods looked at by syncs so far (a sync's cost; tests check it follows the live set). */
  podsExamined = 0;

  private readonly podNames: PodNames;
  private readonly limiter = new ControllerRateLimiter();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    names: RandomStream,
    /** Updates (scaling) and deletes of ReplicaSets; without it ReplicaSets never change. */
    objects?: ObjectApi,
  ) {
    this.podNames = new PodNames(api.cluster, names);
    this.sets = new KindInformer<'ReplicaSet', RsState>('ReplicaSet', api, objects, {
      add: (o) => {
        const st: RsState = { obj: o, spec: o.spec ?? {}, pods: new Set(), inflight: 0, deleting: new Set(), syncQueued: false, deleted: false, failures: 0, retry: null, dirty: false };
        this.enqueue(st);
        return st;
      },
      update: (st, o) => {
        st.obj = o;
        st.spec = o.spec ?? {};
        this.enqueue(st);
      },
      remove: (st) => {
        st.deleted = true; // its pods are the garbage collector's
      },
    });
    api.watch({
      podAdded: (p) => {
        const st = this.owner(p);
        // Only active pods count (upstream FilterActivePods): a snapshot's pods may have
        // finished (an evicted pod is Failed) or be Terminating already.
        if (st === undefined || p.terminal || p.terminating) return;
        st.pods.add(p);
        this.enqueueIfFailing(st);
      },
      podBound: (p) => {
        const st = this.owner(p);
        if (st !== undefined) this.enqueueIfFailing(st);
      },
      podPhaseChanged: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        if (!p.terminal) return this.enqueueIfFailing(st);
        st.pods.delete(p);
        this.enqueue(st);
      },
      // Upstream updatePod: a pod that got a deletionTimestamp is handled as deleted at once, so
      // its replacement is created without waiting for its termination.
      podTerminating: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        st.pods.delete(p);
        st.deleting.delete(p);
        this.enqueue(st);
      },
      podDeleted: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        const wasLive = st.pods.delete(p);
        const wasDeleting = st.deleting.delete(p);
        // A finished pod that the pod garbage collector deletes changes nothing for the set.
        if (wasLive || wasDeleting) this.enqueue(st);
      },
    });
  }

  /** Active pods (not terminal, not deleted) of a ReplicaSet. */
  activePods(namespace: string, name: string): number {
    const st = this.sets.get(namespace, name);
    if (st === undefined) return 0;
    let n = 0;
    for (const p of st.pods) if (!p.terminal && !p.deleted && !p.terminating) n++;
    return n;
  }

  /** Pods the controller holds for a ReplicaSet (its live set as the watch reported it). */
  trackedPods(namespace: string, name: string): number {
    return this.sets.get(namespace, name)?.pods.size ?? 0;
  }

  private owner(p: PodInfo): RsState | undefined {
    return this.sets.ownerOfPod(p);
  }

  private enqueue(st: RsState): void {
    queueSync(this.sim, 'replicaset.sync', st, (s) => this.sync(s));
  }

  /** Upstream's addPod and updatePod queue the set on every event of its pods (a bind, a phase
   * change); such a sync only has work to do after a failed one (otherwise the set has its
   * replicas), so ksim queues it only then: the same syncs, none idle. */
  private enqueueIfFailing(st: RsState): void {
    if (st.failures > 0) this.enqueue(st);
  }

  private sync(st: RsState): void {
    if (st.deleted) return;
    if (st.inflight > 0) {
      st.dirty = true; // this sync's creates are still in flight
      return;
    }
    for (const p of st.deleting) if (p.deleted || p.terminating) st.deleting.delete(p); // deleted by someone else
    if (st.deleting.size > 0) return this.limiter.forget(st); // expectations not yet met: a successful sync
    // Active pods as the watch reported them (upstream reads its informer cache): counted, not
    // listed, so a sync that only creates costs nothing per pod.
    const diff = (st.spec.replicas ?? 1) - st.pods.size;
    if (diff > 0) {
      this.createPods(st, Math.min(diff, BURST_REPLICAS));
      return;
    }
    this.limiter.forget(st);
    if (diff < 0) {
      this.podsExamined += st.pods.size;
      const active = [...st.pods].filter((p) => !p.terminal);
      for (const p of rankForDeletion(active).slice(0, Math.min(-diff, BURST_REPLICAS))) {
        st.deleting.add(p);
        this.api.deletePod(p, 'scaled down');
      }
    }
  }

  /** Creates `count` pods in slow-start batches (work-queue.ts createPodsSlowStart); a refused
   * create ends the sync, which failed (upstream manageReplicas lowers the expectations by the
   * pods skipped, which ksim never counted). */
  private createPods(st: RsState, count: number): void {
    createPodsSlowStart(this.api, this.podNames, st, count, (s) => this.newPod(s), (created, refused) =>
      endSync(this.sim, 'replicaset.sync', st, this.limiter, (s) => this.sync(s), created, refused),
    );
  }

  private newPod(st: RsState): Pod {
    const t = st.spec.template ?? {};
    const md = st.obj.metadata;
    const tmd = t.metadata ?? {};
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...tmd,
        name: this.podNames.reserve(md.namespace, md.name),
        namespace: md.namespace,
        labels: { ...(tmd.labels ?? {}) },
        annotations: { ...(tmd.annotations ?? {}) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: md.name, uid: md.uid ?? md.name, controller: true, blockOwnerDeletion: true }],
      },
      // A shallow copy: the API server only ever sets top-level fields of a stored pod's spec
      // (admission makes its own copy, binding sets nodeName), so the pods of a ReplicaSet can
      // share the template's containers, affinity, ... (no deep copy per pod of a churn).
      spec: { ...(t.spec ?? { containers: [] }) },
    };
  }
}


/** Which pods to delete first when scaling down (upstream controller.ActivePods ordering,
 * simplified): unassigned before assigned, pending before running, newer before older. */
function rankForDeletion(pods: PodInfo[]): PodInfo[] {
  const rank = (p: PodInfo) => (p.nodeName === null ? 0 : p.phase === 'Pending' ? 1 : 2);
  return pods.sort((a, b) => rank(a) - rank(b) || b.createdUs - a.createdUs || (a.key < b.key ? -1 : 1));
}
