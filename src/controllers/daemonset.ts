// DaemonSet controller (upstream pkg/controller/daemon/daemon_controller.go, simplified): one
// active pod per eligible node. A node is eligible when the pod template's nodeSelector and
// required node affinity match it and every NoSchedule/NoExecute taint is tolerated by the
// template's tolerations plus the ones the controller adds to every daemon pod
// (pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations: not-ready and
// unreachable NoExecute without tolerationSeconds; disk-, memory-, pid-pressure and
// unschedulable NoSchedule; network-unavailable NoSchedule when hostNetwork). Each pod is pinned
// with a required node affinity `matchFields metadata.name In [node]` and goes through the
// scheduler, unless the template names its node (spec.nodeName): then that node alone runs it and
// the pod, created with that nodeName, is stored bound (ApiServer.createPod), as upstream's
// GetPodFromTemplate keeps the template's nodeName. A pod keeps running on a node that gets a NoSchedule taint (upstream
// NodeShouldRunDaemonPod: shouldContinueRunning) but is deleted when the node stops matching
// the selectors or gets an untolerated NoExecute taint. Terminal pods (Failed or Succeeded:
// ksim's kubelet completes a pod when its run duration ends) are deleted and replaced once the
// deletion is observed. Not modelled: rolling updates of the template (the run warns of a
// change: metrics/template-changes.ts), the failed-pod backoff.
// Like the ReplicaSet controller, it waits for its own writes to be observed (expectations)
// before syncing a DaemonSet again, and a sync with a refused create failed: the set is retried
// through the work queue's rate limiter (upstream syncNodes returns the errors and
// processNextWorkItem calls queue.AddRateLimited; work-queue.ts). Pods are grouped by their target
// node as upstream util.GetTargetNodeName finds it (spec.nodeName, else the node-name affinity); a
// pod with neither is skipped, and of the pods whose node does not exist only the unscheduled
// ones are deleted (upstream getUnscheduledPodsWithoutNode): a bound pod of a deleted node is the
// pod garbage collector's (upstream podgc gcOrphaned; ksim deletes no Node objects, so none
// arises in a run). Creates go out in slow-start batches of 1, 2, 4, ... pods, each batch sent
// when every create of the previous one has been answered, at most BurstReplicas (250) creates
// and 250 deletes per sync; a batch with a refused create ends the creates of the sync (the
// skipped pods are not expected) and the sync fails (upstream syncNodes: batchSize from
// controller.SlowStartInitialBatchSize, createWait, skippedPods → LowerExpectations, break).
import { merged } from '../api/values.js';
import type { Affinity, NodeSelectorTerm, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import type { SimEvent } from '../engine/event-queue.js';
import type { RandomStream } from '../engine/random.js';
import { withSharedContainers, type PodInfo } from '../cluster/pod-info.js';
import { compareForPodGC } from './podgc.js';
import type { NodeInfo } from '../cluster/node-info.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { ObjectOf } from '../cluster/workload-object.js';
import type { ObjectApi } from '../controlplane/object-api.js';
import { compileNodeSelector, matchesNodeSelectorMap } from '../api/labels.js';
import { matchToleration, sameToleration, tolerationsTolerateTaint } from '../api/taints.js';
import { PodNames } from './names.js';
import { ownedPodMetadata } from './pod-metadata.js';
import { ControllerRateLimiter, endSync, heardForeignPod, queueSync, slowStartBatch } from './work-queue.js';
import { KindInformer } from './informer.js';

/** Upstream daemon_controller.go BurstReplicas: creates (and deletes) per sync. */
export const BURST_REPLICAS = 250;

/** Tolerations every daemon pod gets (upstream daemonset_util.go AddOrUpdateDaemonPodTolerations). */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** The template's tolerations with each daemon toleration added or updated, in order, as upstream
 * AddOrUpdateDaemonPodTolerations does through AddOrUpdateTolerationInPodSpec
 * (pkg/apis/core/v1/helper/helpers.go): a template toleration that matches one (same key,
 * operator, value and effect: Toleration.MatchToleration) is replaced by it, so a template's
 * `not-ready` NoExecute toleration with tolerationSeconds becomes one without a limit; one equal
 * in every field is left as it is; otherwise the daemon toleration is appended. */
function withDaemonTolerations(tolerations: readonly Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  let out: Toleration[] = [...(tolerations ?? [])];
  for (const d of daemonPodTolerations(hostNetwork)) out = addOrUpdateToleration(out, d);
  return out;
}

function addOrUpdateToleration(tolerations: Toleration[], t: Toleration): Toleration[] {
  const out: Toleration[] = [];
  let updated = false;
  for (const x of tolerations) {
    if (matchToleration(t, x)) {
      if (sameToleration(t, x)) return tolerations;
      out.push(t);
      updated = true;
      continue;
    }
    out.push(x);
  }
  if (!updated) out.push(t);
  return out;
}

/** Upstream NodeShouldRunDaemonPod (pkg/controller/daemon/daemon_controller.go): whether a new
 * daemon pod should go to `node`, and whether an existing one may stay; `reason` says why not
 * when shouldRun is false (for `ksim explain`): the template's nodeName, nodeSelector or
 * required node affinity, else the first untolerated NoSchedule/NoExecute taint. */
export function nodeShouldRunDaemonPod(pod: Pod, node: NodeInfo): { shouldRun: boolean; shouldContinueRunning: boolean; reason?: string } {
  const spec = pod.spec ?? { containers: [] };
  const no = (reason: string) => ({ shouldRun: false, shouldContinueRunning: false, reason });
  if (spec.nodeName !== undefined && spec.nodeName !== '' && spec.nodeName !== node.name) return no(`the template's nodeName is ${spec.nodeName}`);
  if (!matchesNodeSelectorMap(spec.nodeSelector, node.labels)) return no("the node doesn't match the template's nodeSelector");
  const req = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req != null && !compileNodeSelector(req, undefined, { invalidTerms: 'matchNothing' }).matches(node)) return no("the node doesn't match the template's required node affinity");
  let untolerated: Taint | null = null;
  const taints: Taint[] = [...node.taints];
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (tolerationsTolerateTaint(spec.tolerations, taint)) continue;
    if (taint.effect === 'NoExecute') return no(`untolerated taint ${taintString(taint)}`);
    untolerated ??= taint;
  }
  if (untolerated !== null) return { shouldRun: false, shouldContinueRunning: true, reason: `untolerated taint ${taintString(untolerated)}` };
  return { shouldRun: true, shouldContinueRunning: true };
}

