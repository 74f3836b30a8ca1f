// Terminated-pod garbage collector: kube-controller-manager's podgc "gcTerminated" (upstream
// pkg/controller/podgc/gc_controller.go). Every gcCheckPeriod (20 s) it counts the pods in a
// terminal phase (Succeeded or Failed); when there are more than the threshold
// (--terminated-pod-gc-threshold; ≤ 0 disables it) it deletes the surplus, oldest first, as
// upstream's byEvictionAndCreationTimestamp orders them: kubelet-evicted pods first, then by
// creationTimestamp, then by name. A creationTimestamp is stored with whole seconds (metav1.Time
// drops the nanoseconds when serialised: apimachinery meta/v1 time_proto.go), so pods created in
// the same second are ordered by name. ksim's kubelet never evicts pods (no node-pressure
// eviction), so only a cluster snapshot's pods can be kubelet-evicted (phase Failed, reason
// Evicted: upstream eviction.PodIsEvicted).
//
// A cluster snapshot's finished pods (ClusterState.finishedAtStart) are terminated pods in the
// store like the run's: counted toward the threshold from the start and deleted in the same order.
//
// This is what makes finished pods leave the store: a Deployment's pods that complete are
// replaced by its ReplicaSet at once and deleted here later, as upstream; bare and Job pods
// likewise. The controller keeps only the terminated pods it has heard of (at most the
// threshold plus one period's worth), never a scan of the store.
//
// Orphaned pods (upstream gcOrphaned, discoverDeletedNodes): pods bound to a node that no longer
// exists (a ksim-events delete of a Node: ApiServer.deleteNode). Each check lists the pods whose
// spec.nodeName is not among the nodes its informer knows and puts each such node name in
// quarantine for quarantineTime (40 s; nodeQueue.AddAfter: a name already waiting keeps its
// earlier time); then it takes the names whose quarantine is over, and those still missing from
// its informer and from the API server (a live GET) are deleted nodes: each pod bound to one is
// patched to phase Failed with the condition DisruptionTarget (reason DeletionByPodGC, message
// "PodGC: node no longer exists"; a finished pod keeps its phase) and, once the patch is
// answered, deleted with grace period 0 (markFailedAndDeletePodWithCondition). A name whose
// quarantine ends at a check is taken at that check (upstream's gc loop is sliding:
// wait.UntilWithContext measures each 20 s from the end of the previous pass, so the pass 40 s
// after a name was queued starts after the name is ready). So a node deleted at t, heard by the
// controller before the check at c (the first check at or after t that sees it gone: checks at
// 0, 20, 40, ... s), has its pods failed and deleted at c + 40 s: 40 to 60 s after the deletion
// (a node deleted at 60 s: queued at 80 s, its pods go at 120 s). A node of that name joining
// again before then keeps its pods (ClusterState.addNode). The DaemonSet controller leaves such
// pods alone (daemonset.ts); their owners replace them as for any failure and deletion.
// Not modelled: podgc's other loops (terminating pods on out-of-service nodes, unscheduled
// terminating pods).
import type { Simulation } from '../engine/simulation.js';
import { creationTimeUs, type PodInfo } from '../cluster/pod-info.js';
import type { ApiServer, PodStatusReason } from '../controlplane/api-server.js';
import { US_PER_S } from '../engine/time.js';

/** Upstream gcCheckPeriod. */
export const POD_GC_CHECK_PERIOD_US = 20 * US_PER_S;
/** Upstream quarantineTime: how long a missing node's name waits before the GET that confirms
 * it is gone. */
export const POD_GC_QUARANTINE_US = 40 * US_PER_S;

