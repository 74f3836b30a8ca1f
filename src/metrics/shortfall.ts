// Workloads that end the run short of their replicas: summary.csv's replicas_desired_end /
// replicas_ready_end, and a warning per short workload naming where its missing replicas are.
//
// A replica is ready when its pod is available (Running on a Ready node, and Ready for the
// workload's minReadySeconds: src/faults/availability.ts).
// The pods of a short workload are followed along the path a replica takes — created by the
// controller-manager, scheduled, bound, started, on a Ready node — and the warning says how many
// stopped at each step and why: not created (the controller-manager's client rate limit and the
// API server's queue of writes, and the workload's own pod creates it refused, e.g. by a
// ResourceQuota), unschedulable (the scheduler's last reason), waiting to be
// scheduled, waiting for the binding write (the scheduler's client rate limit), starting, on a
// node since deleted (bound to it until the pod garbage collector deletes them), on a NotReady
// node, or Ready for less than the workload's minReadySeconds. Steps are listed with the most replicas first: the first is the bottleneck.
// DaemonSets have no replicas count (and no workloads.csv row): one is warned about when pods of
// it are left unscheduled at the end, each a node without its daemon, still on the old
// template when its node runs an older pod of the set (a maxSurge pod that cannot bind), or for
// a node since deleted (the controller deletes it at its next failed attempt); and when pods of it
// are left Failed (its kubelet refused them: OutOfcpu) on nodes that run no other pod of it.
import type { ClusterState } from '../cluster/cluster-state.js';
import { isPodReady, type PodInfo } from '../cluster/pod-info.js';
import type { ClientLimit } from '../controlplane/api-server.js';
import { objectKey } from '../cluster/workload-object.js';
import type { FailedAttempt } from './collector.js';
import { EPHEMERAL_STORAGE } from '../cluster/resources.js';
import type { ScenarioNode } from '../workload/scenario.js';

/** What the diagnosis needs of a workload (src/faults/availability.ts WorkloadState). */
export interface WorkloadCount {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly desired: number;
  /** Available pods now. */
  readonly available: number;
  /** spec.minReadySeconds in µs, as the availability tracker counts it (absent: 0). */
  readonly minReadyUs?: number;
}

export interface ShortfallInput {
  readonly workloads: readonly WorkloadCount[];
  readonly cluster: ClusterState;
  /** The workload a pod counts for, or null. */
  workloadOf(p: PodInfo): WorkloadCount | null;
  /** The reason of each unbound pod's latest failed scheduling attempt. */
  readonly lastFailure: ReadonlyMap<PodInfo, FailedAttempt>;
  /** Client rate limits by client kind (controlPlane.clients). */
  readonly clients: ReadonlyMap<string, ClientLimit>;
  /** Writes sent and not committed at the end (timeseries api_queue_depth). */
  readonly apiQueueDepth: number;
  /** Pod creates the API server refused (quota, admission), by the object key of the workload
   * they were for (src/metrics/collector.ts refusedWorkloadKey), with the first reason. */
  readonly refusedCreates: ReadonlyMap<string, { readonly count: number; readonly reason: string }>;
  /** Pods Ready but not for their workload's minReadySeconds yet (AvailabilityTracker.warming);
   * absent: none. */
  readonly warming?: ReadonlyMap<PodInfo, number>;
  /** Deployments whose new ReplicaSet the API server refused (DeploymentController.stalledRollouts),
   * by object key: why their pods were not created; absent: none. */
  readonly stalledRollouts?: ReadonlyMap<string, { readonly name: string; readonly count: number; readonly reason: string }>;
}

export interface Shortfall {
  /** Σ desired over the workloads. */
  readonly replicasDesired: number;
  /** Σ min(ready, desired): a surge in one workload does not hide another's shortfall. */
  readonly replicasReady: number;
  readonly warnings: string[];
}

/** At most this many distinct unschedulable reasons per warning. */
const MAX_REASONS = 3;