/** Upstream Taint.ToString: "key=value:Effect", "key:Effect" without a value. */
function taintString(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

/** The pod a DaemonSet's template makes before it is pinned to a node, with the daemon
 * tolerations (upstream util.NewPod without the node name): what nodeShouldRunDaemonPod checks. */
export function daemonTemplatePod(ds: ObjectOf<'DaemonSet'>): Pod {
  const t = (ds.spec ?? {}).template ?? {};
  const spec = t.spec ?? { containers: [] };
  return { apiVersion: 'v1', kind: 'Pod', metadata: t.metadata ?? {}, spec: { ...spec, tolerations: withDaemonTolerations(spec.tolerations, spec.hostNetwork === true) } };
}

/** The spec of the pod the controller creates for `node` (upstream syncNodes: the template with
 * the daemon tolerations, util.CreatePodTemplate, and the node-name affinity,
 * ReplaceDaemonSetPodNodeNameNodeAffinity). A fresh spec per pod over the template's parts: the
 * run replaces whole fields of a pod's spec (nodeName, priority, the tolerations and affinity
 * here) and writes into no nested part. */
export function daemonPodSpec(ds: ObjectOf<'DaemonSet'>, node: string): NonNullable<Pod['spec']> {
  const t = (ds.spec ?? {}).template ?? {};
  const spec = merged<NonNullable<Pod['spec']>>(withSharedContainers(t.spec ?? { containers: [] }));
  spec.tolerations = withDaemonTolerations(spec.tolerations, spec.hostNetwork === true);
  spec.affinity = withNodeNameAffinity(spec.affinity, node);
  return spec;
}

interface DsState {
  obj: ObjectOf<'DaemonSet'>;
  readonly pods: Set<PodInfo>;
  /** Nodes with a pod create in flight. */
  readonly creating: Set<string>;
  /** Pods whose deletion was issued and not yet observed. */
  readonly deleting: Set<PodInfo>;
  syncQueued: boolean;
  deleted: boolean;
  /** Failed syncs since the last successful one, and the pending retry (work-queue.ts). */
  failures: number;
  retry: SimEvent | null;
  /** A sync was asked for while this one's creates were in flight (see replicaset.ts). */
  dirty: boolean;
  /** Deletes the current sync may still send (upstream deleteDiff capped at burstReplicas). */
  deleteBudget: number;
}

/** Which of a node's surplus daemon pods stays (the first): upstream podByCreationTimestampAndPhase
 * (pkg/controller/daemon/daemon_controller.go): a scheduled pod (spec.nodeName set) before an
 * unscheduled one, then the older creationTimestamp, which has whole seconds (as the pod garbage
 * collector compares it: compareForPodGC), then the name. */
export function compareDaemonPods(a: PodInfo, b: PodInfo): number {
  if (a.bound !== b.bound) return a.bound ? -1 : 1;
  return compareForPodGC(a, b);
}

export class DaemonSetController {
  private readonly sets: KindInformer<'DaemonSet', DsState>;

  private readonly podNames: PodNames;
  private readonly limiter = new ControllerRateLimiter();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    names: RandomStream,
    objects?: ObjectApi,
  ) {
    this.podNames = new PodNames(api.cluster, names);
    this.sets = new KindInformer<'DaemonSet', DsState>('DaemonSet', api, objects, {
      add: (o) => {
        const st: DsState = { obj: o, pods: new Set(), creating: new Set(), deleting: new Set(), syncQueued: false, deleted: false, failures: 0, retry: null, dirty: false, deleteBudget: 0 };
        this.enqueue(st);
        return st;
      },
      update: (st, o) => {
        st.obj = o;
        this.enqueue(st);
      },
      remove: (st) => {
        st.deleted = true; // its pods are the garbage collector's
      },
    });
    api.watch({
      nodeAdded: () => this.enqueueAll(),
      nodeUpdated: () => this.enqueueAll(),
      podAdded: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
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
        if (p.terminal) this.enqueue(st);
        else this.enqueueIfFailing(st);
      },
      // Upstream updatePod: a pod that got a deletionTimestamp counts as deleted for the
      // expectations, so creates elsewhere need not wait for its termination.
      podTerminating: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        st.deleting.delete(p);
        this.enqueue(st);
      },
      podDeleted: (p) => {
        const st = this.owner(p);
        if (st === undefined) return;
        st.pods.delete(p);
        st.deleting.delete(p);
        this.enqueue(st);
      },
    });
  }

  private owner(p: PodInfo): DsState | undefined {
    return this.sets.ownerOfPod(p);
  }

  private enqueueAll(): void {
    for (const st of this.sets.values()) this.enqueue(st);
  }

  private enqueue(st: DsState): void {
    queueSync(this.sim, 'daemonset.sync', st, (s) => this.sync(s));
  }

  /** Upstream addPod and updatePod queue the set on every event of its pods; for the pods this
   * controller made, such a sync only has work to do after a failed one, so ksim queues it only
   * then (see replicaset.ts). */
  private enqueueIfFailing(st: DsState): void {
    if (st.failures > 0) this.enqueue(st);
  }

  private sync(st: DsState): void {
    if (st.deleted) return;
    if (st.creating.size > 0) {
      st.dirty = true; // this sync's creates are still in flight
      return;
    }
    // A deletion counts as done when the watch says so (podTerminating, podDeleted), not when
    // it has committed: a sync in between would see the pod neither deleted nor deleting.
    if (st.deleting.size > 0) return this.limiter.forget(st); // expectations not yet met: a successful sync
    st.deleteBudget = BURST_REPLICAS;
    const template = daemonTemplatePod(st.obj);
    // Pods by their target node (upstream getNodesToDaemonPods).
    const byNode = new Map<string, PodInfo[]>();
    const toCreate: string[] = [];
    for (const p of st.pods) {
      if (p.deleted) continue;
      if (p.terminal) {
        this.remove(st, p, 'daemon pod terminated');
        continue;
      }
      const node = targetNodeName(p);
      if (node === null) continue; // upstream: logged and skipped
      let l = byNode.get(node);
      if (l === undefined) byNode.set(node, (l = []));
      l.push(p);
    }
    for (const n of this.api.cluster.nodes) {
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(template, n);
      const pods = byNode.get(n.name) ?? [];
      byNode.delete(n.name);
      if (pods.length === 0) {
        if (shouldRun && st.deleting.size === 0) toCreate.push(n.name);
      } else if (!shouldContinueRunning) {
        for (const p of pods) if (!p.terminating) this.remove(st, p, 'node no longer eligible for the daemon pod');
      } else {
        // Upstream keeps the oldest running one and deletes the others; a Terminating pod is on
        // its way out already (but still holds the node: no new pod while it is there).
        const running = pods.filter((p) => !p.terminating);
        if (running.length > 1) {
          running.sort(compareDaemonPods);
          for (const p of running.slice(1)) this.remove(st, p, 'surplus daemon pod');
        }
      }
    }
    // Pods whose target node does not exist: only the unscheduled ones (upstream
    // getUnscheduledPodsWithoutNode); a bound one is left to the pod garbage collector.
    for (const pods of byNode.values()) for (const p of pods) if (!p.bound) this.remove(st, p, 'unscheduled daemon pod of a node that does not exist');
    if (toCreate.length === 0) return this.limiter.forget(st);
    this.createPods(st, toCreate.slice(0, BURST_REPLICAS));
  }

  /** Creates a pod on each of `nodes` in slow-start batches (upstream syncNodes' batch loop;
   * work-queue.ts slowStartBatch); a refused create ends the sync, which failed. */
  private createPods(st: DsState, nodes: readonly string[]): void {
    slowStartBatch(
      nodes.length,
      Infinity,
      (i, done) => {
        this.create(st, nodes[i] as string, done);
        return true;
      },
      (created, refused) => endSync(this.sim, 'daemonset.sync', st, this.limiter, (s) => this.sync(s), created, refused),
    );
  }

  private remove(st: DsState, p: PodInfo, reason: string): void {
    if (st.deleting.has(p) || st.deleteBudget <= 0) return; // the rest: a later sync
    st.deleteBudget--;
    st.deleting.add(p);
    this.api.deletePod(p, reason);
  }

  private create(st: DsState, node: string, done: (ok: boolean) => void): void {
    const pod = this.newPod(st, node);
    const key = this.podNames.keyFor(pod);
    st.creating.add(node);
    this.api.createPod(
      pod,
      (p) => {
        this.podNames.release(key);
        st.creating.delete(node);
        if (p !== null) st.pods.add(p);
        done(p !== null);
      },
      key,
    );
  }

  private newPod(st: DsState, node: string): Pod {
    const t = (st.obj.spec ?? {}).template ?? {};
    const md = st.obj.metadata;
    const tmd = t.metadata ?? {};
    const spec = daemonPodSpec(st.obj, node);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: ownedPodMetadata(tmd, this.podNames.reserve(md.namespace, md.name), md.namespace, { ...(tmd.labels ?? {}) }, { apiVersion: 'apps/v1', kind: 'DaemonSet', name: md.name, uid: md.uid ?? md.name, controller: true, blockOwnerDeletion: true }),
      spec,
    };
  }
}

/** Upstream util.ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity is
 * replaced by one term `matchFields metadata.name In [node]` (the controller has already checked
 * the original affinity against the node); preferred terms are kept. */
export function withNodeNameAffinity(affinity: Affinity | undefined, node: string): Affinity {
  const term: NodeSelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] };
  return { ...(affinity ?? {}), nodeAffinity: { ...(affinity?.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } };
}

/** Upstream util.GetTargetNodeName (pkg/controller/daemon/util/daemonset_util.go): the node a
 * pod is bound to (spec.nodeName), else the one its node-name affinity pins it to, else none. */
function targetNodeName(p: PodInfo): string | null {
  return p.bound && p.nodeName !== null ? p.nodeName : pinnedNode(p);
}

/** The node a daemon pod's `matchFields metadata.name In [node]` pins it to (the affinity part
 * of upstream GetTargetNodeName). */
function pinnedNode(p: PodInfo): string | null {
  const terms = p.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  // The first `metadata.name In` requirement decides; more than one value is no target.
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In') return f.values?.length === 1 ? (f.values[0] ?? null) : null;
  return null;
}

