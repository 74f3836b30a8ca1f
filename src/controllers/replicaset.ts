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
import { creationTimeUs, isPodReady, maxContainerRestarts, readyTimeUs, withSharedContainers, type PodInfo } from '../cluster/pod-info.js';
import type { ApiServer } from '../controlplane/api-server.js';
import { PodList, PodListKind } from '../cluster/pod-list.js';
import { controllerRef, type ObjectOf, type ReplicaSetSpec } from '../cluster/workload-object.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import { PodNames } from './names.js';
import { podMetadataWith, sharedPodMetadataParts, type PodMetadataParts } from './pod-metadata.js';
import { ControllerRateLimiter, endSync, heardForeignPod, queueSync, createPodsSlowStart } from './work-queue.js';
import { KindInformer } from './informer.js';

export const BURST_REPLICAS = 500;

interface RsState {
  obj: ObjectOf<'ReplicaSet'>;
  spec: ReplicaSetSpec;
  /** Its pods from their creation until they are heard to end or be deleted: the live set, so
   * a sync costs the replicas, not every pod the set ever had. Finished pods stay in the store
   * (replaced, and deleted later by the pod garbage collector, src/controllers/podgc.ts) but
   * not here. In no particular order (PodList). */
  readonly pods: PodList;
  /** What its pods' metadata shares (sharedPodMetadataParts), made at its first create after
   * the set's object last changed. */
  podParts: PodMetadataParts | null;
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
        const st: RsState = { obj: o, spec: o.spec ?? {}, pods: new PodList(PodListKind.ReplicaSet), podParts: null, inflight: 0, deleting: new Set(), syncQueued: false, deleted: false, failures: 0, retry: null, dirty: false };
        this.enqueue(st);
        return st;
      },
      update: (st, o) => {
        st.obj = o;
        st.spec = o.spec ?? {};
        st.podParts = null;
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
        if (heardForeignPod(st.pods, p, this.api.startingUp)) this.enqueue(st);
        else this.enqueueIfFailing(st);
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

  /** The pods of a set and of the sets its Deployment also owns (upstream
   * getIndirectlyRelatedPods), for the scale-down ranking. */
  private *relatedPods(st: RsState): Iterable<PodInfo> {
    const owner = controllerRef(st.obj);
    if (owner === null || owner.kind !== 'Deployment') {
      yield* st.pods;
      return;
    }
    for (const other of this.sets.values()) {
      const o = controllerRef(other.obj);
      if (other === st || (o !== null && o.kind === 'Deployment' && o.name === owner.name && other.obj.metadata.namespace === st.obj.metadata.namespace)) yield* other.pods;
    }
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
    // A deletion counts as done when the watch says so (podTerminating, podDeleted), not when
    // it has committed: a sync in between would see the pod neither deleted nor deleting.
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
      const active = st.pods.items.filter((p) => !p.terminal);
      for (const p of rankForDeletion(active, this.relatedPods(st), this.sim.now, this.api.cluster).slice(0, Math.min(-diff, BURST_REPLICAS))) {
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
      metadata: podMetadataWith(tmd, this.podNames.reserve(md.namespace, md.name), md.namespace, (st.podParts ??= sharedPodMetadataParts(tmd, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: md.name, uid: md.uid ?? md.name, controller: true, blockOwnerDeletion: true }, `${md.name}-`))),
      // A shallow copy: the API server only ever sets top-level fields of a stored pod's spec
      // (admission makes its own copy, binding sets nodeName), so the pods of a ReplicaSet can
      // share the template's containers, affinity, ... (no deep copy per pod of a churn).
      spec: { ...withSharedContainers(t.spec ?? { containers: [] }) },
    };
  }
}


/** Upstream's annotation for a pod's cost of deletion (PodDeletionCost, on by default). */
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/**
 * Which pods to delete first when scaling down: upstream getPodsToDelete, sorting by
 * controller.ActivePodsWithRanks (pkg/controller/controller_utils.go), with the rank of
 * getPodsRankedByRelatedPodsOnSameNode (the active pods of the set and its sibling ReplicaSets
 * on the pod's node): unassigned first; Pending before Running; not ready (not Running on a
 * Ready node) before ready; lower pod-deletion-cost first; more related pods on its node first
 * (doubled up); then, as LogarithmicScaleDown does, the one ready for less time; the one whose
 * containers restarted more; the newer one; times compared by the whole power of two of their
 * age in ns. Upstream breaks the last ties by UID (random); ksim by name. A snapshot's pods
 * carry their creation and Ready times from before t = 0 and their restart counts (PodInfo.past).
 */
function rankForDeletion(pods: PodInfo[], related: Iterable<PodInfo>, nowUs: number, cluster: ClusterState): PodInfo[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (p.terminal || p.terminating || p.deleted) continue;
    const n = p.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  // A deleted node's pods keep the Ready condition they had (ClusterState.lastKnownNodes).
  const ready = (p: PodInfo) => isPodReady(p) && p.nodeName !== null && cluster.lastKnownNodes.get(p.nodeName)?.ready === true;
  const cost = (p: PodInfo) => {
    const v = p.pod.metadata?.annotations?.[DELETION_COST];
    const n = v === undefined ? 0 : Number(v);
    return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : 0;
  };
  // floor(log2(age in ns)), -1 for no age (upstream logarithmicRankDiff).
  const logAge = (tUs: number) => (nowUs > tUs ? Math.floor(Math.log2((nowUs - tUs) * 1000)) : -1);
  const phase = (p: PodInfo) => (p.phase === 'Pending' ? 0 : 1);
  return pods.sort((a, b) => {
    if ((a.nodeName === null) !== (b.nodeName === null)) return a.nodeName === null ? -1 : 1;
    if (phase(a) !== phase(b)) return phase(a) - phase(b);
    const ra = ready(a);
    if (ra !== ready(b)) return ra ? 1 : -1;
    if (cost(a) !== cost(b)) return cost(a) - cost(b);
    const na = onNode.get(a.nodeName ?? '') ?? 0;
    const nb = onNode.get(b.nodeName ?? '') ?? 0;
    if (na !== nb) return nb - na;
    // Different times: the newer power-of-two age bucket first, within one bucket by name.
    const byAge = (ta: number, tb: number) => (ta === tb ? 0 : logAge(ta) - logAge(tb) || (a.key < b.key ? -1 : 1));
    const readyFor = ra ? byAge(readyTimeUs(a), readyTimeUs(b)) : 0;
    if (readyFor !== 0) return readyFor;
    const restarts = maxContainerRestarts(b) - maxContainerRestarts(a);
    if (restarts !== 0) return restarts;
    const created = byAge(creationTimeUs(a), creationTimeUs(b));
    if (created !== 0) return created;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
}