export function shortfall(input: ShortfallInput): Shortfall {
  let replicasDesired = 0;
  let replicasReady = 0;
  const short = new Map<WorkloadCount, PodInfo[]>();
  for (const w of input.workloads) {
    replicasDesired += w.desired;
    replicasReady += Math.min(w.available, w.desired);
    if (w.available < w.desired) short.set(w, []);
  }
  if (short.size > 0) {
    for (const p of input.cluster.pods.values()) {
      const w = input.workloadOf(p);
      if (w !== null) short.get(w)?.push(p);
    }
  }
  const warnings = [...short].map(([w, pods]) => warning(w, pods, input));
  warnings.push(...daemonSetWarnings(input), ...failedDaemonWarnings(input.cluster));
  return { replicasDesired, replicasReady, warnings };
}

/** "DaemonSet ns/name ends with N pods not scheduled ...", per DaemonSet with pods not bound to a
 * node at the end (pending, not deleted, not Terminating), in the order the pods were created. */
function daemonSetWarnings(input: ShortfallInput): string[] {
  const unbound = new Map<string, PodInfo[]>();
  for (const p of input.cluster.pods.values()) {
    if (p.bound || p.terminal || p.terminating || p.ownerKind !== 'DaemonSet') continue;
    const key = `${p.namespace}/${p.ownerName}`;
    const pods = unbound.get(key);
    if (pods === undefined) unbound.set(key, [p]);
    else pods.push(p);
  }
  return [...unbound].map(([key, pods]) => {
    const reasons = new Map<string, number>();
    const errors = new Map<string, number>();
    let waiting = 0;
    for (const p of pods) {
      const failed = input.lastFailure.get(p);
      if (failed === undefined) {
        waiting++;
        continue;
      }
      const by = failed.error ? errors : reasons;
      by.set(failed.reason, (by.get(failed.reason) ?? 0) + 1);
    }
    const steps: string[] = [];
    if (reasons.size > 0) steps.push(byReason(reasons, 'unschedulable, by latest reason').text);
    if (errors.size > 0) steps.push(byReason(errors, 'whose scheduling ended in an error, by latest error').text);
    if (waiting > 0) steps.push(`${waiting} waiting to be scheduled or for their binding`);
    const n = pods.length;
    // A pod pinned to a node that still runs a pod of the set (a surge pod, maxSurge, that
    // cannot bind beside the old one: upstream's rolling update keeps the old pod until the new
    // one is available, update.go rollingUpdate) leaves that node with its daemon.
    // A pod pinned to a node that was deleted (a ksim-events delete) is for no node: the
    // DaemonSet controller deletes it at its next failed attempt (daemonset.ts schedulingFailed).
    let old = 0;
    let gone = 0;
    for (const p of pods) {
      const target = pinnedNodeOf(p);
      if (target !== undefined && !input.cluster.nodeByName.has(target)) gone++;
      else if (runsOtherPodOfSet(input.cluster, p, target)) old++;
    }
    const nodes = (k: number) => (k === 1 ? 'a node' : `${k} nodes`);
    const without = n - old - gone;
    const where = [...(without > 0 ? [`${nodes(without)} without its daemon`] : []), ...(old > 0 ? [`${nodes(old)} still on the old template`] : []), ...(gone > 0 ? [`${gone} for ${gone === 1 ? 'a node' : 'nodes'} since deleted`] : [])];
    return `DaemonSet ${key} ends with ${n} ${n === 1 ? 'pod' : 'pods'} not scheduled, ${where.join(', ')}: ${steps.join('; ')}`;
  });
}

/** "DaemonSet ns/name ends with a node without its daemon: 1 pod failed, by reason: ...", per
 * DaemonSet with Failed pods left at the end on nodes that run no other pod of the set: a pod its
 * kubelet refused (OutOfcpu: created bound to a node it does not fit) that the controller's
 * failed-pod backoff keeps until it deletes it and makes another (daemonset.ts failedPod). */
