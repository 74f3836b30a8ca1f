// The taint-eviction-controller (kube-controller-manager since v1.34, KEP-3902; upstream
// pkg/controller/tainteviction/taint_eviction.go), as client "controller-manager/taint-eviction-controller": a pod bound to
// a node with a NoExecute taint it does not tolerate is deleted at once; if it tolerates every
// NoExecute taint, the shortest tolerationSeconds among the tolerations used (for each taint the
// first toleration that tolerates it) decides when it is deleted, counted from when the
// controller saw the taint (a toleration without seconds: never); for a taint already on a node
// when the run starts, from t = 0 (upstream counts from when its worker handles the node, not
// from the taint's timeAdded).
// Once scheduled, a deletion is not moved by later taints tolerated for fewer (or more) seconds:
// upstream processPodOnNode keeps a scheduled eviction whose CreatedAt is before now. Taints gone
// before then, or all left tolerated forever, cancel the deletion; one not tolerated deletes at once. The deletion is graceful, as upstream's
// (addConditionAndDeletePod: a DisruptionTarget condition, then a delete without a grace-period
// override): the API server makes a bound, unfinished pod Terminating
// (ApiServer.deletePod), and its kubelet removes it after its terminationGracePeriodSeconds (none
// for a pod not started yet); on a node that is down or cut off it stays Terminating, holding its
// place on the node, until the node is back.
import { addTimeUs } from '../engine/time.js';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import { TAINT_EVICTION_REASON, type PodInfo } from '../cluster/pod-info.js';
import type { SimEvent } from '../engine/event-queue.js';
import { toleratesTaint } from '../api/taints.js';

export interface EvictionRecord {
  readonly timeUs: number;
  readonly pod: PodInfo;
  readonly node: string;
  readonly reason: string;
}

interface Scheduled {
  readonly ev: SimEvent;
  /** Upstream TimedWorker.CreatedAt: when the eviction was first scheduled. */
  readonly createdUs: number;
}

export class TaintEvictionController {
  private readonly scheduled = new Map<PodInfo, Scheduled>();
  private readonly evicted = new WeakSet<PodInfo>();
  evictions = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly cluster: ClusterState,
    private readonly onEvict: (r: EvictionRecord) => void = () => {},
  ) {
    api.watch({
      // Upstream New() registers the informers' AddFunc too (NodeUpdated(nil, node),
      // PodUpdated(nil, pod)), reaching processPodOnNode for what is already there when the
      // controller starts: a snapshot's tainted nodes and the pods bound to them. Their work
      // starts once the caches have synced (Run: WaitForNamedCacheSync), so here at
      // startStateCommitted, with the deadline counted from then (t = 0): processPodOnNode takes
      // time.Now(), never the taint's timeAdded.
      startStateCommitted: () => {
        for (const n of this.cluster.nodes) if (hasNoExecute(n)) this.checkNode(n);
      },
      nodeAdded: (n, atStart) => {
        if (!atStart) this.checkNode(n);
      },
      nodeUpdated: (n) => this.checkNode(n),
      podBound: (p) => this.checkBound(p),
      podTerminating: (p) => this.cancel(p),
      podDeleted: (p) => this.cancel(p),
      // A finished pod is never evicted (below), so one that finishes while its eviction waits
      // keeps no deadline: its node's pods no longer list it, and the taint's removal would not
      // reach it (upstream lists every pod assigned to the node and cancels them all).
      podPhaseChanged: (p) => {
        if (p.terminal) this.cancel(p);
      },
    });
  }

  private checkNode(n: NodeInfo): void {
    for (const p of [...n.pods]) this.check(p, n);
  }

  private checkBound(p: PodInfo): void {
    const n = p.nodeName === null ? undefined : this.cluster.nodeByName.get(p.nodeName);
    if (n !== undefined) this.check(p, n);
  }

  private cancel(p: PodInfo): void {
    const s = this.scheduled.get(p);
    if (s === undefined) return;
    this.sim.cancel(s.ev);
    this.scheduled.delete(p);
  }

  private check(p: PodInfo, n: NodeInfo): void {
    if (!p.bound || p.deleted || p.terminal || p.terminating) return;
    let minSeconds = Number.POSITIVE_INFINITY;
    let used: Taint | null = null;
    let any = false;
    const tols: readonly Toleration[] = p.pod.spec?.tolerations ?? [];
    for (const taint of n.taints) {
      if (taint.effect !== 'NoExecute') continue;
      any = true;
      // The first toleration that tolerates the taint is the one used, even if a later one has
      // fewer seconds (upstream v1helper.GetMatchingTolerations).
      const t = tols.find((x) => toleratesTaint(x, taint));
      if (t === undefined) {
        this.cancel(p);
        this.evict(p, n.name, `taint ${taint.key}:NoExecute, not tolerated`);
        return;
      }
      // Upstream getMinTolerationTime: no seconds = forever; seconds <= 0 = now.
      const seconds = t.tolerationSeconds == null ? Number.POSITIVE_INFINITY : Math.max(0, t.tolerationSeconds);
      if (seconds < minSeconds) {
        minSeconds = seconds;
        used = taint;
      }
    }
    if (!any || used === null || !Number.isFinite(minSeconds)) {
      this.cancel(p);
      return;
    }
    // Upstream processPodOnNode (pkg/controller/tainteviction/taint_eviction.go): with an
    // eviction already scheduled, startTime = its CreatedAt, and it returns, keeping that eviction
    // as it is, when CreatedAt + minTolerationTime is before now + minTolerationTime, that is
    // whenever it was scheduled before now: a later taint (or toleration) with fewer seconds, even
    // 0, does not move it, nor does one with more. Only when it was scheduled at this very instant
    // is it replaced (CancelWork, AddWork(CreatedAt, now + minTolerationTime)): the newer state
    // wins. A taint not tolerated (above) and tolerations lasting forever (cancel) still act.
    const now = this.sim.now;
    const at = addTimeUs(now, minSeconds * 1_000_000); // int64 seconds can outrun the µs clock
    const prev = this.scheduled.get(p);
    let createdUs = now;
    if (prev !== undefined) {
      createdUs = prev.createdUs;
      if (addTimeUs(createdUs, minSeconds * 1_000_000) < at) return;
      this.cancel(p);
    }
    const reason = `taint ${used.key}:NoExecute, tolerated for ${minSeconds}s`;
    const nodeName = n.name;
    const ev = this.sim.scheduleAt(at, 'taint-eviction.evict', p.key, () => {
      this.scheduled.delete(p);
      if (!p.deleted && !p.terminal && p.nodeName === nodeName) this.evict(p, nodeName, reason);
    });
    this.scheduled.set(p, { ev, createdUs });
  }

  private evict(p: PodInfo, node: string, reason: string): void {
    if (this.evicted.has(p)) return;
    this.evicted.add(p);
    this.evictions++;
    this.onEvict({ timeUs: this.sim.now, pod: p, node, reason });
    this.api.deletePod(p, `${TAINT_EVICTION_REASON}${reason}`);
  }
}

function hasNoExecute(n: NodeInfo): boolean {
  for (const t of n.taints) if (t.effect === 'NoExecute') return true;
  return false;
}
