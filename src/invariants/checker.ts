// The invariant checker: watches a run and throws InvariantViolation the moment the simulation
// reaches a state that no correct ksim can reach. It reads the state store, the API server's
// notifications and the engine's events; it never changes anything.
//
// Invariants (their names are InvariantViolation.invariant):
//  time-monotonic         events run in (time, seq) order and the clock equals the event's time
//  event-in-past          after an event, no queued event is earlier than the clock
//  node-capacity          per node, the requests of the pods on its books ≤ allocatable for cpu,
//                         memory, ephemeral-storage and every extended resource, and pods ≤
//                         allocatable pods (only when every profile filters with
//                         NodeResourcesFit; resources a profile's NodeResourcesFit args ignore
//                         are exempt)
//  node-accounting        a node's running sums (requested, non-zero requests, host ports) equal
//                         the sums over the pods on its books; cluster totals equal the sums
//                         over nodes
//  pod-binding            a pod is on at most one node's books, at its recorded slot, only while
//                         live and not terminal; a bound pod has a node and spec.nodeName says
//                         so; a non-terminal pod with a node is on that node's books and the
//                         node exists; only bound pods leave Pending
//  pod-conservation       created = pending + running + succeeded + failed + deleted, from the
//                         store's counters, an independent tally of the API server's
//                         notifications and (at full checks) a recount
//  output-counts          each timeseries.csv row equals a recount at its sample time (the
//                         cumulative pods_succeeded / pods_failed: the notifications' tallies); the
//                         summary.csv row agrees with the store at the end
//  replicaset-pods        a ReplicaSet's active (not terminal, not deleted) pods ≤ spec.replicas when a pod is added
//                         (ksim has no rollouts; with them: ≤ replicas + maxSurge). Pods count by
//                         their controlling ownerReference: a bare Pod manifest that names a
//                         generated ReplicaSet as its owner would count too (a corner left open)
//  job-parallelism        a Job's active (not terminal, not Terminating) pods ≤ spec.parallelism
//                         (default 1) when a pod is added (upstream manageJob creates at most
//                         parallelism − active; a Terminating pod is replaced at once, as
//                         podReplacementPolicy TerminatingOrFailed does)
//  job-completions        a pod created for a Job with completions finds its Succeeded pods plus
//                         its active pods (the new one included) ≤ completions (upstream
//                         manageJob wants min(parallelism, completions − succeeded), counting
//                         pods that finished but are not yet in its status)
//  daemonset-pods         at most one active pod per (DaemonSet, node), for DaemonSets that exist
//                         as objects (src/controllers/daemonset.ts); with a rolling update's
//                         maxSurge, two of different revisions (controller-revision-hash), the
//                         old one and its replacement (upstream update.go: "one old, one new")
//  cronjob-concurrency    a Job created for a CronJob whose concurrencyPolicy is Forbid finds no
//                         other unfinished Job of that CronJob in the store (upstream
//                         cronjob_controllerv2.go skips the time while one is active)
//  placement-*            see placement-checks.ts: taints, node affinity, inter-pod (anti-)
//                         affinity and DoNotSchedule topology spread hold at every placement,
//                         judged against the cluster as the scheduler saw it when its cycle
//                         began (the decision window below); checks that read a node updated
//                         since (ClusterState.updateNode) are skipped for that placement; the
//                         start state's pods (a snapshot's) are not placements ksim made
//  plugin-score           every score a Score plugin hands the framework (after its
//                         NormalizeScore, the raw one without) is an integer in [0, 100], and a
//                         raw one before its NormalizeScore a safe integer, checked before the
//                         framework would turn a bad one into a cycle Error. A plugin of
//                         scheduler.pluginModules stops the run too, as a PluginFailure (the
//                         plugin's error, not ksim's)
//  plugin-verdict         every value a plugin of scheduler.pluginModules returns where a verdict
//                         belongs (any extension point) is null or a Status ({ status } for
//                         PreFilter, PostFilter, Permit), checked before it would become an Error
//                         status; it stops the run as a PluginFailure, as plugin-score does
//  plugin-error           no scheduling cycle ends in an Error returned by a plugin (PreFilter,
//                         Filter and its AddPod/RemovePod extensions, PreScore, Score,
//                         NormalizeScore). Not covered: a binding failed by the API (the pod or
//                         node went away meanwhile, an injected API failure), a node that
//                         disappeared during the cycle, PostFilter Errors (upstream only logs
//                         them; the pod stays unschedulable) and Reserve/Permit/PreBind/Bind
//                         failures, which the scheduler handles outside the algorithm
// These two hear the scheduling profiles through Framework.audit (attach `scheduling`).
//  pending-feasible       no pod stays pending while some node could take it for longer than
//                         upstream's queue allows (pendingFeasibleBoundUs: the 5 min a pod may
//                         sit in unschedulablePods when no event's queueing hint moves it, the
//                         30 s flush period, the longest backoff, one sample interval and 10 s
//                         of slack). Judged at each timeseries sample, by brute force
//                         (feasibility.ts), only while the pod waits in unschedulablePods or is
//                         not held by the queue at all: a pod in activeQ, backoffQ or its cycle is
//                         explained (a backlog, a failed binding), and so are pods nominated by a
//                         preemption, gated pods, pods with host ports, pods on profiles with
//                         Filter plugins or args the brute force cannot judge, and nodes a
//                         nominated pod may hold room on. A pod must be found feasible at every
//                         sample of its wait, counted from its last scheduling attempt; a pod
//                         not judged at a sample (see the per-sample budget) starts again.
//                         Needs `pending` (the scheduler's queue).
// PodDisruptionBudgets: see voluntaryEvictionAdmitted (a hook for the future eviction API).
//
// Cost: the time checks run after every event (O(1)). The state checks run every `every` events
// and are incremental: only the nodes and pods touched since the last check are re-verified
// (O(pods on touched nodes + touched pods)), plus O(1) counter checks. A full O(nodes + pods)
// check runs at every timeseries sample and at the end of the run (finish). Placement checks run
// on every placement, O(nodes + pods) for pods with inter-pod terms or spread constraints.
import type { SimEvent } from '../engine/event-queue.js';
import type { Simulation } from '../engine/simulation.js';
import { toSeconds, US_PER_S } from '../engine/time.js';
import type { ClusterIndex, ClusterState } from '../cluster/cluster-state.js';
import { portKey, type NodeInfo } from '../cluster/node-info.js';
import { availableFromUs, isPodReady, minReadyUsOf, type PodInfo, type PodPhase } from '../cluster/pod-info.js';
import { hasResourceColumns, Resource } from '../cluster/resources.js';
import { controllerRef, isKind, objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import type { Row } from '../metrics/collector.js';
import type { SchedulingAudit } from '../scheduler/framework/interfaces.js';
import type { QueuePlace } from '../scheduler/scheduling-queue.js';
import { PluginFailure } from '../scheduler/plugin-modules.js';
import { invalidScore } from '../scheduler/schedule-one.js';
import { completenessApplies, feasibleNode, JUDGED_FILTERS } from './feasibility.js';
import { fmt } from '../metrics/stats.js';
import { checkPlacement, hasRequiredAntiAffinity, type PlacementView } from './placement-checks.js';
import { InvariantViolation } from './violation.js';
import { jobFinished } from '../controllers/job.js';
import { allowsSurge, CONTROLLER_REVISION_HASH } from '../controllers/daemonset.js';

/** What the checker needs to know about one scheduling profile. */
export interface ProfileFacts {
  readonly schedulerName: string;
  /** Names of the profile's Filter plugins. */
  readonly filters: ReadonlySet<string>;
  /** The profile's raw pluginConfig args by plugin name. */
  readonly pluginArgs: ReadonlyMap<string, unknown>;
}

export interface InvariantCheckerOptions {
  /** Check the state every N events (1: after every event). Default 1. */
  readonly every?: number;
  /** The scheduler's profiles. Without them every placement check applies to every pod and
   * node-capacity is always checked. */
  readonly profiles?: readonly ProfileFacts[];
  /** The run's timeseries rows (MetricsCollector.timeseries), checked as they are sampled. */
  readonly timeseries?: readonly Row[];
  /** The scheduling queue, for the pending-feasible invariant (off without it): where a pod is
   * (Scheduler.queuePlace) and the longest a pod may stay pending while feasible (µs,
   * pendingFeasibleBoundUs). */
  readonly pending?: { readonly place: (p: PodInfo) => QueuePlace | null; readonly attempts?: (p: PodInfo) => number; readonly boundUs: number };
  /** Plugins loaded from plugin modules (scheduler.pluginModules): their Errors are their
   * authors' bugs, recorded as error rows, not ksim's (plugin-error does not hold them); their
   * bad scores stop the run as a PluginFailure, not an InvariantViolation. */
  readonly userModulePlugins?: ReadonlySet<string>;
  /** The names of the scenario's own nodes (pools, joining pools, the cluster snapshot): the
   * extended resources they offer have timeseries.csv columns. A node a ksim-events trace adds
   * mid-run is not among them: its resources get no column (the file's header is written before
   * the run), as the README says. Without it every node's resources must have one. */
  readonly scenarioNodes?: ReadonlySet<string>;
  /** True when a live pod's missing node is being handled: a run passes ClusterState.isOrphan
   * (the pod was on a node the API server deleted, and the pod garbage collector has not deleted
   * it yet: podgc.ts gcOrphaned, 40-60 s after the node's deletion). */
  readonly nodeLossHandled?: (p: PodInfo, nodeName: string) => boolean;
}

/** Event kinds the checker recognises (opaque to the engine; named by their components). */
const SCHEDULER_CYCLE_START = 'scheduler.next'; // src/scheduler/scheduler.ts: the algorithm runs here
const METRICS_SAMPLE = 'metrics.sample'; // src/metrics/collector.ts: a timeseries row is taken

const PHASES: readonly PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed'];

/** Upstream's period of flushUnschedulablePodsLeftover (scheduling_queue.go). */
const UNSCHEDULABLE_FLUSH_PERIOD_US = 30 * US_PER_S;
/** Slack of the pending-feasible bound: scheduling cycles and binding after the last backoff. */
const PENDING_SLACK_US = 10 * US_PER_S;
/** Node trials (one pod against one node) the pending-feasible check may spend per sample. */
const PENDING_TRIALS_PER_SAMPLE = 50_000;

/** The longest a pod may stay pending while a node could take it: it may wait in
 * unschedulablePods until the leftover flush finds it older than maxInUnschedulableUs (when no
 * event's queueing hint moves it earlier), then out its backoff; plus one sample interval (it may
 * have been tried, and failed, just after a sample found it feasible) and some slack. */
export function pendingFeasibleBoundUs(queue: { readonly maxInUnschedulableUs: number; readonly maxBackoffUs: number }, sampleIntervalUs: number): number {
  return queue.maxInUnschedulableUs + UNSCHEDULABLE_FLUSH_PERIOD_US + queue.maxBackoffUs + sampleIntervalUs + PENDING_SLACK_US;
}

export class InvariantChecker implements ClusterIndex {
  readonly every: number;
  /** Number of state checks run (incremental and full). */
  checks = 0;
  /** Number of placements checked. */
  placementsChecked = 0;

  private readonly filtersByProfile: ReadonlyMap<string, ReadonlySet<string>> | null;
  private readonly capacityChecked: boolean;
  private readonly ignoredScalars: ReadonlySet<string>;
  private readonly ignoredGroups: ReadonlySet<string>;
  private readonly timeseries: readonly Row[] | null;
  private readonly nodeLossHandled: (p: PodInfo, nodeName: string) => boolean;

  private readonly pending: InvariantCheckerOptions['pending'] | null;
  private readonly userModulePlugins: ReadonlySet<string>;
  private readonly scenarioNodes: ReadonlySet<string> | null;
  /** Profiles whose pods the pending-feasible check judges (see JUDGED_FILTERS). */
  private readonly judgedProfiles: ReadonlySet<string>;
  /** Pending pods found feasible at every sample since the time given. */
  private readonly feasibleSince = new Map<PodInfo, { readonly sinceUs: number; readonly node: string; readonly attempts: number }>();
  /** Pending-feasible checks run (pods judged by brute force, cached verdicts included). */
  pendingJudged = 0;

  private current: SimEvent | null = null;
  private lastTime = -1;
  private lastSeq = -1;
  private sinceCheck = 0;
  private registering = false;
  private readonly touchedNodes = new Set<NodeInfo>();
  private readonly touchedPods = new Set<PodInfo>();

  // Independent tallies from the API server's notifications (only once the watcher is attached).
  private watching = false;
  private created = 0;
  private deleted = 0;
  private deletedBound = 0;
  /** Pods without an owner deleted before they were bound (summary.csv's pods_deleted_unbound). */
  private deletedUnboundBare = 0;
  private boundEver = 0;
  private readonly phases: Record<PodPhase, number> = { Pending: 0, Running: 0, Succeeded: 0, Failed: 0 };
  /** Pods that ever reached Succeeded / Failed (timeseries.csv's cumulative counters). */
  private everSucceeded = 0;
  private everFailed = 0;

  /** Active pods per ReplicaSet ("ns/name"). */
  private readonly rsActive = new Map<string, number>();
  /** Active pods per Job (namespace/name), by the API server's notifications. */
  private readonly jobActive = new Map<string, number>();
  /** Pods of each Job (namespace/name) that ever Succeeded; dropped with the Job. */
  private readonly jobSucceeded = new Map<string, number>();
  /** Placed pods per (DaemonSet, node). */
  private readonly dsPlaced = new Map<string, Set<PodInfo>>();
  /** Placed pods with required anti-affinity terms. */
  private readonly antiPods = new Map<PodInfo, NodeInfo>();

  // The decision window: changes since the scheduler's current cycle started, to reconstruct the
  // state it decided on (the pod is assumed only when its cycle ends, simulated time later; pods
  // may complete or be deleted and nodes join or change meanwhile). It relies on the scheduler
  // running one cycle at a time, computed inside a scheduler.next event, with no other
  // scheduler.next event before that cycle's scheduler.cycle-end (Scheduler.kick: one pending
  // kick, none while busy); run.test.ts checks those event kinds still exist.
  private windowOpen = false;
  private readonly windowPods = new Map<PodInfo, { readonly node: NodeInfo; delta: number }>();
  private readonly windowNodes = new Map<NodeInfo, number>();
  private windowNamespaces = false;
  private readonly windowUpdatedNodes = new Set<NodeInfo>();

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    opts: InvariantCheckerOptions = {},
  ) {
    const every = opts.every ?? 1;
    if (!Number.isSafeInteger(every) || every < 1) throw new RangeError(`InvariantChecker: every must be a positive integer, got ${String(every)}`);
    this.every = every;
    this.timeseries = opts.timeseries ?? null;
    this.nodeLossHandled = opts.nodeLossHandled ?? (() => false);
    const profiles = opts.profiles;
    this.pending = profiles === undefined ? null : opts.pending ?? null;
    this.userModulePlugins = opts.userModulePlugins ?? new Set();
    this.scenarioNodes = opts.scenarioNodes ?? null;
    this.judgedProfiles = new Set((profiles ?? []).filter(judgedProfile).map((p) => p.schedulerName));
    if (profiles === undefined) {
      this.filtersByProfile = null;
      this.capacityChecked = true;
      this.ignoredScalars = new Set();
      this.ignoredGroups = new Set();
    } else {
      this.filtersByProfile = new Map(profiles.map((p) => [p.schedulerName, p.filters]));
      this.capacityChecked = profiles.every((p) => p.filters.has('NodeResourcesFit'));
      const names = new Set<string>();
      const groups = new Set<string>();
      for (const p of profiles) {
        const args = p.pluginArgs.get('NodeResourcesFit') as { ignoredResources?: unknown; ignoredResourceGroups?: unknown } | null | undefined;
        for (const n of stringsOf(args?.ignoredResources)) names.add(n);
        for (const g of stringsOf(args?.ignoredResourceGroups)) groups.add(g);
      }
      this.ignoredScalars = names;
      this.ignoredGroups = groups;
    }
    this.registering = true;
    try {
      cluster.addIndex(this);
    } finally {
      this.registering = false;
    }
  }

  /** True while the start state is committed (duringStartState). */
  private startingUp = false;
  /** DaemonSet pods of the start state. */
  private readonly startPods = new WeakSet<PodInfo>();

  /** Runs `commit`, which puts the start state's pods on their nodes (ApiServer.commitStartState).
   * Those placements are not checked: the real cluster made them, maybe before a taint or label
   * that NoSchedule rules and required affinity ignore for running pods (`kubectl taint`, a
   * NotReady node's taints). The state invariants still hold for them. */
  duringStartState<T>(commit: () => T): T {
    this.startingUp = true;
    try {
      return commit();
    } finally {
      this.startingUp = false;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Engine hooks

  /** SimulationOptions.onEvent: remembers the event whose action is about to run. */
  beforeEvent(ev: SimEvent): void {
    this.current = ev;
  }

  /** SimulationOptions.afterEvent. */
  afterEvent(ev: SimEvent): void {
    this.current = ev;
    if (ev.time < this.lastTime || (ev.time === this.lastTime && ev.seq <= this.lastSeq)) {
      this.fail('time-monotonic', `event ${eventLabel(ev)} at ${ev.time} µs ran after an event at ${this.lastTime} µs #${this.lastSeq}`);
    }
    if (this.sim.now !== ev.time) this.fail('time-monotonic', `the clock reads ${this.sim.now} µs after event ${eventLabel(ev)} at ${ev.time} µs`);
    this.lastTime = ev.time;
    this.lastSeq = ev.seq;
    const next = this.sim.nextEventTime();
    if (next !== undefined && next < ev.time) this.fail('event-in-past', `an event is queued at ${next} µs, before the clock (${ev.time} µs)`);

    if (ev.kind === SCHEDULER_CYCLE_START) this.openWindow();
    if (ev.kind === METRICS_SAMPLE && this.timeseries !== null) {
      this.checkAll();
      this.checkTimeseriesRow();
    } else if (++this.sinceCheck >= this.every) {
      this.checkIncremental();
    }
    // At every sample, the timeseries kept in memory or streamed.
    if (ev.kind === METRICS_SAMPLE) this.checkPendingFeasible();
    this.current = null;
  }

  // -------------------------------------------------------------------------------------------
  // ClusterIndex (ClusterState calls these on every change of a node's books)

  nodeAdded(n: NodeInfo): void {
    this.touchedNodes.add(n);
    if (this.windowOpen && !this.registering) this.windowNodes.set(n, (this.windowNodes.get(n) ?? 0) + 1);
  }

  nodeRemoved(n: NodeInfo): void {
    this.touchedNodes.delete(n);
    if (n.pods.length > 0) this.fail('pod-binding', `node ${n.name} was removed with ${n.pods.length} pod(s) on its books`);
    if (this.windowOpen) this.windowNodes.set(n, (this.windowNodes.get(n) ?? 0) - 1);
  }

  /** A node's labels, taints, unschedulable flag or readiness changed (its pods stay). */
  nodeUpdated(n: NodeInfo): void {
    this.touchedNodes.add(n);
    if (this.windowOpen) this.windowUpdatedNodes.add(n);
  }

  podPlaced(p: PodInfo, n: NodeInfo): void {
    this.touchedNodes.add(n);
    this.touchedPods.add(p);
    if (!this.registering && !this.startingUp) {
      this.placementsChecked++;
      const f = checkPlacement(this.cluster, p, n, this.view(p), this.filtersFor(p));
      if (f !== null) this.fail(f.invariant, f.detail);
    }
    if (hasRequiredAntiAffinity(p)) this.antiPods.set(p, n);
    if (p.ownerKind === 'DaemonSet') this.daemonSetPlaced(p, n);
    if (this.windowOpen && !this.registering) this.windowDelta(p, n, 1);
  }

  podRemoved(p: PodInfo, n: NodeInfo): void {
    this.touchedNodes.add(n);
    this.touchedPods.add(p);
    this.antiPods.delete(p);
    if (p.ownerKind === 'DaemonSet') this.dsPlaced.get(dsKey(p, n.name))?.delete(p);
    if (this.windowOpen) this.windowDelta(p, n, -1);
  }

  // -------------------------------------------------------------------------------------------
  // ClusterWatcher (the API server's notifications): independent tallies and owner counts

  /** Pods of the start state that were bound when added (ApiServer.commitStartState). */
  private boundAtStart = 0;
  /** The start state has been committed: a pod added bound from now on was created bound (a
   * DaemonSet pod whose template names its node) and has its podBound too. */
  private started = false;
  /** Pods created bound (not by the scheduler: summary pods_bound leaves them out). */
  private boundAtCreate = 0;
  /** Pods added with a deletionTimestamp (a snapshot's), until their podTerminating. */
  private readonly addedTerminating = new Set<PodInfo>();

  readonly watcher: ClusterWatcher = {
    podAdded: (p) => {
      this.watching = true;
      this.created++;
      if (p.bound && !this.started) this.boundAtStart++; // a pod of the start state, bound without a binding
      else if (p.bound) this.boundAtCreate++;
      this.phases[p.phase]++;
      this.touchedPods.add(p);
      if (isActive(p)) this.ownerChange(p, 1);
      else if (p.terminating && !p.terminal) this.addedTerminating.add(p); // a snapshot's pod being deleted
      if (p.ownerKind === 'Job') this.checkJobCompletions(p);
    },
    startStateCommitted: () => {
      this.started = true;
    },
    podBound: (p) => {
      this.boundEver++;
      this.touchedPods.add(p);
    },
    podPhaseChanged: (p, from) => {
      this.phases[from]--;
      this.phases[p.phase]++;
      if (p.phase === 'Succeeded') {
        this.everSucceeded++;
        if (p.ownerKind === 'Job') this.jobSucceeded.set(rsKey(p), (this.jobSucceeded.get(rsKey(p)) ?? 0) + 1);
      }
      else if (p.phase === 'Failed') this.everFailed++;
      this.touchedPods.add(p);
      const wasActive = from !== 'Succeeded' && from !== 'Failed' && !p.terminating;
      if (wasActive && !isActive(p)) this.ownerChange(p, -1);
      else if (!wasActive && isActive(p)) this.ownerChange(p, 1);
    },
    // A pod that starts Terminating stops being active (its ReplicaSet may replace it).
    podTerminating: (p) => {
      this.touchedPods.add(p);
      // A pod that was Terminating when added was never counted active.
      if (!p.terminal && !this.addedTerminating.delete(p)) this.ownerChange(p, -1);
    },
    podDeleted: (p) => {
      this.deleted++;
      if (p.bound) this.deletedBound++;
      else if (p.ownerKind === '') this.deletedUnboundBare++;
      this.phases[p.phase]--;
      this.touchedPods.add(p);
      if (!p.terminal && p.deletionUs < 0) this.ownerChange(p, -1);
      // A pod running on a node leaves only after Terminating (its kubelet confirms): otherwise a
      // StatefulSet could start a second pod of an identity whose first may still run.
      if (p.bound && !p.terminal && p.deletionUs < 0) this.fail('graceful-deletion', `pod ${p.key} on node ${p.nodeName ?? ''} was removed without being Terminating first`);
    },
    objectAdded: (o) => {
      if (o.kind === 'Namespace' && this.windowOpen) this.windowNamespaces = true;
      if (o.kind === 'Job') this.checkCronJobConcurrency(o);
    },
    objectDeleted: (o) => {
      if (o.kind === 'Job') this.jobSucceeded.delete(`${o.metadata.namespace}/${o.metadata.name}`);
    },
  };

  /** cronjob-concurrency: a new Job of a Forbid CronJob is its only unfinished one. */
  private checkCronJobConcurrency(job: WorkloadObject): void {
    const ref = controllerRef(job);
    if (ref === null || ref.kind !== 'CronJob') return;
    const ns = job.metadata.namespace;
    const cj = this.cluster.objects.get(objectKey('CronJob', ns, ref.name));
    if ((cj?.spec as { concurrencyPolicy?: string } | undefined)?.concurrencyPolicy !== 'Forbid') return;
    for (const o of this.cluster.objects.values()) {
      if (o === job || o.kind !== 'Job' || o.metadata.namespace !== ns || jobFinished(o) !== null) continue;
      const r = controllerRef(o);
      if (r !== null && r.kind === 'CronJob' && r.name === ref.name) {
        this.fail('cronjob-concurrency', `CronJob ${ns}/${ref.name} (concurrencyPolicy Forbid) created Job ${job.metadata.name} while its Job ${o.metadata.name} is still active`);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // SchedulingAudit (every profile's Framework.audit): what plugins return in a cycle

  readonly scheduling: SchedulingAudit = {
    scores: (plugin, pod, nodes, scores, raw) => {
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i] as number;
        if (raw ? Number.isSafeInteger(s) : s >= 0 && s <= 100 && Number.isInteger(s)) continue;
        const node = (nodes[i] as NodeInfo).name;
        // A plugin module's bad score is its author's to fix, not a ksim bug: the run stops as
        // the plugin's error (exit 1, no bug report asked for), with the framework's message.
        if (this.userModulePlugins.has(plugin)) {
          throw new PluginFailure(`${invalidScore(plugin, s, raw).message} (pod ${pod.key}, node ${node}; --check-invariants: plugin-score)`);
        }
        this.fail(
          'plugin-score',
          raw
            ? `plugin ${plugin} scored node ${node} ${s} for pod ${pod.key} before its NormalizeScore; a Score is an integer (int64 upstream)`
            : `plugin ${plugin} scored node ${node} ${s} for pod ${pod.key}; a score after NormalizeScore is an integer in [0, 100]`,
        );
      }
    },
    notANumber: (plugin, pod, node, message) => {
      if (this.userModulePlugins.has(plugin)) throw new PluginFailure(`${message} (pod ${pod.key}, node ${node.name}; --check-invariants: plugin-score)`);
      this.fail('plugin-score', `plugin ${plugin} scored node ${node.name} for pod ${pod.key} with a value that is not a number: ${message}`);
    },
    pluginError: (plugin, pod, message) => {
      // A plugin module's Error (scheduler.pluginModules) is its author's to fix, not ksim's:
      // placements.csv records it as an error row.
      if (this.userModulePlugins.has(plugin)) return;
      this.fail('plugin-error', `scheduling pod ${pod.key} ended in an Error from plugin ${plugin === '' ? '(unnamed)' : plugin}: ${message}`);
    },
    badVerdict: (plugin, pod, node, message) => {
      // Unlike an Error Status it returns on purpose, a value that is no verdict is the plugin
      // module's mistake, as a bad score is: the run stops as the plugin's error (exit 1).
      const where = [pod === null ? '' : `pod ${pod.key}`, node === null ? '' : `node ${node}`].filter((w) => w !== '').join(', ');
      if (this.userModulePlugins.has(plugin)) throw new PluginFailure(`${message} (${where === '' ? '' : `${where}; `}--check-invariants: plugin-verdict)`);
      this.fail('plugin-verdict', `${message}${where === '' ? '' : ` (${where})`}`);
    },
  };

  // -------------------------------------------------------------------------------------------
  // Checks

  /** Checks what changed since the last check, and the counters. */
  checkIncremental(): void {
    this.checks++;
    this.sinceCheck = 0;
    for (const n of this.touchedNodes) {
      if (this.cluster.nodeByName.get(n.name) === n) this.checkNode(n);
    }
    this.touchedNodes.clear();
    for (const p of this.touchedPods) this.checkPod(p);
    this.touchedPods.clear();
    this.checkCounters();
  }

  /** Checks everything: every node, every pod, totals, recounts. O(nodes + pods). */
  checkAll(): void {
    this.checks++;
    this.sinceCheck = 0;
    const c = this.cluster;
    const alloc = new Resource();
    const req = new Resource();
    let placed = 0;
    for (let i = 0; i < c.nodes.length; i++) {
      const n = c.nodes[i] as NodeInfo;
      if (n.index !== i || c.nodeByName.get(n.name) !== n) this.fail('node-accounting', `node ${n.name} is at position ${i} of the node list but has index ${n.index}${c.nodeByName.get(n.name) !== n ? ' and is not the node of its name' : ''}`);
      this.checkNode(n);
      alloc.add(n.allocatable);
      req.add(n.requested);
      placed += n.pods.length;
    }
    if (c.nodeByName.size !== c.nodes.length) this.fail('node-accounting', `${c.nodeByName.size} node names for ${c.nodes.length} nodes`);
    const d1 = resourceDiff(c.totalAllocatable, alloc);
    if (d1 !== null) this.fail('node-accounting', `cluster allocatable total ${d1} (total vs sum over nodes)`);
    const d2 = resourceDiff(c.totalRequested, req);
    if (d2 !== null) this.fail('node-accounting', `cluster requested total ${d2} (total vs sum over nodes)`);
    this.touchedNodes.clear();

    const counts: Record<PodPhase, number> = { Pending: 0, Running: 0, Succeeded: 0, Failed: 0 };
    const rs = new Map<string, number>();
    const jobs = new Map<string, number>();
    let onBooks = 0;
    for (const [key, p] of c.pods) {
      if (p.key !== key) this.fail('pod-conservation', `pod ${p.key} is stored under the key ${key}`);
      this.checkPod(p);
      counts[p.phase]++;
      if (p.onBooks) onBooks++;
      if (p.ownerKind === 'ReplicaSet' && isActive(p)) rs.set(rsKey(p), (rs.get(rsKey(p)) ?? 0) + 1);
      if (p.ownerKind === 'Job' && isActive(p)) jobs.set(rsKey(p), (jobs.get(rsKey(p)) ?? 0) + 1);
    }
    this.touchedPods.clear();
    if (onBooks !== placed) this.fail('pod-binding', `${placed} pod(s) on nodes' books but ${onBooks} live pod(s) with a node slot`);
    for (const ph of PHASES) {
      if (counts[ph] !== c.phaseCounts[ph]) this.fail('pod-conservation', `${counts[ph]} live pod(s) are ${ph} but the store counts ${c.phaseCounts[ph]}`);
    }
    if (this.watching) {
      for (const [key, n] of this.rsActive) {
        if ((rs.get(key) ?? 0) !== n) this.fail('replicaset-pods', `ReplicaSet ${key} has ${rs.get(key) ?? 0} active pod(s) in the store but ${n} by the API server's notifications`);
      }
      for (const [key, n] of rs) {
        if (!this.rsActive.has(key)) this.fail('replicaset-pods', `ReplicaSet ${key} has ${n} active pod(s) in the store but none by the API server's notifications`);
      }
      for (const [key, n] of this.jobActive) {
        if ((jobs.get(key) ?? 0) !== n) this.fail('job-parallelism', `Job ${key} has ${jobs.get(key) ?? 0} active pod(s) in the store but ${n} by the API server's notifications`);
      }
      for (const [key, n] of jobs) {
        if (!this.jobActive.has(key)) this.fail('job-parallelism', `Job ${key} has ${n} active pod(s) in the store but none by the API server's notifications`);
      }
    }
    // The ReplicaSet and Job bounds are checked when pods are added (ownerChange): a scale-down lowers
    // spec.replicas before its deletes commit, so a recount here could land in that window.
    for (const [key, set] of this.dsPlaced) if (set.size > 1) this.checkDaemonSet(key, set);
    this.checkCounters();
  }

  /** The end of the run: a full check, and the summary row against the store. */
  finish(summary?: Row): void {
    this.current = null;
    this.checkAll();
    // The run's last timeseries row is the end's (MetricsCollector.finish), taken after the
    // last event: checked against the store as it is now.
    if (this.timeseries !== null) this.checkTimeseriesRow();
    if (summary === undefined) return;
    const c = this.cluster;
    let unbound = 0;
    let liveBound = 0;
    for (const p of c.pods.values()) {
      if (p.bound) liveBound++;
      else unbound++;
    }
    const same = (col: string, want: number) => {
      if (summary[col] !== want) this.fail('output-counts', `summary.csv ${col} is ${String(summary[col])} but the store gives ${want}`);
    };
    same('pods_submitted', c.podsCreated);
    same('pods_unbound_end', unbound);
    if (this.watching) same('pods_bound', liveBound + this.deletedBound - this.boundAtStart - this.boundAtCreate);
    if (this.watching) same('pods_deleted_unbound', this.deletedUnboundBare);
    same('events', this.sim.eventsProcessed);
    const stored = c.podsCreated + c.podsAtStart;
    if (stored !== unbound + liveBound + c.podsDeleted) {
      this.fail('pod-conservation', `${createdText(c)} but ${unbound} pending + ${liveBound} bound + ${c.podsDeleted} deleted = ${unbound + liveBound + c.podsDeleted}`);
    }
    if (this.watching && this.boundEver + this.boundAtStart !== liveBound + this.deletedBound) {
      this.fail('pod-conservation', `${this.boundEver} bindings committed and ${this.boundAtStart} pod(s) bound at the start but ${liveBound} live bound pod(s) + ${this.deletedBound} deleted bound pod(s) = ${liveBound + this.deletedBound}`);
    }
  }

  /**
   * Hook for the eviction API (ksim has none yet; preemption is not a voluntary eviction and may
   * break PDBs, as upstream's does). When the eviction subresource lands, call this when it admits
   * an eviction of `pod`, and make it verify, for every PodDisruptionBudget selecting the pod, that
   * disruptionsAllowed was > 0 before the eviction (invariant "pdb-eviction"). Deliberately empty:
   * there is nothing to check until evictions exist.
   */
  voluntaryEvictionAdmitted(_pod: PodInfo): void {}

  // -------------------------------------------------------------------------------------------

  private checkCounters(): void {
    const c = this.cluster;
    const pc = c.phaseCounts;
    let live = 0;
    for (const ph of PHASES) {
      if (pc[ph] < 0) this.fail('pod-conservation', `the store counts ${pc[ph]} ${ph} pods`);
      live += pc[ph];
    }
    if (live !== c.pods.size) this.fail('pod-conservation', `pending ${pc.Pending} + running ${pc.Running} + succeeded ${pc.Succeeded} + failed ${pc.Failed} = ${live}, but ${c.pods.size} live pods are stored`);
    if (c.podsCreated + c.podsAtStart !== live + c.podsDeleted) {
      this.fail('pod-conservation', `${createdText(c)} but pending ${pc.Pending} + running ${pc.Running} + succeeded ${pc.Succeeded} + failed ${pc.Failed} + deleted ${c.podsDeleted} = ${live + c.podsDeleted}`);
    }
    if (!this.watching) return;
    if (this.created !== c.podsCreated + c.podsAtStart) this.fail('pod-conservation', `the API server announced ${this.created} pod creations but the store counts ${c.podsCreated + c.podsAtStart}`);
    if (this.deleted !== c.podsDeleted) this.fail('pod-conservation', `the API server announced ${this.deleted} pod deletions but the store counts ${c.podsDeleted}`);
    if (this.everSucceeded !== c.podsSucceededTotal || this.everFailed !== c.podsFailedTotal) {
      this.fail('pod-conservation', `the API server announced ${this.everSucceeded} / ${this.everFailed} pods ending Succeeded / Failed but the store counts ${c.podsSucceededTotal} / ${c.podsFailedTotal}`);
    }
    for (const ph of PHASES) {
      if (this.phases[ph] !== pc[ph]) this.fail('pod-conservation', `the API server's notifications give ${this.phases[ph]} ${ph} pods but the store counts ${pc[ph]}`);
    }
  }

  private checkNode(n: NodeInfo): void {
    const c = this.cluster;
    const sum = new Resource();
    let nzCpu = 0;
    let nzMem = 0;
    let ports: Map<string, number> | null = null;
    const listed = new Set<PodInfo>();
    for (let i = 0; i < n.pods.length; i++) {
      const p = n.pods[i] as PodInfo;
      if (p.nodeName !== n.name) this.fail('pod-binding', `pod ${p.key} is on node ${n.name}'s books but its node is ${String(p.nodeName)}`);
      if (listed.has(p)) this.fail('pod-binding', `pod ${p.key} is listed twice on node ${n.name}'s books`);
      listed.add(p);
      if (!p.onBooks) this.fail('pod-binding', `pod ${p.key} is on node ${n.name}'s books but records that it is not`);
      if (p.deleted || c.pods.get(p.key) !== p) this.fail('pod-binding', `pod ${p.key} is on node ${n.name}'s books but is ${p.deleted ? 'deleted' : 'not in the store'}`);
      if (p.terminal) this.fail('pod-binding', `pod ${p.key} is ${p.phase} but still on node ${n.name}'s books`);
      sum.add(p.requests);
      nzCpu += p.nonZeroMilliCpu;
      nzMem += p.nonZeroMemory;
      for (const hp of p.hostPorts) {
        const k = portKey(hp);
        (ports ??= new Map()).set(k, (ports.get(k) ?? 0) + 1);
      }
    }
    const d = resourceDiff(n.requested, sum);
    if (d !== null) this.fail('node-accounting', `node ${n.name} requested ${d} (recorded vs sum over its ${n.pods.length} pod(s))`);
    // The copies the filters read (NodeInfo.podCount, reqMilliCpu, ...) equal the books.
    const a = n.allocatable;
    const r = n.requested;
    if (n.podCount !== n.pods.length || n.reqMilliCpu !== r.milliCpu || n.reqMemory !== r.memory || n.reqEphemeral !== r.ephemeralStorage) {
      this.fail('node-accounting', `node ${n.name} copies of its books (pods ${n.podCount}, cpu ${n.reqMilliCpu}m, memory ${n.reqMemory}, ephemeral-storage ${n.reqEphemeral}) differ from them (pods ${n.pods.length}, cpu ${r.milliCpu}m, memory ${r.memory}, ephemeral-storage ${r.ephemeralStorage})`);
    }
    if (n.allowedPods !== a.allowedPodNumber || n.allocMilliCpu !== a.milliCpu || n.allocMemory !== a.memory || n.allocEphemeral !== a.ephemeralStorage) {
      this.fail('node-accounting', `node ${n.name} copies of its allocatable differ from it`);
    }
    if (n.nonZeroMilliCpu !== nzCpu || n.nonZeroMemory !== nzMem) {
      this.fail('node-accounting', `node ${n.name} non-zero requests cpu ${n.nonZeroMilliCpu}m memory ${n.nonZeroMemory} but its pods sum to cpu ${nzCpu}m memory ${nzMem}`);
    }
    const want = ports ?? new Map<string, number>();
    let portsOk = want.size === n.usedPorts.size;
    if (portsOk) for (const [k, v] of want) if (n.usedPorts.get(k) !== v) portsOk = false;
    if (!portsOk) this.fail('node-accounting', `node ${n.name} host ports ${JSON.stringify([...n.usedPorts])} but its pods hold ${JSON.stringify([...want])}`);
    if (this.capacityChecked) this.checkCapacity(n, sum);
  }

  private checkCapacity(n: NodeInfo, sum: Resource): void {
    const a = n.allocatable;
    const over: string[] = [];
    if (n.pods.length > a.allowedPodNumber) over.push(`pods ${n.pods.length} > ${a.allowedPodNumber}`);
    if (sum.milliCpu > a.milliCpu) over.push(`cpu ${sum.milliCpu}m > ${a.milliCpu}m`);
    if (sum.memory > a.memory) over.push(`memory ${sum.memory} > ${a.memory}`);
    if (sum.ephemeralStorage > a.ephemeralStorage) over.push(`ephemeral-storage ${sum.ephemeralStorage} > ${a.ephemeralStorage}`);
    for (const r of sum.scalarNames()) {
      if (this.ignoredScalars.has(r) || this.ignoredGroups.has(r.split('/')[0] as string)) continue;
      if (sum.getScalar(r) > a.getScalar(r)) over.push(`${r} ${sum.getScalar(r)} > ${a.getScalar(r)}`);
    }
    if (over.length > 0) {
      this.fail('node-capacity', `node ${n.name} has ${over.join(', ')} allocatable; its pods: ${n.pods.map((p) => p.key).join(', ')}`);
    }
  }

  private checkPod(p: PodInfo): void {
    const c = this.cluster;
    if (p.deleted) {
      if (c.pods.get(p.key) === p) this.fail('pod-conservation', `pod ${p.key} is deleted but still stored`);
      if (p.onBooks) this.fail('pod-binding', `pod ${p.key} is deleted but still on node ${String(p.nodeName)}'s books`);
      return;
    }
    if (c.pods.get(p.key) !== p) this.fail('pod-conservation', `pod ${p.key} is live but not in the store`);
    if (p.nodeName === null) {
      if (p.bound) this.fail('pod-binding', `pod ${p.key} is bound but has no node`);
      if (p.onBooks) this.fail('pod-binding', `pod ${p.key} has no node but records that it is on a node's books`);
      if (p.phase !== 'Pending') this.fail('pod-binding', `pod ${p.key} is ${p.phase} but was never placed`);
      return;
    }
    if (p.bound && p.pod.spec?.nodeName !== p.nodeName) this.fail('pod-binding', `pod ${p.key} is bound to ${p.nodeName} but spec.nodeName is ${String(p.pod.spec?.nodeName)}`);
    if (!p.bound && p.phase !== 'Pending') this.fail('pod-binding', `pod ${p.key} is ${p.phase} but not bound`);
    if (p.terminal) {
      if (p.onBooks) this.fail('pod-binding', `pod ${p.key} is ${p.phase} but still on node ${p.nodeName}'s books`);
      return;
    }
    const n = c.nodeByName.get(p.nodeName);
    if (n === undefined) {
      if (!this.nodeLossHandled(p, p.nodeName)) this.fail('pod-binding', `pod ${p.key} is ${p.bound ? 'bound' : 'assumed'} to node ${p.nodeName}, which does not exist`);
      return;
    }
    // Created bound to a node it did not fit (ApiServer.createPod): off the books, Pending, until
    // its kubelet refuses it (Failed) or admits it.
    if (p.bound && p.phase === 'Pending' && c.isOrphan(p)) return;
    if (!p.onBooks || !n.pods.includes(p)) this.fail('pod-binding', `pod ${p.key} is ${p.bound ? 'bound' : 'assumed'} to node ${p.nodeName} but is not on its books`);
  }

  /** The pending-feasible invariant (see the header), at a timeseries sample. */
  private checkPendingFeasible(): void {
    const pending = this.pending;
    if (pending === null || pending === undefined) return;
    const now = this.sim.now;
    // Nodes a nominated pod may be holding room on are not offered to anyone here.
    const nominated = new Set<string>();
    const candidates: PodInfo[] = [];
    for (const p of this.cluster.pods.values()) {
      if (p.nodeName !== null || p.bound || p.deleted || p.terminal) continue;
      if (p.nominatedNodeName !== null) nominated.add(p.nominatedNodeName);
      const nn = p.pod.status?.nominatedNodeName ?? '';
      if (nn !== '') nominated.add(nn);
      if (!this.judgedProfiles.has(p.schedulerName) || !completenessApplies(p)) continue;
      const place = pending.place(p);
      // In activeQ, backoffQ or its cycle: about to be tried (a backlog, a failed binding).
      if (place !== null && place !== 'unschedulable') continue;
      candidates.push(p);
    }
    // Pods already waiting first (their wait goes on only if judged at every sample), then the
    // rest in the store's order, within the sample's budget of node trials.
    const first = candidates.filter((p) => this.feasibleSince.has(p));
    const rest = candidates.filter((p) => !this.feasibleSince.has(p));
    const verdicts = new Map<string, NodeInfo | null>();
    const judged = new Set<PodInfo>();
    let trials = 0;
    for (const p of [...first, ...rest]) {
      const key = templateKey(p);
      let n = key === null ? undefined : verdicts.get(key);
      if (n === undefined) {
        if (trials + this.cluster.nodes.length > PENDING_TRIALS_PER_SAMPLE) break;
        trials += this.cluster.nodes.length;
        n = feasibleNode(this.cluster, p, this.filtersFor(p), nominated);
        if (key !== null) verdicts.set(key, n);
      }
      this.pendingJudged++;
      if (n === null) continue;
      judged.add(p);
      // The wait is counted from the pod's last scheduling attempt: one that found no room (a
      // pod ahead of it took the node between two samples) legitimately sends it back to wait
      // for an event or the next flush.
      const attempts = pending.attempts?.(p) ?? 0;
      const prev = this.feasibleSince.get(p);
      const f = prev !== undefined && prev.attempts === attempts ? prev : { sinceUs: now, node: n.name, attempts };
      this.feasibleSince.set(p, f);
      if (now - f.sinceUs > pending.boundUs) {
        this.fail(
          'pending-feasible',
          `pod ${p.key} is pending (${pending.place(p) ?? 'not held by the scheduling queue'}) although node ${n.name} could take it at every sample since ${fmt(toSeconds(f.sinceUs), 6)} s (then ${f.node}); a pod may wait at most ${fmt(toSeconds(pending.boundUs), 6)} s so`,
        );
      }
    }
    for (const p of [...this.feasibleSince.keys()]) if (!judged.has(p)) this.feasibleSince.delete(p);
  }

  /** Whether Ready pod `p` has been Ready for its owner's minReadySeconds (upstream
   * podutil.IsPodAvailable): a Deployment's pods with the Deployment's (its ReplicaSet's own
   * when the Deployment is gone), a StatefulSet's, a lone ReplicaSet's or a DaemonSet's with
   * theirs; read afresh from the objects, not from the AvailabilityTracker. */
  private readyLongEnough(p: PodInfo): boolean {
    if (p.ownerKind !== 'ReplicaSet' && p.ownerKind !== 'StatefulSet' && p.ownerKind !== 'DaemonSet') return true;
    const o = this.cluster.objects.get(p.ownerObjectKey);
    if (o === undefined) return true;
    let spec = o.spec;
    const ref = p.ownerKind === 'ReplicaSet' ? controllerRef(o) : null;
    if (ref?.kind === 'Deployment') spec = this.cluster.objects.get(objectKey('Deployment', p.namespace, ref.name))?.spec ?? spec;
    const minReadyUs = minReadyUsOf(spec);
    return minReadyUs === 0 || availableFromUs(p, this.cluster.nodeByName, minReadyUs) <= this.sim.now;
  }

  /** Per metrics.groupBy count column, the sum over the groups (reused); null until a row has
   * group columns. */
  private groupTotals: Map<string, number> | null = null;

  private checkTimeseriesRow(): void {
    const rows = this.timeseries as readonly Row[];
    const row = rows[rows.length - 1];
    if (row === undefined) return;
    const c = this.cluster;
    const counts: Record<PodPhase, number> = { Pending: 0, Running: 0, Succeeded: 0, Failed: 0 };
    for (const p of c.pods.values()) counts[p.phase]++;
    // Requested ratios are over Ready nodes (src/metrics/collector.ts), of the pods bound there
    // (a pod the scheduler assumed counts once its binding commits); empty without capacity.
    let ready = 0;
    let available = 0;
    const alloc = new Resource();
    const req = new Resource();
    const notReadyAlloc = new Resource();
    /** What the Ready nodes of the scenario's own offer (the resources that have columns). */
    const declared = this.scenarioNodes === null ? alloc : new Resource();
    for (const n of c.nodes) {
      if (!n.ready) {
        notReadyAlloc.add(n.allocatable);
        continue;
      }
      ready++;
      alloc.add(n.allocatable);
      if (declared !== alloc && this.scenarioNodes?.has(n.name) === true) declared.add(n.allocatable);
      for (const p of n.pods) {
        if (p.bound) req.add(p.requests);
        if (isPodReady(p) && !p.terminating && this.readyLongEnough(p)) available++;
      }
    }
    const readyRatio = (a: number, b: number) => (b > 0 ? fmt(a / b, 6) : '');
    const want: Row = {
      time_s: fmt(toSeconds(this.sim.now), 6),
      nodes_ready: ready,
      nodes_not_ready: c.nodes.length - ready,
      pods_pending: counts.Pending,
      pods_running: counts.Running,
      pods_available: available,
      // Cumulative: pods that ever ended so, also those the pod garbage collector deleted since.
      pods_succeeded: this.watching ? this.everSucceeded : c.podsSucceededTotal,
      pods_failed: this.watching ? this.everFailed : c.podsFailedTotal,
      cpu_requested_ratio: readyRatio(req.milliCpu, alloc.milliCpu),
      memory_requested_ratio: readyRatio(req.memory, alloc.memory),
      cpu_allocatable_not_ready_milli: notReadyAlloc.milliCpu,
      memory_allocatable_not_ready_bytes: notReadyAlloc.memory,
    };
    for (const col of Object.keys(row)) {
      // Per pool / zone columns (metrics.groupBy: `pool=gpu:cpu_requested_ratio`) are the
      // collector's own tests' business; resource names hold no colon.
      const m = col.includes(':') ? null : /^(.+)_requested_ratio$/.exec(col);
      if (m !== null && col !== 'cpu_requested_ratio' && col !== 'memory_requested_ratio') {
        const r = m[1] as string;
        want[col] = readyRatio(req.getScalar(r), alloc.getScalar(r));
      }
    }
    // Every extended resource a node offers now has its column (issue 16 item 4).
    for (const r of declared.scalarNames()) {
      // (Hugepages all nodes report as 0, as every Linux kubelet does, get no column.)
      if (!hasResourceColumns(r, declared.getScalar(r))) continue;
      if (!(`${r}_requested_ratio` in row)) this.fail('output-counts', `timeseries.csv row at ${String(row['time_s'])} s has no ${r}_requested_ratio column though a Ready node offers ${r}`);
    }
    for (const [col, v] of Object.entries(want)) {
      if (row[col] !== v) this.fail('output-counts', `timeseries.csv row at ${String(row['time_s'])} s: ${col} is ${String(row[col])} but a recount gives ${String(v)}`);
    }
    // metrics.groupBy: the groups' counts add up to the cluster's (every node, those a trace
    // adds included, is in one group: collector.ts OTHER_GROUP).
    if (this.groupTotals !== null || Object.keys(row).some((k) => k.includes(':'))) {
      const sums = (this.groupTotals ??= new Map<string, number>());
      for (const k of GROUP_SUMMED) sums.set(k, 0);
      for (const [col, v] of Object.entries(row)) {
        const i = col.indexOf(':');
        if (i < 0) continue;
        const k = col.slice(i + 1);
        if (sums.has(k)) sums.set(k, (sums.get(k) as number) + Number(v));
      }
      for (const [k, sum] of sums) if (sum !== row[k]) this.fail('output-counts', `timeseries.csv row at ${String(row['time_s'])} s: the groups' ${k} add up to ${sum} but ${k} is ${String(row[k])}`);
    }
  }

  /** Keeps the active-pod tallies of ReplicaSets and Jobs (by the API server's notifications)
   * and checks their bounds when a pod becomes active. */
  private ownerChange(p: PodInfo, delta: number): void {
    const kind = p.ownerKind;
    if (kind !== 'ReplicaSet' && kind !== 'Job') return;
    const tally = kind === 'ReplicaSet' ? this.rsActive : this.jobActive;
    const invariant = kind === 'ReplicaSet' ? 'replicaset-pods' : 'job-parallelism';
    const key = rsKey(p);
    const n = (tally.get(key) ?? 0) + delta;
    if (n === 0) tally.delete(key);
    else tally.set(key, n);
    if (n < 0) this.fail(invariant, `${kind} ${key} would have ${n} active pods`);
    // The start state is the real cluster's (it may be mid scale-down): not judged.
    if (delta > 0 && !this.startingUp) this.checkOwnerBound(kind, key, n);
  }

  /** job-completions: a new pod of a Job with completions finds fewer than `completions` of
   * its pods Succeeded or active. */
  private checkJobCompletions(p: PodInfo): void {
    if (this.startingUp) return;
    const key = rsKey(p);
    const o = this.cluster.objects.get(objectKey('Job', p.namespace, p.ownerName));
    const completions = (o?.spec as { completions?: number } | undefined)?.completions;
    if (completions === undefined) return;
    const succeeded = this.jobSucceeded.get(key) ?? 0;
    const active = this.jobActive.get(key) ?? 0;
    if (succeeded + active > completions) this.fail('job-completions', `Job ${key} created pod ${p.name} with ${succeeded} pod(s) Succeeded and ${active} active (this one included), more than its ${completions} completions`);
  }

  private checkOwnerBound(kind: 'ReplicaSet' | 'Job', key: string, active: number): void {
    const slash = key.indexOf('/');
    const o = this.cluster.objects.get(objectKey(kind, key.slice(0, slash), key.slice(slash + 1)));
    if (o === undefined) return; // pods naming an owner that does not exist: no bound to hold
    if (kind === 'ReplicaSet') {
      const replicas = (o.spec as { replicas?: number } | undefined)?.replicas ?? 1;
      if (active > replicas) this.fail('replicaset-pods', `ReplicaSet ${key} has ${active} active pods, more than its ${replicas} replicas`);
      return;
    }
    const parallelism = (o.spec as { parallelism?: number } | undefined)?.parallelism ?? 1;
    if (active > parallelism) this.fail('job-parallelism', `Job ${key} has ${active} active pods, more than its parallelism ${parallelism}`);
  }

  private daemonSetPlaced(p: PodInfo, n: NodeInfo): void {
    const key = dsKey(p, n.name);
    let set = this.dsPlaced.get(key);
    if (set === undefined) this.dsPlaced.set(key, (set = new Set()));
    set.add(p);
    if (this.startingUp) this.startPods.add(p);
    else if (set.size > 1) this.checkDaemonSet(key, set);
  }

  private checkDaemonSet(key: string, set: ReadonlySet<PodInfo>): void {
    const p = set.values().next().value as PodInfo;
    const ds = this.cluster.objects.get(objectKey('DaemonSet', p.namespace, p.ownerName));
    if (ds === undefined) return;
    // Terminating pods are on their way out (still on the node's books until gone). Several
    // pods of the start state are the real cluster's surplus, which the controller deletes:
    // only a pod the run added makes a violation.
    const active = [...set].filter((x) => isActive(x));
    if (active.length <= 1 || active.every((x) => this.startPods.has(x))) return;
    const revision = (x: PodInfo) => x.pod.metadata?.labels?.[CONTROLLER_REVISION_HASH];
    if (active.length === 2 && isKind(ds, 'DaemonSet') && allowsSurge(ds) && revision(active[0] as PodInfo) !== revision(active[1] as PodInfo)) return;
    this.fail('daemonset-pods', `DaemonSet ${p.namespace}/${p.ownerName} has ${active.length} active pods on node ${key.slice(key.lastIndexOf('\u0000') + 1)}: ${active.map((x) => x.key).join(', ')}`);
  }

  // -------------------------------------------------------------------------------------------
  // Placement context

  private filtersFor(p: PodInfo): ReadonlySet<string> | null {
    if (this.filtersByProfile === null) return null;
    return this.filtersByProfile.get(p.schedulerName) ?? null;
  }

  private openWindow(): void {
    this.windowOpen = true;
    this.windowPods.clear();
    this.windowNodes.clear();
    this.windowNamespaces = false;
    this.windowUpdatedNodes.clear();
  }

  private windowDelta(p: PodInfo, n: NodeInfo, delta: number): void {
    const e = this.windowPods.get(p);
    if (e === undefined) {
      this.windowPods.set(p, { node: n, delta });
      return;
    }
    e.delta += delta;
    if (e.delta === 0) this.windowPods.delete(p);
  }

  /** The cluster as the scheduler saw it when its current cycle began: the present state with
   * the changes since then undone (pods removed meanwhile put back, pods placed meanwhile and
   * nodes added meanwhile left out). Outside a run (no cycle), the present state. */
  private view(pod: PodInfo): PlacementView {
    const c = this.cluster;
    const antiPods = this.antiPods;
    if (this.windowPods.size === 0 && this.windowNodes.size === 0) {
      return {
        nodes: c.nodes,
        podsOn: (n) => n.pods,
        antiAffinityPods: () => antiPods.entries(),
        staleNodes: this.windowUpdatedNodes,
        namespacesChanged: this.windowNamespaces,
      };
    }
    const nodes = c.nodes.filter((n) => (this.windowNodes.get(n) ?? 0) <= 0);
    for (const [n, d] of this.windowNodes) if (d < 0) nodes.push(n);
    const extra = new Map<NodeInfo, PodInfo[]>();
    const placedSince = new Set<PodInfo>();
    const removedAnti: Array<readonly [PodInfo, NodeInfo]> = [];
    for (const [p, e] of this.windowPods) {
      if (p === pod) continue;
      if (e.delta > 0) {
        placedSince.add(p);
      } else {
        let l = extra.get(e.node);
        if (l === undefined) extra.set(e.node, (l = []));
        l.push(p);
        if (hasRequiredAntiAffinity(p)) removedAnti.push([p, e.node]);
      }
    }
    return {
      nodes,
      podsOn: (n) => {
        const add = extra.get(n);
        if (add === undefined && placedSince.size === 0) return n.pods;
        const base = placedSince.size === 0 ? n.pods : n.pods.filter((p) => !placedSince.has(p));
        return add === undefined ? base : [...base, ...add];
      },
      antiAffinityPods: () => [...[...antiPods].filter(([p]) => !placedSince.has(p)), ...removedAnti],
      staleNodes: this.windowUpdatedNodes,
      namespacesChanged: this.windowNamespaces,
    };
  }

  private fail(invariant: string, detail: string): never {
    const ev = this.current;
    throw new InvariantViolation(invariant, this.sim.now, ev === null ? '' : eventLabel(ev), detail);
  }
}

function eventLabel(ev: SimEvent): string {
  return `${ev.kind}${ev.subject === '' ? '' : ` ${ev.subject}`} #${ev.seq}`;
}

/** Upstream FilterActivePods: not finished and not being deleted. */
function isActive(p: PodInfo): boolean {
  return !p.deleted && !p.terminal && !p.terminating;
}

/** A profile whose Filter plugins and args the brute force reproduces: only JUDGED_FILTERS, no
 * NodeAffinity addedAffinity, no DoNotSchedule default spread constraints. */
function judgedProfile(p: ProfileFacts): boolean {
  for (const f of p.filters) if (!JUDGED_FILTERS.has(f)) return false;
  const na = p.pluginArgs.get('NodeAffinity') as { addedAffinity?: unknown } | null | undefined;
  if (na?.addedAffinity != null) return false;
  const pts = p.pluginArgs.get('PodTopologySpread') as { defaultConstraints?: unknown } | null | undefined;
  const defaults = Array.isArray(pts?.defaultConstraints) ? (pts.defaultConstraints as Array<{ whenUnsatisfiable?: unknown }>) : [];
  return defaults.every((c) => c.whenUnsatisfiable !== 'DoNotSchedule');
}

/** Pending pods of one ReplicaSet or Job share a template (only their names differ), so one
 * brute-force verdict holds for all of them; null for other pods. */
function templateKey(p: PodInfo): string | null {
  if (p.ownerKind !== 'ReplicaSet' && p.ownerKind !== 'Job') return null;
  return `${p.ownerKind}/${p.namespace}/${p.ownerName}`;
}

function rsKey(p: PodInfo): string {
  return `${p.namespace}/${p.ownerName}`;
}

function dsKey(p: PodInfo, node: string): string {
  return `${p.namespace}/${p.ownerName}\u0000${node}`;
}

function stringsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** "cpu 500m vs 400m, memory ..." for the fields where a and b differ; null when equal. */
function resourceDiff(a: Resource, b: Resource): string | null {
  const out: string[] = [];
  if (a.milliCpu !== b.milliCpu) out.push(`cpu ${a.milliCpu}m vs ${b.milliCpu}m`);
  if (a.memory !== b.memory) out.push(`memory ${a.memory} vs ${b.memory}`);
  if (a.ephemeralStorage !== b.ephemeralStorage) out.push(`ephemeral-storage ${a.ephemeralStorage} vs ${b.ephemeralStorage}`);
  if (a.allowedPodNumber !== b.allowedPodNumber) out.push(`pods ${a.allowedPodNumber} vs ${b.allowedPodNumber}`);
  for (const r of new Set([...a.scalarNames(), ...b.scalarNames()])) {
    if (a.getScalar(r) !== b.getScalar(r)) out.push(`${r} ${a.getScalar(r)} vs ${b.getScalar(r)}`);
  }
  return out.length === 0 ? null : out.join(', ');
}

/** "N pods created" (and how many the start state holds, if any), for messages. */
function createdText(c: ClusterState): string {
  return `${c.podsCreated} pods created${c.podsAtStart > 0 ? ` and ${c.podsAtStart} present at the start` : ''}`;
}

/** The timeseries.csv counts each metrics.groupBy group has a column of, summed over the groups
 * to the cluster's column. */
const GROUP_SUMMED = ['nodes_ready', 'nodes_not_ready', 'pods_running', 'pods_available'] as const;