function failedDaemonWarnings(cluster: ClusterState): string[] {
  const failed = new Map<string, Map<string, number>>();
  for (const p of cluster.pods.values()) {
    if (p.phase !== 'Failed' || !p.bound || p.terminating || p.ownerKind !== 'DaemonSet') continue;
    if (runsOtherPodOfSet(cluster, p, p.pod.spec?.nodeName)) continue;
    const key = `${p.namespace}/${p.ownerName}`;
    let reasons = failed.get(key);
    if (reasons === undefined) failed.set(key, (reasons = new Map()));
    const st = p.pod.status;
    const reason = st?.reason === undefined ? 'no reason' : `${st.reason}${st.message === undefined ? '' : `: ${st.message}`}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return [...failed].map(([key, reasons]) => {
    const { count, text } = byReason(reasons, count1(reasons) === 1 ? 'pod failed, by reason' : 'pods failed, by reason');
    return `DaemonSet ${key} ends with ${count === 1 ? 'a node' : `${count} nodes`} without its daemon: ${text} (the DaemonSet controller deletes a failed daemon pod and makes another, waiting 1 s, 2 s, 4 s, ... up to 15 min between deletions on a node)`;
  });
}

function count1(m: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

/** The node unbound daemon pod `p` is pinned to (its `matchFields metadata.name In [node]`,
 * upstream util.GetTargetNodeName), or undefined. */
function pinnedNodeOf(p: PodInfo): string | undefined {
  const terms = p.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  let target: string | undefined;
  for (const t of terms) for (const f of t.matchFields ?? []) if (target === undefined && f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) target = f.values[0];
  return target;
}

/** Whether unbound daemon pod `p`'s node `target` (pinnedNodeOf) runs another pod of its DaemonSet, bound and neither finished nor
 * Terminating: the old template's pod the rolling update keeps while `p` cannot bind. */
function runsOtherPodOfSet(cluster: ClusterState, p: PodInfo, target: string | undefined): boolean {
  const node = target === undefined ? undefined : cluster.nodeByName.get(target);
  if (node === undefined) return false;
  for (const q of node.pods) {
    if (q !== p && q.bound && !q.terminal && !q.terminating && q.ownerKind === 'DaemonSet' && q.ownerName === p.ownerName && q.namespace === p.namespace) return true;
  }
  return false;
}

function warning(w: WorkloadCount, pods: readonly PodInfo[], input: ShortfallInput): string {
  const { cluster } = input;
  let live = 0;
  let waitingQueue = 0;
  let waitingBind = 0;
  let starting = 0;
  let deletedNode = 0;
  let notReadyNode = 0;
  let notReadyPod = 0;
  let warming = 0;
  let terminating = 0;
  let ready = 0;
  // A ReplicaSet (a Deployment's) counts a Terminating pod as gone and has replaced it; a
  // StatefulSet or DaemonSet waits for it to go, so it stands for a missing replica.
  const replacesTerminating = w.kind === 'Deployment' || w.kind === 'ReplicaSet';
  const reasons = new Map<string, number>();
  const errors = new Map<string, number>();
  // A StatefulSet's live pod of the lowest ordinal that is not Running and Ready, and why: what
  // OrderedReady waits on (upstream stateful_set_control.go processes ordinals in order and stops
  // at the first that is not Running and Ready, or is being deleted).
  let blocker: PodInfo | null = null;
  let blockerOrdinal = Infinity;
  let blockerState = '';
  const block = (p: PodInfo, state: string) => {
    if (w.kind !== 'StatefulSet') return;
    const ord = ordinalOf(p.name);
    if (blocker !== null && ord >= blockerOrdinal) return;
    blocker = p;
    blockerOrdinal = ord;
    blockerState = state;
  };
  for (const p of pods) {
    if (p.terminal || (p.terminating && replacesTerminating)) continue;
    live++;
    if (p.terminating) {
      terminating++;
      block(p, `is Terminating${nodeLost(p, cluster) ? ' on a lost node' : ''}`);
      continue;
    }
    if (!p.bound) {
      const failed = input.lastFailure.get(p);
      if (p.nodeName !== null) waitingBind++;
      else if (failed === undefined) waitingQueue++;
      else {
        const by = failed.error ? errors : reasons;
        by.set(failed.reason, (by.get(failed.reason) ?? 0) + 1);
      }
      block(p, failed === undefined || p.nodeName !== null ? 'is not bound yet' : failed.error ? 'is not bound: its scheduling ended in an error' : 'is unschedulable');
    } else if (p.nodeName !== null && !cluster.nodeByName.has(p.nodeName)) {
      deletedNode++;
      block(p, 'is on a deleted node');
    } else if (p.phase !== 'Running') {
      starting++;
      block(p, 'is bound, not Running yet');
    } else if (cluster.nodeByName.get(p.nodeName ?? '')?.ready !== true) {
      notReadyNode++;
      block(p, `is on NotReady node ${p.nodeName}`);
    } else if (!isPodReady(p)) {
      notReadyPod++;
      block(p, 'is Running but not Ready');
    } else if (input.warming?.has(p) === true) {
      warming++;
      block(p, 'is Ready for less than minReadySeconds');
    } else ready++;
  }
  const steps: { count: number; text: string }[] = [];
  const notCreated = w.desired - live;
  // A StatefulSet of podManagementPolicy OrderedReady (the default) creates an ordinal only once
  // every pod before it is Running and Ready (and Ready for its minReadySeconds): with one of its
  // live pods not ready, that, not the controller-manager's rate limit, is why the rest do not
  // exist.
  const unreadyLive = live - ready;
  const policy = (cluster.objects.get(objectKey('StatefulSet', w.namespace, w.name))?.spec as { podManagementPolicy?: string } | undefined)?.podManagementPolicy;
  if (notCreated > 0 && w.kind === 'StatefulSet' && policy !== 'Parallel' && unreadyLive > 0) {
    const m = minReadySecondsOf(w);
    const readyText = m > 0 ? `Running and Ready for ${m} s (minReadySeconds)` : 'Running and Ready';
    const first = blocker === null ? '' : `${(blocker as PodInfo).name} ${blockerState}`;
    const which = unreadyLive === 1 ? first : `${unreadyLive} are not, the first ${first}`;
    steps.push({ count: notCreated, text: `${notCreated} not created (podManagementPolicy OrderedReady: an ordinal is created once every pod before it is ${readyText}, and ${which})` });
  } else if (notCreated > 0 && input.stalledRollouts?.has(objectKey(w.kind, w.namespace, w.name)) === true) {
    // Its new ReplicaSet was refused: no pod of the new template can be created.
    const r = input.stalledRollouts.get(objectKey(w.kind, w.namespace, w.name))!;
    steps.push({ count: notCreated, text: `${notCreated} not created (its new ReplicaSet ${r.name} refused by the API server: ${r.reason})` });
  } else if (notCreated > 0) {
    // Its own refused creates: another workload's of the namespace (a LimitRange's ratio) are
    // not why this one is short.
    const refused = input.refusedCreates.get(objectKey(w.kind, w.namespace, w.name));
    const why = refused === undefined ? '' : `${refused.count} of its pod creates refused by the API server, first: ${refused.reason}; `;
    steps.push({ count: notCreated, text: `${notCreated} not created (${why}${client(input, 'controller-manager')}; api_queue_depth ${input.apiQueueDepth} at the end)` });
  }
  if (reasons.size > 0) steps.push(byReason(reasons, 'unschedulable, by latest reason'));
  if (errors.size > 0) steps.push(byReason(errors, 'whose scheduling ended in an error, by latest error'));
  if (waitingQueue > 0) steps.push({ count: waitingQueue, text: `${waitingQueue} waiting to be scheduled` });
  if (waitingBind > 0) steps.push({ count: waitingBind, text: `${waitingBind} waiting for their binding (${client(input, 'scheduler')})` });
  if (starting > 0) steps.push({ count: starting, text: `${starting} bound, not Running yet` });
  // Bound to a node whose Node object was deleted (ClusterState.orphansOf): they run nowhere
  // until the pod garbage collector fails and deletes them (podgc.ts gcOrphaned, 40 to 60 s
  // after the deletion), and their owner replaces them.
  if (deletedNode > 0) steps.push({ count: deletedNode, text: `${deletedNode} on ${deletedNode === 1 ? 'a node' : 'nodes'} since deleted (the pod garbage collector deletes ${deletedNode === 1 ? 'it' : 'them'} 40 to 60 s after the node, then ${deletedNode === 1 ? 'it is' : 'they are'} replaced)` });
  if (notReadyNode > 0) steps.push({ count: notReadyNode, text: `${notReadyNode} on NotReady nodes` });
  if (notReadyPod > 0) steps.push({ count: notReadyPod, text: `${notReadyPod} Running but not Ready since the snapshot (no readiness probes are simulated)` });
  if (warming > 0) steps.push({ count: warming, text: `${warming} Ready for less than minReadySeconds (${minReadySecondsOf(w)} s), not available yet` });
  if (terminating > 0) steps.push({ count: terminating, text: `${terminating} Terminating, not gone yet (the replacement waits for it)` });
  // Most replicas first (stable: ties keep the path's order).
  steps.sort((a, b) => b.count - a.count);
  const where = steps.length === 0 ? '' : `: ${steps.map((s) => s.text).join('; ')}`;
  return `${w.kind} ${w.namespace}/${w.name} ends with ${w.available} of ${w.desired} replicas ready${where}`;
}

/** A StatefulSet pod's ordinal (its name's last `-N`); Infinity when it has none. */
function ordinalOf(name: string): number {
  const m = /-(\d+)$/.exec(name);
  return m === null ? Infinity : Number(m[1]);
}

/** Whether a pod's node is gone or NotReady: a Terminating pod there waits for the node (or the
 * pod garbage collector) since its kubelet cannot confirm the deletion. */
function nodeLost(p: PodInfo, cluster: ShortfallInput['cluster']): boolean {
  return p.nodeName !== null && cluster.nodeByName.get(p.nodeName)?.ready !== true;
}

/** The workload's minReadySeconds, as the tracker that counted its pods warming holds it. */
function minReadySecondsOf(w: WorkloadCount): number {
  return (w.minReadyUs ?? 0) / 1_000_000;
}

/** "scheduler client QPS 50, burst 100": the rate limit a step's writes wait on. */
function client(input: Pick<ShortfallInput, 'clients'>, kind: string): string {
  const l = input.clients.get(kind);
  return l === undefined ? `${kind} client not rate-limited` : `${kind} client QPS ${l.qps}, burst ${l.burst}`;
}

/** "N <what>: n1 "reason", n2 "reason", k with other reasons", most frequent first (reasons
 * quoted as JSON strings: one holding quotes, a plugin's name, stays readable). `untallied`:
 * pods whose reason was not kept (NeverBoundTally's cap), among the other reasons. */
function byReason(reasons: ReadonlyMap<string, number>, what: string, untallied = 0): { count: number; text: string } {
  const byCount = [...reasons].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const total = byCount.reduce((s, [, n]) => s + n, untallied);
  const listed = byCount.slice(0, MAX_REASONS).map(([reason, n]) => `${n} ${JSON.stringify(reason)}`);
  const other = total - byCount.slice(0, MAX_REASONS).reduce((s, [, n]) => s + n, 0);
  if (other > 0) listed.push(`${other} with other reasons`);
  return { count: total, text: `${total} ${what}: ${listed.join(', ')}` };
}

/** Distinct reasons a NeverBoundTally keeps: a trace of millions of pods is counted, not kept,
 * and pods with a reason past these count among the other reasons. */
const MAX_TALLIED_REASONS = 64;

/** Pods never bound to a node, counted by their latest failed scheduling attempt's reason (or
 * as waiting, without one): no pod is kept, so a trace's millions of pods cost a few counts. */
export class NeverBoundTally {
  count = 0;
  readonly reasons = new Map<string, number>();
  readonly errors = new Map<string, number>();
  /** Unschedulable (or erred) pods whose reason was past MAX_TALLIED_REASONS. */
  otherReasons = 0;
  otherErrors = 0;
  /** Never attempted, or back in the queue. */
  waiting = 0;
  /** Assumed onto a node by the scheduler, the binding write not committed. */
  waitingBind = 0;

  add(failed: FailedAttempt | undefined, assumed: boolean): void {
    this.count++;
    if (assumed) this.waitingBind++;
    else if (failed === undefined) this.waiting++;
    else {
      const by = failed.error ? this.errors : this.reasons;
      const n = by.get(failed.reason);
      if (n !== undefined) by.set(failed.reason, n + 1);
      else if (by.size < MAX_TALLIED_REASONS) by.set(failed.reason, 1);
      else if (failed.error) this.otherErrors++;
      else this.otherReasons++;
    }
  }

  /** Adds another tally's counts (the cap holds: reasons past it count as other reasons). */
  merge(t: NeverBoundTally): void {
    this.count += t.count;
    this.waiting += t.waiting;
    this.waitingBind += t.waitingBind;
    this.otherReasons += t.otherReasons;
    this.otherErrors += t.otherErrors;
    for (const [by, from, error] of [[this.reasons, t.reasons, false], [this.errors, t.errors, true]] as const) {
      for (const [reason, k] of from) {
        const n = by.get(reason);
        if (n !== undefined) by.set(reason, n + k);
        else if (by.size < MAX_TALLIED_REASONS) by.set(reason, k);
        else if (error) this.otherErrors += k;
        else this.otherReasons += k;
      }
    }
  }

  /** The steps, most pods first (ties in the path's order), as the workloads' warning lists them. */
  steps(input: Pick<ShortfallInput, 'clients'>): string[] {
    const steps: { count: number; text: string }[] = [];
    if (this.reasons.size > 0 || this.otherReasons > 0) steps.push(byReason(this.reasons, 'unschedulable, by latest reason', this.otherReasons));
    if (this.errors.size > 0 || this.otherErrors > 0) steps.push(byReason(this.errors, 'whose scheduling ended in an error, by latest error', this.otherErrors));
    if (this.waiting > 0) steps.push({ count: this.waiting, text: `${this.waiting} waiting to be scheduled` });
    if (this.waitingBind > 0) steps.push({ count: this.waitingBind, text: `${this.waitingBind} waiting for their binding (${client(input, 'scheduler')})` });
    steps.sort((a, b) => b.count - a.count);
    return steps.map((s) => s.text);
  }
}

/** The pods of a workload entry a never-bound warning is about: bare pods, or a Job's. */
export type NeverBoundClass = 'Pod' | 'Job';

/** Whether a pod counts in the never-bound warnings, and as which class: a bare pod or a Job's
 * pod of a workload entry (a trace's, or a manifest's). Other owners' pods are the replica and
 * DaemonSet warnings'. */
export function neverBoundClass(p: PodInfo): NeverBoundClass | null {
  if (p.workload === '') return null;
  if (p.ownerKind === '') return 'Pod';
  if (p.ownerKind === 'Job') return 'Job';
  return null;
}

export interface NeverBoundInput extends Pick<ShortfallInput, 'cluster' | 'lastFailure' | 'clients'> {
  /** The scenario's workload entries in order, and whether each is a trace. */
  readonly entries: readonly { readonly name: string; readonly trace: boolean }[];
  /** Pods deleted before they were ever bound, by entry and class (MetricsCollector.deletedUnbound). */
  readonly deleted: ReadonlyMap<string, ReadonlyMap<NeverBoundClass, NeverBoundTally>>;
}

/**
 * "trace t: 3 pods never bound (1 pending at the end, 2 deleted before they were placed): ...",
 * per trace entry whose bare pods, and per workload entry (a trace's or a manifest's) whose
 * Jobs' pods, were never bound: those still unbound
 * at the end (not Terminating), and those deleted before they were placed (bare pods: the
 * summary's pods_deleted_unbound, deleted by the trace or the FGD replay's deadline; a Job's:
 * deleted with their Job), with the steps they stopped at, as the workloads' warning gives them.
 * In the entries' order, bare pods before Jobs.
 */
export function neverBoundWarnings(input: NeverBoundInput): string[] {
  const pending = new Map<string, Map<NeverBoundClass, NeverBoundTally>>();
  /** Per entry: its Jobs with pods pending at the end, and the first of them. */
  const jobs = new Map<string, { keys: Set<string>; first: string }>();
  for (const p of input.cluster.pods.values()) {
    if (p.bound || p.terminal || p.terminating) continue;
    const c = neverBoundClass(p);
    if (c === null) continue;
    tallyOf(pending, p.workload, c).add(input.lastFailure.get(p), p.nodeName !== null);
    if (c !== 'Job') continue;
    const j = jobs.get(p.workload);
    if (j === undefined) jobs.set(p.workload, { keys: new Set([p.ownerKey]), first: p.ownerKey });
    else j.keys.add(p.ownerKey);
  }
  const order = input.entries.map((e) => e.name);
  for (const name of [...[...pending.keys()], ...[...input.deleted.keys()]].sort()) if (!order.includes(name)) order.push(name);
  const warnings: string[] = [];
  for (const name of order) {
    const trace = input.entries.find((e) => e.name === name)?.trace === true;
    for (const c of ['Pod', 'Job'] as const) {
      // A manifest's bare pod that does not fit is the scenario's own (quickstart's too-big, in
      // pods_unbound_end and placements.csv); a trace's are many and unseen.
      if (c === 'Pod' && !trace) continue;
      const left = pending.get(name)?.get(c);
      const gone = input.deleted.get(name)?.get(c);
      const nLeft = left?.count ?? 0;
      const nGone = gone?.count ?? 0;
      if (nLeft + nGone === 0) continue;
      const all = new NeverBoundTally();
      for (const t of [left, gone]) if (t !== undefined) all.merge(t);
      const n = nLeft + nGone;
      const parts: string[] = [];
      if (nLeft > 0) {
        const j = c === 'Job' ? jobs.get(name) : undefined;
        const of = j === undefined ? '' : j.keys.size === 1 ? `, of Job ${j.first}` : `, of ${j.keys.size} Jobs, first ${j.first}`;
        parts.push(`${nLeft} pending at the end${of}`);
      }
      if (nGone > 0) parts.push(`${nGone} deleted ${c === 'Job' ? 'with their Job ' : ''}before ${nGone === 1 ? 'it was' : 'they were'} placed${c === 'Pod' ? ' (pods_deleted_unbound)' : ''}`);
      const what = c === 'Job' ? (n === 1 ? 'Job pod' : 'Job pods') : n === 1 ? 'pod' : 'pods';
      warnings.push(`${trace ? 'trace' : 'workload'} ${name}: ${n} ${what} never bound (${parts.join('; ')}): ${all.steps(input).join('; ')}`);
    }
  }
  return warnings;
}

function tallyOf(m: Map<string, Map<NeverBoundClass, NeverBoundTally>>, entry: string, c: NeverBoundClass): NeverBoundTally {
  let byClass = m.get(entry);
  if (byClass === undefined) m.set(entry, (byClass = new Map()));
  let t = byClass.get(c);
  if (t === undefined) byClass.set(c, (t = new NeverBoundTally()));
  return t;
}

export { tallyOf as neverBoundTallyOf };

const INSUFFICIENT_EPHEMERAL = `Insufficient ${EPHEMERAL_STORAGE}`;

/**
 * `warnings` with a hint added to each that shows "Insufficient ephemeral-storage" when pools of
 * the scenario offer none: a pool's nodes have only the allocatable it lists, while a real
 * kubelet always reports its root disk's ephemeral-storage, so a chart asking for some (bitnami's
 * resourcesPreset asks 50Mi) never fits there. No capacity is made up: the hint names the pools
 * and the field. Computed once, and only when a warning shows the reason.
 */
export function withEphemeralStorageHint(warnings: readonly string[], nodes: readonly ScenarioNode[], nodePools: readonly string[]): string[] {
  let hint: string | null | undefined;
  return warnings.map((w) => {
    if (!w.includes(INSUFFICIENT_EPHEMERAL)) return w;
    hint ??= ephemeralStorageHint(nodes, nodePools);
    return hint === null ? w : `${w}; ${hint}`;
  });
}

/** "pool general lists no ephemeral-storage allocatable ...", or null when every pool lists it. */
export function ephemeralStorageHint(nodes: readonly ScenarioNode[], nodePools: readonly string[]): string | null {
  const pools = new Set(nodePools);
  const without = new Set<string>();
  for (const n of nodes) {
    if (!pools.has(n.pool) || without.has(n.pool)) continue;
    if (n.node.status?.allocatable?.[EPHEMERAL_STORAGE] === undefined) without.add(n.pool);
  }
  if (without.size === 0) return null;
  const names = [...without];
  const which = names.length === 1 ? `pool ${names[0]} lists` : `pools ${names.join(', ')} list`;
  return `${which} no ${EPHEMERAL_STORAGE} allocatable, so ${names.length === 1 ? 'its' : 'their'} nodes offer none (real nodes report their root disk's): add allocatable.${EPHEMERAL_STORAGE} to ${names.length === 1 ? 'it' : 'them'}`;
}