/** What upstream gcOrphaned's status patch adds to an orphaned pod before deleting it. */
export const ORPHANED_POD_STATUS: PodStatusReason = {
  reason: '',
  message: '',
  condition: { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' },
};
/** The deletion reason of a pod the collector deletes because its node is gone. */
export const ORPHANED_POD_REASON = 'PodGC: node no longer exists';
/** Upstream default of --terminated-pod-gc-threshold (kube-controller-manager's
 * PodGCControllerConfiguration.TerminatedPodGCThreshold); ksim uses the same default. */
export const DEFAULT_TERMINATED_POD_GC_THRESHOLD = 12_500;

/** Upstream byEvictionAndCreationTimestamp: kubelet-evicted pods first (see the module
 * comment), then creation second, then name. */
export function compareForPodGC(a: PodInfo, b: PodInfo): number {
  const ea = a.evictedByKubelet;
  if (ea !== b.evictedByKubelet) return ea ? -1 : 1;
  const sa = Math.floor(creationTimeUs(a) / US_PER_S);
  const sb = Math.floor(creationTimeUs(b) / US_PER_S);
  if (sa !== sb) return sa - sb;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0;
}

function isTracked(p: PodInfo | null): boolean {
  return p !== null && p.gcTracked;
}

export class PodGarbageCollector {
  /** The terminated pods heard of, as sorted runs (compareForPodGC), each read from `heads[r]`
   * on: a check sorts only the pods heard of since the last one (`newcomers`) into a new run and
   * takes the oldest across the runs, so the survivors of earlier checks are neither re-sorted
   * nor re-merged (a sort of all of them at every check, then a merge, was 3-5 % of a long churn
   * run). Pods deleted by others stay in the runs until passed over or compacted away; a slot
   * passed over is cleared (null), so that a run does not keep the pods already deleted. */
  private runs: (PodInfo | null)[][] = [];
  private heads: number[] = [];
  private newcomers: PodInfo[] = [];
  /** How many pods are tracked: terminated, heard of, not deleted (each marked by its
   * PodInfo.gcTracked flag: a Set of them cost a cold hash-table probe per phase change,
   * deletion and run slot, most of this collector's time in a trace replay). */
  private trackedCount = 0;
  /** Deletions issued so far. */
  podsDeleted = 0;
  /** Orphaned pods deleted so far (of podsDeleted). */
  orphansDeleted = 0;
  private checkArmed = false;
  /** Node names heard deleted and not heard added again (the names its node informer lacks
   * that pods may still be bound to); a check drops one that no pod is bound to and that is
   * not in quarantine. */
  private readonly missing = new Set<string>();
  /** The quarantine (upstream nodeQueue): node name → when it is ready, µs. */
  private readonly quarantine = new Map<string, number>();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    /** Most terminated pods kept; ≤ 0 disables the collector, as upstream. */
    readonly threshold: number = DEFAULT_TERMINATED_POD_GC_THRESHOLD,
  ) {
    // Orphaned pods are collected whatever the threshold (upstream gc: gcTerminated only when
    // the threshold is > 0, gcOrphaned always).
    api.watch({
      nodeDeleted: (n) => {
        this.missing.add(n.name);
        this.armCheck();
      },
      nodeAdded: (n) => {
        this.missing.delete(n.name);
      },
    });
    if (threshold <= 0) return;
    api.watch({
      // The snapshot's finished pods, told to no watcher, are in the store from the start.
      startStateCommitted: () => {
        for (const p of api.cluster.finishedAtStart.values()) this.track(p);
        if (this.trackedCount > threshold) this.armCheck();
      },
      podPhaseChanged: (p) => {
        if (!p.terminal || p.deleted || p.gcTracked) return;
        this.track(p);
        if (this.trackedCount > threshold) this.armCheck();
      },
      // Dropped from the runs when a check passes over them or compacts them.
      podDeleted: (p) => {
        this.untrack(p);
      },
      finishedAtStartDeleted: (p) => {
        this.untrack(p);
      },
    });
  }

  private track(p: PodInfo): void {
    p.gcTracked = true;
    this.trackedCount++;
    this.newcomers.push(p);
    // Pods deleted by others (a Job's history limit, a scale-down) are only unmarked: drop
    // them from the list now and then, or it grows with every pod while no check runs.
    if (this.newcomers.length > 2 * this.trackedCount + 1024) this.newcomers = this.newcomers.filter(isTracked);
  }

  private untrack(p: PodInfo): void {
    if (!p.gcTracked) return;
    p.gcTracked = false;
    this.trackedCount--;
  }

  /** Terminated pods it knows of (tests). */
  get terminatedCount(): number {
    return this.trackedCount;
  }

  /** Upstream checks every period from the controller's start (t = 0) whatever the count; a
   * check finds nothing to do until the count is over the threshold or a node is missing, so
   * ksim only schedules the next periodic check while one is (same deletion times, no idle
   * events in other runs). */
  private armCheck(): void {
    if (this.checkArmed) return;
    this.checkArmed = true;
    const at = (Math.floor(this.sim.now / POD_GC_CHECK_PERIOD_US) + 1) * POD_GC_CHECK_PERIOD_US;
    this.sim.scheduleAt(at, 'podgc.check', '', () => {
      this.checkArmed = false;
      if (this.threshold > 0) this.gc();
      // A name in quarantine is taken off at the pass its time is up, whether or not the node
      // is still missing (upstream discoverDeletedNodes drains what is ready): checks go on
      // until none is left.
      if (this.missing.size > 0 || this.quarantine.size > 0) this.gcOrphaned();
      if ((this.threshold > 0 && this.trackedCount > this.threshold) || this.missing.size > 0 || this.quarantine.size > 0) this.armCheck();
    });
  }

  /** Whether the collector knows node `name` is gone and will deal with the pods bound to it
   * (the invariant checker's nodeLossHandled). */
  handlesMissingNode(name: string): boolean {
    return this.missing.has(name);
  }

  /** One gcOrphaned pass (see the module comment). The pods are listed by a scan of the store,
   * as upstream lists every pod: only at checks while a node is missing. */
  gcOrphaned(): void {
    const now = this.sim.now;
    const cluster = this.api.cluster;
    const byNode = new Map<string, PodInfo[]>();
    const add = (p: PodInfo, node: string | undefined) => {
      if (node === undefined || !this.missing.has(node)) return;
      let l = byNode.get(node);
      if (l === undefined) byNode.set(node, (l = []));
      l.push(p);
    };
    for (const p of cluster.pods.values()) if (p.bound) add(p, p.pod.spec?.nodeName);
    for (const p of cluster.finishedAtStart.values()) add(p, p.pod.spec?.nodeName);
    // Newly found unknown nodes into quarantine (AddAfter keeps an earlier time).
    for (const node of byNode.keys()) if (!this.quarantine.has(node)) this.quarantine.set(node, now + POD_GC_QUARANTINE_US);
    // discoverDeletedNodes: the names ready, still missing from the informer and the API server.
    const deleted: string[] = [];
    for (const [node, readyUs] of this.quarantine) {
      if (readyUs > now) continue;
      this.quarantine.delete(node);
      if (this.missing.has(node) && !cluster.nodeByName.has(node)) deleted.push(node);
    }
    for (const node of deleted) {
      for (const p of byNode.get(node) ?? []) this.failAndDelete(p);
    }
    for (const node of [...this.missing]) if (!byNode.has(node) && !this.quarantine.has(node)) this.missing.delete(node);
  }

  /** Upstream markFailedAndDeletePodWithCondition: a status patch to Failed with the condition
   * (not for a finished pod), then, once answered, a delete with grace period 0. */
  private failAndDelete(p: PodInfo): void {
    this.podsDeleted++;
    this.orphansDeleted++;
    const del = () => this.api.deletePod(p, ORPHANED_POD_REASON, true);
    if (p.finishedAtStart || p.terminal) return del();
    this.api.setPodPhase(p, 'Failed', ORPHANED_POD_STATUS, del);
  }

  /** One gcTerminated pass: the pods over the threshold go, oldest first (what sorting all the
   * terminated pods by compareForPodGC and deleting the first ones gives). */
  gc(): void {
    if (this.newcomers.length > 0) {
      const fresh = this.newcomers.filter(isTracked).sort(compareForPodGC);
      this.newcomers = [];
      if (fresh.length > 0) {
        this.runs.push(fresh);
        this.heads.push(0);
      }
    }
    let deleteCount = this.trackedCount - this.threshold;
    const runs = this.runs;
    const heads = this.heads;
    while (deleteCount > 0) {
      // The oldest live pod at the head of a run.
      let best = -1;
      let bestPod: PodInfo | null = null;
      for (let r = 0; r < runs.length; r++) {
        const run = runs[r] as (PodInfo | null)[];
        let h = heads[r] as number;
        for (; h < run.length; h++) {
          const p = run[h] as PodInfo | null;
          if (p !== null && p.gcTracked) break;
          run[h] = null;
        }
        heads[r] = h;
        if (h === run.length) continue;
        const p = run[h] as PodInfo;
        if (bestPod === null || compareForPodGC(p, bestPod) < 0) {
          best = r;
          bestPod = p;
        }
      }
      if (bestPod === null) break;
      (runs[best] as (PodInfo | null)[])[heads[best] as number] = null;
      heads[best] = (heads[best] as number) + 1;
      deleteCount--;
      this.untrack(bestPod);
      this.podsDeleted++;
      this.api.deletePod(bestPod, 'terminated pod garbage collected');
    }
    // Spent runs go; many runs, or runs mostly of pods deleted by others, are merged into one.
    for (let r = runs.length - 1; r >= 0; r--) {
      if ((heads[r] as number) < (runs[r] as (PodInfo | null)[]).length) continue;
      runs.splice(r, 1);
      heads.splice(r, 1);
    }
    // Pods in the runs from their heads on, dead ones included.
    let inRuns = 0;
    for (let r = 0; r < runs.length; r++) inRuns += (runs[r] as (PodInfo | null)[]).length - (heads[r] as number);
    if (runs.length > 8 || inRuns > 2 * this.trackedCount + 1024) {
      let all: PodInfo[] = [];
      for (let r = 0; r < runs.length; r++) all = mergeSorted(all, (runs[r] as (PodInfo | null)[]).slice(heads[r]).filter((p): p is PodInfo => p !== null && p.gcTracked));
      this.runs = all.length === 0 ? [] : [all];
      this.heads = all.length === 0 ? [] : [0];
    }
  }
}

/** Two lists sorted by compareForPodGC merged into one; on a tie `a`'s pod first (what a stable
 * sort of a followed by b gives). */
function mergeSorted(a: readonly PodInfo[], b: readonly PodInfo[]): PodInfo[] {
  if (b.length === 0) return a as PodInfo[];
  if (a.length === 0) return b as PodInfo[];
  const out: PodInfo[] = new Array<PodInfo>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareForPodGC(b[j] as PodInfo, a[i] as PodInfo) < 0 ? (b[j++] as PodInfo) : (a[i++] as PodInfo);
  while (i < a.length) out[k++] = a[i++] as PodInfo;
  while (j < b.length) out[k++] = b[j++] as PodInfo;
  return out;
}
