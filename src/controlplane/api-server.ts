// The API server as the simulation's components see it. Every write pays, in order: the
// writing client's rate limit (client-go token bucket per component), the API server's own
// handling time, and etcd's commit latency (src/controlplane/etcd.ts); it then changes the state
// store, and watchers (informers) hear of it after a watch delay, in commit order. Components
// never change the store directly.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Labels } from '../api/labels.js';
import type { OrderedStream, Simulation } from '../engine/simulation.js';
import { fits, type ClusterState, type NodeChange } from '../cluster/cluster-state.js';
import { snapshotNode, type NodeInfo, type NodeView } from '../cluster/node-info.js';
import { PodInfo, podStoreKey, type PodPhase } from '../cluster/pod-info.js';
import { keyOf, objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { admitPod, missingPriorityClass, namespaceLifecycleRefusal, PRIORITY_CLASS_KIND, refusedPriorityClassWrite, type AdmitOptions, type DefaultTolerationSeconds } from './admission.js';
import type { RandomStream } from '../engine/random.js';
import { sampleNonNegativeInt, type Distribution } from '../engine/distributions.js';
import { EtcdModel, type EtcdConfig } from './etcd.js';
import { TokenBucket } from './token-bucket.js';
import { addTimeUs, MAX_SIM_TIME_US } from '../engine/time.js';
import { commitOrder, type StartState } from './start-state.js';
import { checkObjectCountQuota } from './object-count-quota.js';
import { LEASE_KIND, LEASE_NAMESPACE, type NodeLease } from './node-lease.js';
import { MicrosSamples } from '../metrics/samples.js';

/** A pod status's reason and message (the kubelet's DeadlineExceeded). */
export interface PodStatusReason {
  readonly reason: string;
  readonly message: string;
  /** A condition the write adds to status.conditions (replacing one of its type): the pod
   * garbage collector's DisruptionTarget. */
  readonly condition?: { readonly type: string; readonly status: 'True'; readonly reason: string; readonly message: string };
}

/** What a component hears about committed changes. All methods optional. */
export interface ClusterWatcher {
  podAdded?(p: PodInfo): void;
  podBound?(p: PodInfo): void;
  podPhaseChanged?(p: PodInfo, from: PodPhase): void;
  /** The kubelet wrote a restarted container's status: `restartCount` is the pod's container
   * restarts as its status now shows them (status.containerStatuses[].restartCount). */
  podRestarted?(p: PodInfo, restartCount: number): void;
  /** A graceful deletion started: the pod is Terminating (it has a deletionTimestamp) and keeps
   * its node until its kubelet confirms; podDeleted follows when it is gone. */
  podTerminating?(p: PodInfo, reason: string): void;
  podDeleted?(p: PodInfo, reason: string): void;
  /** A pod's metadata was updated (ApiServer.updatePod: labels, annotations); `oldLabels` are
   * the labels it had (p.labels are the new ones). */
  podUpdated?(p: PodInfo, oldLabels: Labels): void;
  /** A node registered; `atStart` when it is part of the start state (committed before the
   * clock starts, ApiServer.commitStartState) rather than joining during the run. */
  nodeAdded?(n: NodeInfo, atStart: boolean): void;
  /** A node's labels, taints, unschedulable flag or readiness changed: `before` and `after` are
   * the node as it was and as it became at the commit. */
  nodeUpdated?(n: NodeInfo, before: NodeView, after: NodeView): void;
  /** A Node object was deleted (ApiServer.deleteNode): `n` is the node as it was, out of the
   * cluster; the pods that were on it keep their binding (ClusterState.orphansOf). */
  nodeDeleted?(n: NodeInfo): void;
  objectAdded?(o: WorkloadObject): void;
  /** A stored object was replaced by `o` (same kind, namespace and name). */
  objectUpdated?(o: WorkloadObject, old: WorkloadObject): void;
  /** An object was deleted from the store. */
  objectDeleted?(o: WorkloadObject): void;
  /** A node's Lease was renewed: its stored object's spec.renewTime became `renewUs`
   * (ApiServer.renewLease; later renewals change that object in place: read the time from
   * `renewUs`). Renewals are told this way, not as objectUpdated; a watcher that only needs the
   * latest renewal it has heard of reads NodeLease.heardRenewUs instead. */
  leaseRenewed?(lease: NodeLease, renewUs: number): void;
  /** A write the API server refused (AlreadyExists, admission, validation): `object` is a pod's
   * key, or "<Kind> <name>" for another object; `write` whether it was a create (the default)
   * or an update; `pod` the pod a refused pod create asked for (its owner references say which
   * workload's create it was). */
  writeRejected?(object: string, reason: string, write?: 'create' | 'update', pod?: Pod): void;
  /** A cluster snapshot's finished pod (ClusterState.finishedAtStart, of which no watcher is
   * told otherwise) was deleted: by the terminated-pod garbage collector, or with its owner. */
  finishedAtStartDeleted?(p: PodInfo, reason: string): void;
  /** The whole start state has been told (ApiServer.commitStartState): controllers that act
   * inside notifications start acting now, as upstream workers start once their informer caches
   * have synced. */
  startStateCommitted?(): void;
}

/** A notification (a ClusterWatcher method) and its arguments. */
type Method = Exclude<keyof ClusterWatcher, 'startStateCommitted'>;
type Args<M extends Method> = Parameters<NonNullable<ClusterWatcher[M]>>;
type Handler = (...args: never[]) => void;
type FixedHandler = (a: unknown, b: unknown, c: unknown, d: unknown) => void;
interface Listeners {
  readonly observers: readonly Handler[];
  readonly watchers: readonly Handler[];
}

export interface ClientLimit {
  readonly qps: number;
  readonly burst: number;
}

export interface ApiConfig {
  /** The API server's own handling of a write (admission, encoding), before etcd. */
  readonly requestLatency: Distribution;
  readonly etcd: EtcdConfig;
  /** From a commit to the watchers hearing of it. */
  readonly watchDelay: Distribution;
  /** Rate limits by client kind ("scheduler", "controller-manager", "kubelet"); clients not
   * listed (the scenario's own submissions) are not limited. */
  readonly clients: ReadonlyMap<string, ClientLimit>;
  /** --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds, for
   * DefaultTolerationSeconds admission; absent: 300 each. */
  readonly defaultTolerationSeconds?: DefaultTolerationSeconds;
}

/** A control plane where every write takes exactly `latencyUs` and watchers hear at once: no
 * etcd queueing, no rate limits (tests and what-if comparisons). */
export function fixedLatencyApiConfig(latencyUs: number): ApiConfig {
  return {
    requestLatency: { kind: 'constant', value: latencyUs },
    watchDelay: { kind: 'constant', value: 0 },
    etcd: { followerRtt: [], fsync: { kind: 'constant', value: 0 }, maxWritesPerSecond: Number.POSITIVE_INFINITY, electionTimeoutUs: 0 },
    clients: new Map(),
  };
}

/** State all clients of one API server share. */
class ApiCore {
  readonly watchers: ClusterWatcher[] = [];
  /** Told at the commit itself, before any watch delay (metrics, invariant checks). */
  readonly observers: ClusterWatcher[] = [];
  readonly buckets = new Map<string, TokenBucket>();
  /** Per rate-limited client kind: how much its limit held its writes (ClientHolds). */
  readonly holds = new Map<string, ClientHolds>();
  /** The run's end: a write its rate limit lets go later is still waiting at the end, not sent. */
  endUs = MAX_SIM_TIME_US;
  readonly etcd: EtcdModel;
  writes = 0;
  /** Writes sent and not yet committed. */
  inFlight = 0;
  /** Commit latencies (etcd part, µs) since the last drain, for the time series: with a long
   * sample interval a row can span millions of writes (a trace of 500 pods a second writes 2,500
   * times a second: 1.5 M latencies in a 10-minute row, 12 MB as a number array, about 2 MB
   * here). */
  commitLatencies = new MicrosSamples();
  /** Watch notifications are delivered in commit order: never before the previous one. */
  lastNotifyUs = 0;
  /** Their deliveries, scheduled in that order (a FIFO lane of the event queue, not its heap). */
  readonly deliveries: OrderedStream;
  /** True while the start state is being committed (ApiServer.commitStartState). */
  startingUp = false;
  /** Whether NamespaceLifecycle refuses creates in namespaces that do not exist: once a
   * Namespace is stored, or from the start when the scenario declares one (declareNamespaces).
   * Until then no create is refused for its namespace (no Namespace stored: none Terminating). */
  namespacesDeclared = false;
  /** The namespaces of the start state's objects and pods: they existed in the cluster the
   * snapshot was taken of, whether it lists their Namespace objects or not. */
  readonly startNamespaces = new Set<string>();
  /** The node Leases renewed through renewLease, by store key: a write of such a key by any
   * other path makes the API server forget its stored object (NodeLease.stored). */
  readonly leases = new Map<string, NodeLease>();
  /** Per notification, the observers' and watchers' handlers, in registration order (only
   * those that implement it: most components hear of few kinds of change). Rebuilt when one
   * registers. */
  private listeners = new Map<Method, Listeners>();

  listenersOf(method: Method): Listeners {
    let l = this.listeners.get(method);
    if (l === undefined) {
      const bound = (ws: readonly ClusterWatcher[]) => ws.flatMap((w) => (w[method] === undefined ? [] : [(w[method] as Handler).bind(w)]));
      l = { observers: bound(this.observers), watchers: bound(this.watchers) };
      this.listeners.set(method, l);
    }
    return l;
  }

  registered(): void {
    this.listeners.clear();
  }

  constructor(
    readonly sim: Simulation,
    readonly config: ApiConfig,
    readonly rng: RandomStream,
  ) {
    this.etcd = new EtcdModel(config.etcd, rng);
    this.deliveries = sim.orderedStream();
    // The watchers' cache of node Leases: the latest renewal heard of, kept on the node's
    // NodeLease when the renewal is delivered (first, so every watcher reads it as it hears).
    this.watchers.push({
      leaseRenewed: (lease, renewUs) => {
        if (renewUs > lease.heardRenewUs) lease.heardRenewUs = renewUs;
      },
    });
  }
}

/** How much a rate-limited client kind's limit held its writes over a run. A write counts as
 * sent when it leaves its client (its token bucket lets it go) by the run's end; one still
 * waiting then is queued, with its wait up to the end. */
export interface ClientHolds {
  /** Writes sent within the run. */
  writes: number;
  /** Of those, the ones the limit held (a wait > 0). */
  held: number;
  /** The longest wait of a write sent (µs). */
  maxWaitUs: number;
  /** Writes still waiting for their token at the end. */
  queued: number;
  /** The longest of their waits so far: from the first one's reservation to the end (µs). */
  maxQueuedWaitUs: number;
}

/** A rate-limited client's token bucket and the record of how much it held writes. */
interface ClientLimiter {
  readonly bucket: TokenBucket;
  readonly holds: ClientHolds;
}

export class ApiServer {
  private readonly core: ApiCore;
  /** The simulation (a controller's delayed work: the Deployment controller's minReadySeconds). */
  readonly sim: Simulation;
  private readonly watchers: ClusterWatcher[];
  /** This client's limiter (shared with every instance writing as the same client); null when
   * its kind is not limited; undefined until its first write. */
  private limiter: ClientLimiter | null | undefined = undefined;
  /** Admission's options for a new pod (the DefaultTolerationSeconds flags). */
  private readonly admitNew: AdmitOptions;

  constructor(
    sim: Simulation,
    readonly cluster: ClusterState,
    config: ApiConfig,
    rng: RandomStream,
    /** Who writes through this instance: "user", "scheduler", "controller-manager",
     * "kubelet/<node>" (the kind is the part before "/"). */
    readonly client = 'user',
    core?: ApiCore,
  ) {
    this.core = core ?? new ApiCore(sim, config, rng);
    this.sim = sim;
    const s = this.core.config.defaultTolerationSeconds;
    this.admitNew = s === undefined ? {} : { tolerationSeconds: s };
    this.watchers = this.core.watchers;
  }

  /** The same API server, writing as `client` (with that client's rate limit). */
  forClient(client: string): ApiServer {
    return new ApiServer(this.sim, this.cluster, this.core.config, this.core.rng, client, this.core);
  }

  get writes(): number {
    return this.core.writes;
  }

  /** The run ends at `endUs` (before any write): the rate-limit records count a write as sent
   * only when its limit lets it go by then (rateLimitHolds). */
  runsUntil(endUs: number): void {
    this.core.endUs = endUs;
  }

  /** How much each rate-limited client kind's limit held its writes, by client kind, as of the
   * run's end (runsUntil). */
  rateLimitHolds(): ({ client: string } & ClientHolds)[] {
    return [...this.core.holds].map(([client, h]) => ({ client, ...h })).sort((a, b) => (a.client < b.client ? -1 : a.client > b.client ? 1 : 0));
  }

  /** Writes sent and not yet committed (the time series' api_queue_depth). */
  get inFlight(): number {
    return this.core.inFlight;
  }

  /** The etcd model, for fault injection (leader loss). */
  get etcd(): EtcdModel {
    return this.core.etcd;
  }

  /** etcd commit latencies (µs) of the writes committed since the last call. */
  drainCommitLatencies(): MicrosSamples {
    const l = this.core.commitLatencies;
    this.core.commitLatencies = new MicrosSamples();
    return l;
  }

  /** Components (scheduler, controllers, kubelets) hear of commits after the watch delay. A
   * watcher's methods are taken as they are when it registers (ApiCore.listenersOf): set them
   * all before. */
  watch(w: ClusterWatcher): void {
    this.watchers.push(w);
    this.core.registered();
  }

  /** Bookkeepers (metrics, invariant checks) hear of each commit as it happens. */
  observe(w: ClusterWatcher): void {
    this.core.observers.push(w);
    this.core.registered();
  }

  /** True while the start state is being committed: controllers that act inside
   * notifications wait for startStateCommitted. */
  get startingUp(): boolean {
    return this.core.startingUp;
  }

  /**
   * Commits the cluster as it is at t = 0: Namespaces and other objects (in commitOrder: owners
   * before what they own), nodes, and pods: those bound to a node are Running there, those with
   * no spec.nodeName are pending. No
   * write latency, no random draws: each change is stored and every observer and watcher is told
   * at once, in that order; then startStateCommitted. Call once, after every component watches
   * and before the clock moves. Returns what was not committed (a pod admission refuses, a pod
   * whose node is not there), as warnings.
   */
  commitStartState(start: StartState): string[] {
    const core = this.core;
    const warnings: string[] = [];
    /** Pods naming a PriorityClass the snapshot lacks, by class: one warning each. */
    const missingClasses = new Map<string, string[]>();
    /** Pods not on a node and being deleted: left out, in one warning. */
    const deletedPending: string[] = [];
    const tell = (f: (w: ClusterWatcher) => void) => {
      for (const o of core.observers) f(o);
      for (const w of this.watchers) f(w);
    };
    core.startingUp = true;
    try {
      const objects = commitOrder(start.objects);
      // A snapshot's objects and pods prove their namespace existed in its cluster, whether
      // the dump lists its Namespace or not (NamespaceLifecycle lets creates there go on).
      for (const o of objects) if (o.metadata.namespace !== '') core.startNamespaces.add(o.metadata.namespace);
      for (const pod of start.pods) core.startNamespaces.add(pod.metadata?.namespace ?? 'default');
      // Setup objects first: pods are admitted against Namespaces, PriorityClasses and quotas.
      for (const o of objects) if (!this.cluster.objects.has(keyOf(o))) this.storeObjectWith(o, tell);
      for (const { node, pool } of start.nodes) {
        const n = this.cluster.addNode(node, pool);
        tell((w) => w.nodeAdded?.(n, true));
      }
      for (const pod of start.pods) {
        const key = podStoreKey(pod);
        const nodeName = pod.spec?.nodeName;
        const node = this.cluster.nodeByName.get(nodeName ?? '');
        if (nodeName !== undefined && node === undefined) {
          warnings.push(`pod ${key}: not started, its node ${JSON.stringify(pod.spec?.nodeName ?? '')} is not in the cluster`);
          continue;
        }
        if (this.cluster.pods.has(key)) {
          warnings.push(`pod ${key}: not started, a pod of that name exists`);
          continue;
        }
        if (node === undefined && pod.metadata?.deletionTimestamp != null) {
          // Being deleted before it was scheduled: upstream deletes an unscheduled pod at once
          // (its finalizers aside) and never schedules it (schedule_one.go skipPodSchedule); its
          // owner does not count it (FilterActivePods).
          deletedPending.push(key);
          continue;
        }
        // Snapshot pods were admitted by the cluster's own API server: LimitRanger and
        // RuntimeClass do not run again on them.
        const admitted = admitPod(this.cluster, pod, { ...this.admitNew, existing: true });
        if (!admitted.allowed) {
          warnings.push(`pod ${key}: not started, refused by admission: ${admitted.reason}`);
          continue;
        }
        const missing = missingPriorityClass(this.cluster, pod.spec);
        if (missing !== null) missingClasses.set(missing, [...(missingClasses.get(missing) ?? []), key]);
        const p = new PodInfo(admitted.pod, 0);
        p.past = start.podPasts?.get(pod) ?? null;
        this.cluster.addPod(p, false);
        if (node === undefined) {
          // Not bound: pending, for the scheduler.
          tell((w) => w.podAdded?.(p));
          continue;
        }
        // Bound before it is placed: indexes hear of a bound pod, not of an assumed one.
        p.bound = true;
        p.boundUs = 0;
        this.cluster.assume(p, node);
        p.acceptedUs = 0; // status.startTime when the dump lacks it (startTimeUs reads past.startUs first)
        p.startedUs = 0;
        this.cluster.setPhase(p, 'Running');
        tell((w) => w.podAdded?.(p));
        if (p.terminating) {
          // Being deleted when the snapshot was taken (it has a deletionTimestamp): Terminating
          // from the start, so its kubelet stops it after the grace period and its controller
          // does not count it (upstream FilterActivePods).
          this.cluster.markTerminating(p, 0, 'being deleted in the snapshot');
          tell((w) => w.podTerminating?.(p, 'being deleted in the snapshot'));
        }
      }
      // Finished pods are stored and told to no one: the quota counts them (count/pods) and
      // the pod garbage collectors find them in ClusterState.finishedAtStart at
      // startStateCommitted. Their owners have counted them already (a Job's status), ignore
      // them (a ReplicaSet's FilterActivePods), or take them from the store at
      // startStateCommitted (a DaemonSet's controller deletes them); the scheduler and kubelets
      // never act on a terminal pod.
      for (const pod of start.finishedPods ?? []) {
        const key = podStoreKey(pod);
        if (this.cluster.pods.has(key) || this.cluster.finishedAtStart.has(key)) {
          warnings.push(`pod ${key}: finished pod not kept, a pod of that name exists`);
          continue;
        }
        const p = new PodInfo(pod, 0, key);
        p.past = start.podPasts?.get(pod) ?? null;
        p.phase = pod.status?.phase === 'Failed' ? 'Failed' : 'Succeeded';
        p.finishedAtStart = true;
        p.evictedByKubelet = p.phase === 'Failed' && pod.status?.reason === 'Evicted';
        if (pod.spec?.nodeName !== undefined) p.bound = true;
        this.cluster.finishedAtStart.set(key, p);
      }
    } finally {
      core.startingUp = false;
    }
    if (deletedPending.length > 0) {
      const who = deletedPending.length === 1 ? `pod ${deletedPending[0]!}` : `${deletedPending.length} pods (first ${deletedPending[0]!})`;
      warnings.push(`${who} not on a node and being deleted (deletionTimestamp): left out, as the API server deletes an unscheduled pod at once and the scheduler never places one being deleted`);
    }
    for (const [cls, pods] of missingClasses) {
      const who = pods.length === 1 ? `pod ${pods[0]!} names` : `${pods.length} pods (first ${pods[0]!}) name`;
      const keep = pods.length === 1 ? 'it keeps its' : 'they keep their';
      warnings.push(`${who} PriorityClass ${cls}, which the snapshot lacks: ${keep} spec.priority, but new pods naming it (replacements too) are refused, as an API server without it would; add priorityclasses to the dump (kubectl get priorityclasses -o json)`);
    }
    tell((w) => w.startStateCommitted?.());
    return warnings;
  }

  /** The scenario declares Namespaces (a workload entry's, arriving at any time): from the
   * start, NamespaceLifecycle refuses a create in a namespace that does not exist, `namespaces
   * "x" not found` (README "Admission"). Without it, from the first Namespace stored. */
  declareNamespaces(): void {
    this.core.namespacesDeclared = true;
  }

  /** Sends a write: rate limit, API server handling, etcd commit; then `commit` runs. */
  private write(kind: string, subject: string, commit: () => void): void {
    const core = this.core;
    const now = this.sim.now;
    core.writes++;
    core.inFlight++;
    let wait = 0;
    const limiter = this.limiter === undefined ? this.resolveLimiter() : this.limiter;
    if (limiter !== null) {
      wait = limiter.bucket.reserve(now);
      const h = limiter.holds;
      // Counted as it will stand at the run's end (known now, so no event and no record per
      // write): sent if its token comes by then (client-go's limiter: Wait returns, the request
      // goes out), else still waiting, for as long as the run lasts.
      if (wait > core.endUs - now) {
        h.queued++;
        if (core.endUs - now > h.maxQueuedWaitUs) h.maxQueuedWaitUs = core.endUs - now;
      } else {
        h.writes++;
        if (wait > 0) {
          h.held++;
          if (wait > h.maxWaitUs) h.maxWaitUs = wait;
        }
      }
    }
    const leaves = addTimeUs(now, wait);
    const atServer = addTimeUs(leaves, sampleNonNegativeInt(core.config.requestLatency, core.rng));
    // etcd takes writes in the order they reach it (its queue and group commits depend on it).
    // With a constant handling time that is the order in which they leave their clients, so etcd
    // is asked, with the arrival time, when a write leaves: at once for one its rate limit does
    // not hold (one event, and one closure, per write), else when its limit lets it go (a write
    // still waiting holds no place in etcd's queue). With a random handling time writes overtake
    // one another, and etcd is asked at the arrival itself. (Asking a held write at its arrival
    // while unheld ones were asked as they left put it behind writes that reached etcd after it,
    // each paying up to the handling time again, and counted that wait as etcd's.)
    const askAt = core.config.requestLatency.kind === 'constant' ? leaves : atServer;
    if (askAt === now) {
      this.commitAt(core.etcd.commitTime(atServer), atServer, kind, subject, commit);
      return;
    }
    this.sim.scheduleAt(askAt, 'api.request', subject, () => this.commitAt(core.etcd.commitTime(atServer), atServer, kind, subject, commit));
  }

  /** The client's token bucket (one per client, e.g. per node's kubelet) and its kind's hold
   * record (one per kind), made at the client's first write. */
  private resolveLimiter(): ClientLimiter | null {
    const core = this.core;
    const slash = this.client.indexOf('/');
    const kindName = slash < 0 ? this.client : this.client.slice(0, slash);
    const limit = core.config.clients.get(kindName);
    if (limit === undefined) return (this.limiter = null);
    let bucket = core.buckets.get(this.client);
    if (bucket === undefined) core.buckets.set(this.client, (bucket = new TokenBucket(limit.qps, limit.burst)));
    let holds = core.holds.get(kindName);
    if (holds === undefined) core.holds.set(kindName, (holds = { writes: 0, held: 0, maxWaitUs: 0, queued: 0, maxQueuedWaitUs: 0 }));
    return (this.limiter = { bucket, holds });
  }

  /** Schedules a write's commit at `committedUs` (it reached the API server at `atServerUs`). */
  private commitAt(committedUs: number, atServerUs: number, kind: string, subject: string, commit: () => void): void {
    const core = this.core;
    this.sim.scheduleAt(committedUs, kind, subject, () => {
      core.inFlight--;
      core.commitLatencies.push(committedUs - atServerUs);
      commit();
    });
  }

  /** Tells the observers of a committed change at once, and the watchers that handle it after
   * the watch delay, in commit order. */
  private notify<M extends Method>(method: M, ...args: Args<M>): void;
  // Fixed arity (at most four arguments), so that no array is made per notification.
  private notify(method: Method, a?: unknown, b?: unknown, c?: unknown, d?: unknown): void {
    const core = this.core;
    const l = core.listenersOf(method);
    for (const f of l.observers) (f as FixedHandler)(a, b, c, d);
    const at = Math.max(addTimeUs(this.sim.now, sampleNonNegativeInt(core.config.watchDelay, core.rng)), core.lastNotifyUs);
    core.lastNotifyUs = at;
    const watchers = l.watchers as readonly FixedHandler[];
    if (at === this.sim.now) {
      for (const f of watchers) f(a, b, c, d);
      return;
    }
    core.deliveries.scheduleAt(at, 'api.watch', '', () => {
      for (const f of watchers) f(a, b, c, d);
    });
  }

  /** Creates a pod after admission (src/controlplane/admission.ts: LimitRanger, Priority,
   * DefaultTolerationSeconds, RuntimeClass, ResourceQuota). `done` gets the
   * stored pod, or null and why the create failed (AlreadyExists, or admission's Forbidden).
   * `key`: podStoreKey(pod), when the caller has it (a controller's reserved name). */
  createPod(pod: Pod, done?: (p: PodInfo | null, reason?: string) => void, key = podStoreKey(pod)): void {
    this.write('api.create-pod', key, () => {
      // NamespaceLifecycle runs first of the admission plugins, in the mutating phase: a
      // controller's pod is named by its generateName (admit's mutatingName).
      const noNamespace = this.core.namespacesDeclared ? namespaceLifecycleRefusal(this.cluster, 'Pod', pod.metadata?.namespace ?? 'default', pod.metadata?.generateName || (pod.metadata?.name ?? ''), this.core.startNamespaces) : null;
      if (noNamespace !== null) {
        this.reject(key, pod, noNamespace, done);
        return;
      }
      if (this.cluster.pods.has(key) || this.cluster.finishedAtStart.has(key)) {
        this.reject(key, pod, `pods "${pod.metadata?.name ?? ''}" already exists`, done); // AlreadyExists
        return;
      }
      const admitted = admitPod(this.cluster, pod, this.admitNew);
      if (!admitted.allowed) {
        this.reject(key, pod, admitted.reason, done);
        return;
      }
      // The key made above (admission keeps the pod's metadata), already hashed by the lookup.
      const p = new PodInfo(admitted.pod, this.sim.now, key);
      this.cluster.addPod(p);
      const node = this.boundAtCreate(p);
      if (node !== null) {
        // Created with spec.nodeName (a DaemonSet pod whose template names its node): stored
        // bound, so the scheduler never sees it (it takes only pods without a node) and the
        // node's kubelet runs it, or refuses it: placed on the node's books when it fits there,
        // else held apart (ClusterState.holdUnadmitted) for the kubelet's admission to fail it
        // (OutOfcpu, ...: src/kubelet/kubelet.ts). Upstream tells one ADD of a bound pod, ksim's
        // watchers hear it added and bound at the same commit.
        if (fits(node, p)) this.cluster.assume(p, node);
        else this.cluster.holdUnadmitted(p, node);
        p.bound = true;
        p.boundUs = this.sim.now;
        this.notify('podAdded', p);
        this.notify('podBound', p);
      } else {
        this.notify('podAdded', p);
      }
      done?.(p);
    });
  }

  /** A pod create the API server refuses in validation (before admission), as `reason`
   * (upstream: 422 Invalid): sent and answered like any create, told as writeRejected. Used by
   * controllers whose pods carry a value the API server refuses (a StatefulSet's long name). */
  refusePodCreate(pod: Pod, reason: string, done?: (p: PodInfo | null, reason?: string) => void): void {
    const key = podStoreKey(pod);
    this.write('api.create-pod', key, () => this.reject(key, pod, reason, done));
  }

  /** The node a pod created with spec.nodeName is bound to at its create: that node when it
   * exists, whether or not the pod fits it (its kubelet's admission decides: upstream
   * pkg/kubelet/lifecycle/predicate.go, a pod that does not fit ends Failed, OutOfcpu, ...);
   * else null, and the pod is scheduled, where the NodeName filter holds it to that node (a
   * node that is not there, which upstream's DaemonSet controller never names). */
  private boundAtCreate(p: PodInfo): NodeInfo | null {
    const name = p.pod.spec?.nodeName;
    if (name === undefined || name === '') return null;
    return this.cluster.nodeByName.get(name) ?? null;
  }

  private reject(key: string, pod: Pod, reason: string, done?: (p: PodInfo | null, reason?: string) => void): void {
    this.notify('writeRejected', key, reason, 'create', pod);
    done?.(null, reason);
  }

  /** Writes pod.spec.nodeName; the pod must already be assumed on that node. The node need not
   * exist when the binding commits (upstream pkg/registry/core/pod/storage/storage.go
   * BindingREST.setPodNodeAndMetadata checks only that the pod is not being deleted, not
   * assigned and not gated, never the node): a pod assumed on a node deleted while its binding
   * was in flight is bound to the missing node — an orphan (ClusterState.isOrphan) that no
   * kubelet runs, failed and deleted by the pod garbage collector's gcOrphaned (podgc.ts). */
  bindPod(p: PodInfo, nodeName: string, done: (ok: boolean, reason: string) => void): void {
    this.write('api.bind', p.key, () => {
      if (p.deleted) return done(false, `pod ${p.key} was deleted`);
      p.bound = true;
      p.boundUs = this.sim.now;
      if (p.pod.spec !== undefined) p.pod.spec.nodeName = nodeName;
      done(true, '');
      this.notify('podBound', p);
    });
  }

  /** `reason`: status.reason and status.message (the kubelet's DeadlineExceeded). */
  setPodPhase(p: PodInfo, phase: PodPhase, reason?: PodStatusReason, done?: () => void): void {
    this.write('api.pod-status', p.key, () => {
      this.commitPhase(p, phase, reason);
      done?.();
    });
  }

  /** The kubelet's status write after it restarted a container in place (upstream: its status
   * manager writes the new containerStatuses, restartCount one more; the phase stays). */
  setPodRestarts(p: PodInfo, restartCount: number): void {
    this.write('api.pod-status', p.key, () => this.commitRestarts(p, restartCount));
  }

  /** One status write with a new restartCount and a new phase (either may be null: unchanged),
   * as the kubelet's status manager syncs a pod's latest status after a partition. */
  setPodStatus(p: PodInfo, phase: PodPhase | null, reason: PodStatusReason | undefined, restartCount: number | null): void {
    this.write('api.pod-status', p.key, () => {
      if (restartCount !== null) this.commitRestarts(p, restartCount);
      if (phase !== null) this.commitPhase(p, phase, reason);
    });
  }

  private commitPhase(p: PodInfo, phase: PodPhase, reason: PodStatusReason | undefined): void {
    if (p.deleted || p.phase === phase) return;
    const from = p.phase;
    const now = this.sim.now;
    if (reason?.condition !== undefined) {
      const c = reason.condition;
      const conditions = [...(p.pod.status?.conditions ?? []).filter((x) => x.type !== c.type), { type: c.type, status: c.status, reason: c.reason, message: c.message }];
      (p.pod as { status?: object }).status = { ...p.pod.status, conditions };
    } else if (reason !== undefined) (p.pod as { status?: object }).status = { ...p.pod.status, reason: reason.reason, message: reason.message };
    if (phase === 'Running') p.startedUs = now;
    if (phase === 'Succeeded' || phase === 'Failed') p.finishedUs = now;
    this.cluster.setPhase(p, phase);
    this.notify('podPhaseChanged', p, from);
  }

  private commitRestarts(p: PodInfo, restartCount: number): void {
    if (p.deleted) return;
    this.notify('podRestarted', p, restartCount);
  }

  /** Deletes a pod. A pod bound to a node and not finished is deleted gracefully (upstream
   * pkg/registry/core/pod/strategy.go CheckGracefulDelete: unscheduled and terminal pods go at
   * once): it becomes Terminating, and its kubelet removes it once its containers have stopped.
   * `force` removes it at once (the kubelet's final delete, or a forced deletion). */
  deletePod(p: PodInfo, reason: string, force = false): void {
    this.write('api.delete-pod', p.key, () => {
      if (p.deleted) return;
      if (p.finishedAtStart) {
        // Terminal: gone at once (CheckGracefulDelete), told only to those that know of it.
        p.deleted = true;
        this.cluster.finishedAtStart.delete(p.key);
        this.notify('finishedAtStartDeleted', p, reason);
        return;
      }
      if (p.bound && !p.terminal && p.deletionUs < 0) {
        this.cluster.markTerminating(p, this.sim.now, reason);
        this.notify('podTerminating', p, reason);
        // A forced delete (grace period 0) of a running pod: Terminating for no time, then gone.
        if (!force) return;
      } else if (!force && p.bound && !p.terminal) return; // already Terminating
      this.cluster.deletePod(p);
      this.notify('podDeleted', p, reason);
    });
  }

  /** Updates a pod's metadata (labels, annotations): `change(stored)` gives the pod object as it
   * becomes, from the pod as stored when the write commits, or null (nothing to write, or the
   * update refused: `change` says why). `done(false)` when the pod is gone (NotFound). Watchers
   * hear podUpdated with the labels it had (upstream: a MODIFIED watch event). */
  updatePod(p: PodInfo, change: (stored: Pod) => Pod | null, done?: (ok: boolean) => void): void {
    this.write('api.update-pod', p.key, () => {
      if (p.deleted || this.cluster.pods.get(p.key) !== p) {
        done?.(false);
        return;
      }
      const next = change(p.pod);
      if (next === null) {
        done?.(false);
        return;
      }
      const oldLabels = p.labels;
      this.cluster.setPodMetadata(p, next);
      this.notify('podUpdated', p, oldLabels);
      done?.(true);
    });
  }

  /** Creates an object. `done(ok, refused)`: whether it was stored, and when admission refused
   * it, the API server's message (a quota's `exceeded quota: ...`). */
  createObject(o: WorkloadObject, done?: (ok: boolean, refused?: string) => void, key = keyOf(o)): void {
    this.write('api.create-object', key, () => {
      const exists = this.cluster.objects.has(key);
      // NamespaceLifecycle (admission.ts namespaceLifecycleRefusal), then ResourceQuota
      // admission's object counts (object-count-quota.ts); pods are checked in createPod.
      const noNamespace = this.core.namespacesDeclared ? namespaceLifecycleRefusal(this.cluster, o.kind, o.metadata.namespace, o.metadata.name, this.core.startNamespaces) : null;
      const refused = noNamespace !== null ? noNamespace : exists ? null : o.kind === PRIORITY_CLASS_KIND ? refusedPriorityClassWrite(this.cluster, o, undefined) : checkObjectCountQuota(this.cluster, o);
      if (refused !== null) {
        this.notify('writeRejected', `${o.kind} ${o.metadata.name}`, refused, 'create');
        done?.(false, refused);
        return;
      }
      const ok = this.storeObjectWith(o, null, key); // not inside done?.(...): that would skip it when done is absent
      done?.(ok);
    });
  }

  /** Replaces the stored object of `o`'s key with `o` (objects are never changed in place: a
   * stored object is a committed snapshot). `done(false)` when there is none (NotFound).
   * `key`: keyOf(o), passed by a caller that keeps it (a kubelet, for its node's Lease). */
  updateObject(o: WorkloadObject, done?: (ok: boolean) => void, key = keyOf(o)): void {
    this.patchObject(key, () => o, done);
  }

  /** Updates the stored object of `key` with `change(stored)` as it is when the write commits
   * (a subresource write, such as /scale, changes one field of what is stored rather than
   * replacing the object with a copy read earlier). `done(false)` when there is none (NotFound)
   * or `change` returns null (nothing to write). */
  patchObject(key: string, change: (stored: WorkloadObject) => WorkloadObject | null, done?: (ok: boolean) => void): void {
    this.write('api.update-object', key, () => {
      const old = this.cluster.objects.get(key);
      const o = old === undefined ? null : change(old);
      if (old === undefined || o === null) {
        done?.(false);
        return;
      }
      // ResourceQuota admission charges a Service's update what it adds (object-count-quota.ts).
      const refused = o.kind === PRIORITY_CLASS_KIND ? refusedPriorityClassWrite(this.cluster, o, old) : o.kind === 'Service' ? checkObjectCountQuota(this.cluster, o, old) : null;
      if (refused !== null) {
        this.notify('writeRejected', `${o.kind} ${o.metadata.name}`, refused, 'update');
        done?.(false);
        return;
      }
      this.forgetLease(o.kind, key);
      this.cluster.objects.set(key, o);
      this.notify('objectUpdated', o, old);
      done?.(true);
    });
  }

  /** Deletes an object. `done(false)` when it does not exist (any more). */
  deleteObject(kind: string, namespace: string, name: string, done?: (ok: boolean) => void): void {
    const key = objectKey(kind, namespace, name);
    this.write('api.delete-object', key, () => {
      const old = this.cluster.objects.get(key);
      if (old === undefined) {
        done?.(false);
        return;
      }
      this.forgetLease(kind, key);
      this.cluster.objects.delete(key);
      this.notify('objectDeleted', old);
      done?.(true);
    });
  }

  /** Stores an object that exists before the simulation starts (no write latency). `key`:
   * keyOf(o), from a caller that keeps it. */
  seedObject(o: WorkloadObject, key = keyOf(o)): boolean {
    return this.storeObjectWith(o, null, key);
  }

  /** Stores a node's Lease, renewed at `renewUs`, before the simulation starts (seedObject). */
  seedLease(lease: NodeLease, renewUs: number): boolean {
    this.core.leases.set(lease.key, lease);
    const o = lease.object(renewUs);
    const ok = this.storeObjectWith(o, null, lease.key);
    if (ok) lease.stored = o;
    return ok;
  }

  /** Creates a node's Lease, renewed at `renewUs` (a kubelet registering its node). */
  createLease(lease: NodeLease, renewUs: number): void {
    this.core.leases.set(lease.key, lease);
    this.write('api.create-object', lease.key, () => {
      const o = lease.object(renewUs);
      if (this.storeObjectWith(o, null, lease.key)) lease.stored = o;
    });
  }

  /** Renews a node's Lease: an update of the stored Lease's spec.renewTime to `renewUs`, the
   * same write and commit as updateObject's, made in place on the stored object (see NodeLease)
   * and told as leaseRenewed. Nothing happens when there is no Lease (NotFound). `answered`
   * runs at the commit (the kubelet's call returns), told whether there was a Lease. */
  renewLease(lease: NodeLease, renewUs: number, answered?: (found: boolean) => void): void {
    this.write('api.update-object', lease.key, () => {
      const stored = lease.stored;
      if (stored !== null) {
        answered?.(true);
        (stored.spec as { renewTime: number }).renewTime = renewUs;
        this.notify('leaseRenewed', lease, renewUs);
        return;
      }
      // Not known: updateObject's replacement, told as such; renewals change the new object
      // in place from now on.
      const old = this.cluster.objects.get(lease.key);
      answered?.(old !== undefined);
      if (old === undefined) return;
      const o = lease.object(renewUs);
      this.cluster.objects.set(lease.key, o);
      this.core.leases.set(lease.key, lease);
      lease.stored = o;
      this.notify('objectUpdated', lease.object(renewUs), old); // a copy: `o` changes with later renewals
    });
  }

  /** The NodeLease of a node's Lease, once its kubelet has seeded or created it. */
  nodeLease(node: string): NodeLease | undefined {
    return this.core.leases.get(objectKey(LEASE_KIND, LEASE_NAMESPACE, node));
  }

  /** A Lease key written by another path than the NodeLease methods: its stored object is no
   * longer the one the NodeLease knows. */
  private forgetLease(kind: string, key: string): void {
    if (kind !== LEASE_KIND) return;
    const lease = this.core.leases.get(key);
    if (lease !== undefined) lease.stored = null;
  }

  /** Stores `o` unless its key is taken; `tell` tells of it at once (the start state), else it
   * is notified as a commit. */
  private storeObjectWith(o: WorkloadObject, tell: ((f: (w: ClusterWatcher) => void) => void) | null, key = keyOf(o)): boolean {
    if (this.cluster.objects.has(key)) return false;
    this.forgetLease(o.kind, key);
    this.cluster.objects.set(key, o);
    if (o.kind === 'Namespace') {
      this.cluster.setNamespace(o.metadata.name, o.metadata.labels ?? {});
      this.core.namespacesDeclared = true;
    }
    if (tell === null) this.notify('objectAdded', o);
    else tell((w) => w.objectAdded?.(o));
    return true;
  }

  /** Changes a node (taints, readiness, labels, cordon) through the API. `change` a function:
   * a patch, merged into the node as stored when the write commits (kubectl apply's PATCH: a
   * ksim-events apply); it returns null when the API server refuses the result (Invalid). `done`
   * says whether the node was updated (false: not found, or refused). */
  updateNode(name: string, change: NodeChange | ((stored: NodeInfo) => NodeChange | null), done?: (ok: boolean) => void): void {
    this.write('api.update-node', name, () => {
      const stored = this.cluster.nodeByName.get(name);
      const c = stored === undefined ? null : typeof change === 'function' ? change(stored) : change;
      if (stored === undefined || c === null) {
        done?.(false);
        return;
      }
      const before = snapshotNode(stored);
      const n = this.cluster.updateNode(name, c);
      if (n.ready && !before.ready) n.readySinceUs = this.sim.now;
      const after = snapshotNode(n);
      this.notify('nodeUpdated', n, before, after);
      done?.(true);
    });
  }

  /** Registers a node. A node of that name already there (a second create sent before the
   * first committed) is refused as AlreadyExists, told as writeRejected. */
  addNode(node: Node, pool: string): void {
    const name = node.metadata?.name ?? '';
    this.write('api.create-node', name, () => {
      if (this.cluster.nodeByName.has(name)) {
        this.notify('writeRejected', `Node ${name}`, `nodes "${name}" already exists`, 'create');
        return;
      }
      const n = this.cluster.addNode(node, pool);
      this.notify('nodeAdded', n, false);
    });
  }

  /** Deletes a Node object (a ksim-events delete: a node scaled down or replaced). The node
   * leaves the cluster at the commit (ClusterState.removeNode: the scheduler no longer offers
   * it); its pods stay in the store, bound to a node that no longer exists, until the pod garbage
   * collector deletes them (podgc.ts gcOrphaned); every watcher hears nodeDeleted. `done(false)`
   * when there is no node of that name (NotFound). */
  deleteNode(name: string, done?: (ok: boolean) => void): void {
    this.write('api.delete-node', name, () => {
      if (!this.cluster.nodeByName.has(name)) {
        done?.(false);
        return;
      }
      const n = this.cluster.removeNode(name, this.sim.now);
      this.notify('nodeDeleted', n);
      done?.(true);
    });
  }
}
