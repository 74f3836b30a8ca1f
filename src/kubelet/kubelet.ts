// The kubelets of all nodes: start a pod after a startup latency once its binding is seen, and
// complete it when its run duration (a property of the scenario workload) has elapsed. With
// leases on, each node's kubelet also renews its Lease (kube-node-lease/<node>) through the API
// every renewInterval (upstream nodeLeaseDurationSeconds 40 s, renewed every 10 s = 1/4 of it:
// pkg/kubelet/nodelease, component-helpers/apimachinery/lease), one renewal in flight at a time
// (Kubelets.renew), as client `kubelet-heartbeat`:
// upstream's kubelet sends its lease and node status through a client of its own "with
// throttling disabled" (cmd/kubelet/app/server.go, heartbeatClientConfig.QPS = -1), so its
// kubeAPIQPS limit, which the pod status writes of client `kubelet/<node>` wait on, never
// delays a heartbeat.
//
// Node faults (src/faults/): a crashed node's kubelet does nothing (no renewals, no starts or
// completions; its pods' timers are dropped). A partitioned node's kubelet cannot reach the
// API: no renewals, and it does not see new bindings; pods already running keep running and
// status writes it would make are held until the partition heals, then sent as one write per
// pod with its latest status (upstream's status manager keeps the latest status per pod). On
// recovery / heal the kubelet renews at once and (re)starts its bound pods: after a crash,
// Running pods are restarted containers (a fresh run duration), Pending ones start after a
// startup latency.
//
// Container failures (KubeletOptions.containerFails): when a run ends the container may exit
// with an error. restartPolicy Never → the pod ends Failed. Always (the default) / OnFailure →
// the container is restarted in place after the CrashLoopBackOff delay, as upstream's
// kuberuntime doBackOff (pkg/kubelet/kuberuntime/kuberuntime_manager.go) with
// flowcontrol.Backoff (client-go util/flowcontrol/backoff.go) and backOffPeriod 10 s /
// MaxContainerBackOff 300 s (pkg/kubelet/kubelet.go): the first crash restarts at once and sets
// the backoff to 10 s; each later crash waits the current backoff, then doubles it (cap 5 min);
// a crash more than 2 × 5 min = 10 min after the last restart starts again from 10 s (the
// container ran 10 min without failing). The pod stays bound with its resources held and its
// phase stays Running (as upstream: the container is Waiting/CrashLoopBackOff, the pod phase
// does not change); restarts are counted per pod (PodInfo.restarts, which ReplicaSets read when
// scaling down) and in total. Each restart makes one status write with the new restartCount
// (ApiServer.setPodRestarts; upstream's status manager writes the changed containerStatuses),
// which a Job with restartPolicy OnFailure counts against its backoffLimit; held while the node
// is cut off, as phase writes are. A restart draws a fresh run duration; no startup latency.
//
// Image pulls (KubeletOptions.imagePullUs): a pod's start waits, on top of its startup latency,
// for the pull of each of its images (init and app containers) its node does not hold yet. A
// node holds the images of its status.images and every image pulled on it since (a kubelet-side
// set: status.images is not updated, so the scheduler's ImageLocality does not see pulls). Pulls
// on a node are serialized (upstream serializeImagePulls defaults to true:
// pkg/kubelet/images/puller.go serialImagePuller): a pull starts when the node's previous pull
// ends; a pod needing an image already being pulled waits for that pull. Names are compared
// after ImageLocality's normalisation (":latest" added when untagged). imagePullPolicy is not
// read: a present image is never pulled again.
//
// Admission (upstream pkg/kubelet/lifecycle/predicate.go, resources only): a pod created with
// spec.nodeName on a node it does not fit (a DaemonSet's template naming its node) is stored bound
// but on no node's books (ClusterState.holdUnadmitted); the kubelet that hears it places it when
// it fits by then, else refuses it: phase Failed, reason OutOfcpu (OutOfmemory, OutOfpods, ...)
// and message "Pod was rejected: Node didn't have enough resource: ..." (admissionFailure). A
// kubelet down or cut off decides when it is back; a node that joins again under a deleted one's
// name admits or refuses the pods still bound to the name alike.
//
// Pod spec.activeDeadlineSeconds (upstream pkg/kubelet/active_deadline.go): a pod active longer
// than that since status.startTime — set when the kubelet first handles the pod (its status
// manager), here when it hears the binding, or the snapshot's startTime — is failed by its
// kubelet: containers stopped, phase Failed, reason DeadlineExceeded. Checked exactly at the
// deadline (upstream: on its 1 s pod sync loop). A crashed kubelet checks again when back.
import type { OrderedStream, Simulation } from '../engine/simulation.js';
import { addTimeUs } from '../engine/time.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import { maxContainerRestarts, startTimeUs, type PodInfo, type PodPhase } from '../cluster/pod-info.js';
import { admissionFailure, type ClusterState } from '../cluster/cluster-state.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { SimEvent } from '../engine/event-queue.js';
import { LEASE_RENEW_INTERVAL_US, NodeLease } from '../controlplane/node-lease.js';
import type { RandomStream } from '../engine/random.js';
import { normalizedImageName } from '../api/images.js';

export interface KubeletOptions {
  /** Time from the binding to the pod running (image pull, sandbox, container start), µs. */
  startupLatencyUs(pod: PodInfo): number;
  /** How long the pod runs before it completes, µs; null runs forever. */
  runDurationUs(pod: PodInfo): number | null;
  /** Node leases: the stream that draws each node's renewal phase (uniform in [0, interval)).
   * Absent: no leases (unit tests of other components). */
  readonly leaseRng?: RandomStream;
  /** Asked when a pod's run ends: true when its container exits with an error. Absent: never. */
  containerFails?(pod: PodInfo): boolean;
  /** Time to pull one image onto a node, µs. Absent: pulls take no time. */
  imagePullUs?(image: string, node: string): number;
}

interface PodReason {
  readonly reason: string;
  readonly message: string;
}

/** Upstream active_deadline.go: reason and message of a pod past its activeDeadlineSeconds. */
const DEADLINE_EXCEEDED: PodReason = { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' };

/** Upstream kubelet backOffPeriod (first CrashLoopBackOff delay), pkg/kubelet/kubelet.go. */
export const CRASHLOOP_INITIAL_BACKOFF_US = 10_000_000;
/** Upstream MaxContainerBackOff, pkg/kubelet/kubelet.go. */
export const CRASHLOOP_MAX_BACKOFF_US = 300_000_000;

/** flowcontrol.Backoff entry of one container (pod: ksim pods have one modelled container). */
interface BackoffEntry {
  backoffUs: number;
  lastUpdateUs: number;
}

export type KubeletState = 'up' | 'down' | 'partitioned';

/** What the kubelets keep per node, in one record: a lease renewal reads it and nothing else
 * of the kubelets (a map lookup per field cost a cache miss each on 65,000 nodes). */
interface NodeKubelet {
  readonly name: string;
  state: KubeletState;
  /** Whether its node is in the cluster (kept by the cluster index Kubelets registers): a
   * renewal reads this instead of looking the name up among 65,000 nodes. */
  present: boolean;
  /** Its Node object was deleted (ApiServer.deleteNode): the machine is gone, its kubelet with
   * it (state down) until a node of that name joins again. */
  gone: boolean;
  /** The node's kubelet as an API client (its own rate limit), made at its first write. */
  client: ApiServer | null;
  /** Its Lease (what the API server keeps of it, see NodeLease), the renewal timer's action
   * and event, whether a renewal is in flight (sent, not answered) and the action that clears it. */
  lease: { readonly api: NodeLease; readonly tick: () => void; event: SimEvent | null; renewing: boolean; readonly answered: (found: boolean) => void } | null;
}

export class Kubelets {
  /** Per node: state, API client and lease (NodeKubelet). */
  private readonly perNode = new Map<string, NodeKubelet>();
  /** Kubelets not up (down or partitioned): while there are none, stateOf answers without a
   * lookup (it is asked several times per pod). */
  private notUp = 0;
  /** Per node cut off by a partition: the latest status of each pod whose status write it
   * holds, in the order of each pod's first held write. */
  private readonly held = new Map<string, Map<PodInfo, HeldStatus>>();
  /** Pods with spec.activeDeadlineSeconds: when their kubelet accepted them, and the timer. */
  private readonly deadlines = new Map<PodInfo, { readonly fromUs: number; ev: SimEvent | null }>();
  /** Lease renewals sent (for measurements). */
  leaseRenewals = 0;
  private leaseStream: OrderedStream | null = null;
  /** Container restarts made (all pods, for the summary). */
  containerRestarts = 0;
  private readonly backoffs = new Map<string, BackoffEntry>();
  /** Per node: each image it holds or is pulling → when it is (was) there, µs. */
  private readonly images = new Map<string, Map<string, number>>();
  /** Per node: when its image puller is free, µs. */
  private readonly pullerFreeUs = new Map<string, number>();
  /** Image pulls started (all nodes). */
  imagePulls = 0;
  /** The kubelets' heartbeat client (leases): not rate limited, as upstream's. */
  private readonly heartbeat: ApiServer;

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly opts: KubeletOptions,
    private readonly cluster?: ClusterState,
  ) {
    this.heartbeat = api.forClient('kubelet-heartbeat');
    api.watch({
      podBound: (p) => {
        if (this.stateOf(p.nodeName ?? '') === 'up' && this.admit(p)) {
          this.startPod(p);
          this.armDeadline(p);
        }
      },
      podPhaseChanged: (p) => {
        if (p.phase === 'Running' && !p.terminating && this.stateOf(p.nodeName ?? '') !== 'down') this.runPod(p);
        if (p.terminal) this.dropDeadline(p);
      },
      // A graceful deletion: a kubelet that hears it stops the pod; one that is down or cut off
      // does so when it is back (recover), so until then the pod stays Terminating.
      podTerminating: (p) => {
        this.dropDeadline(p);
        if (this.stateOf(p.nodeName ?? '') === 'up') this.terminate(p, false);
      },
      podDeleted: (p) => {
        this.dropDeadline(p);
        this.stopTimer(p);
        if (this.backoffs.size > 0) this.backoffs.delete(p.key); // most runs have no crash loops
      },
    });
    if (cluster !== undefined) {
      // Which nodes are in the cluster, as it changes. A node update leaves its presence as it is
      // (nodeUpdated: else the index hears a removal and an addition). A node removed (its Node
      // object deleted) takes its kubelet with it, at the commit: its pods' timers stop.
      cluster.addIndex({
        nodeAdded: (n) => {
          const k = this.perNode.get(n.name);
          if (k !== undefined) k.present = true;
        },
        nodeRemoved: (n) => this.nodeGone(n.name),
        nodeUpdated: () => {},
      });
      // A node of a deleted node's name joins again: a new kubelet (rejoin).
      api.watch({
        nodeAdded: (n, atStart) => {
          if (!atStart && this.perNode.get(n.name)?.gone === true) this.rejoin(n.name);
        },
      });
    }
    const rng = opts.leaseRng;
    if (rng !== undefined && cluster !== undefined) {
      api.watch({
        nodeAdded: (n, atStart) => {
          if (atStart) {
            // A snapshot's node that is not Ready: its kubelet is not posting, and stays so.
            if (!n.ready) this.crash(n.name);
            // A node of the start state holds its lease already; renewals start at a random
            // phase so that the nodes do not renew in lockstep.
            const k = this.kubelet(n.name);
            api.seedLease(this.lease(k).api, 0);
            this.scheduleRenewal(k, Math.floor(rng.next() * LEASE_RENEW_INTERVAL_US));
            return;
          }
          // A node that joins later registers itself and starts its lease at once.
          const k = this.kubelet(n.name);
          this.heartbeat.createLease(this.lease(k).api, this.sim.now);
          this.scheduleRenewal(k, LEASE_RENEW_INTERVAL_US);
        },
      });
    }
  }

  stateOf(node: string): KubeletState {
    if (this.notUp === 0) return 'up';
    return this.perNode.get(node)?.state ?? 'up';
  }

  /** A node's record, made at its first use. */
  private kubelet(node: string): NodeKubelet {
    let k = this.perNode.get(node);
    if (k === undefined) this.perNode.set(node, (k = { name: node, state: 'up', present: this.cluster?.nodeByName.has(node) === true, gone: false, client: null, lease: null }));
    return k;
  }

  /** The node crashes: its kubelet stops renewing, starting and completing pods. */
  crash(node: string): void {
    const k = this.kubelet(node);
    if (k.state === 'up') this.notUp++;
    k.state = 'down';
    this.held.delete(node);
    for (const p of this.podsOn(node)) {
      this.stopTimer(p);
      const d = this.deadlines.get(p);
      if (d?.ev != null) {
        this.sim.cancel(d.ev);
        d.ev = null;
      }
    }
  }

  /** The node is cut from the control plane: pods keep running, the API hears nothing. */
  partition(node: string): void {
    const k = this.kubelet(node);
    if (k.state !== 'up') return;
    k.state = 'partitioned';
    this.notUp++;
  }

  /** The node's Node object was deleted: its machine and kubelet are gone (as a crash that
   * never ends): no renewals, no status writes; the pods that were on it (now orphans,
   * ClusterState.orphansOf) stop running and stay as they are in the store until the pod
   * garbage collector deletes them. */
  private nodeGone(node: string): void {
    const k = this.kubelet(node);
    k.present = false;
    k.gone = true;
    if (k.state === 'up') this.notUp++;
    k.state = 'down';
    this.held.delete(node);
    // Its lease timer stops with it (a deleted node's kubelet renews nothing); a node that joins
    // under the name again starts a new one from its join (the lease watch's nodeAdded).
    if (k.lease !== null && k.lease.event !== null) {
      this.sim.cancel(k.lease.event);
      k.lease.event = null;
    }
    for (const p of this.cluster?.orphansOf(node) ?? []) {
      this.stopTimer(p);
      const d = this.deadlines.get(p);
      if (d?.ev != null) {
        this.sim.cancel(d.ev);
        d.ev = null;
      }
    }
  }

  /** A node joins under the name of a deleted one: its new kubelet runs the pods bound to that
   * name that ClusterState.addNode placed on it (upstream: a kubelet runs every pod whose
   * spec.nodeName is its node) — Pending ones start after a startup latency, Running ones get a
   * fresh container (a new run duration), Terminating ones are stopped and deleted at once —
   * and admits or refuses those that did not fit (admitOrphans). */
  private rejoin(node: string): void {
    const k = this.kubelet(node);
    k.gone = false;
    if (k.state !== 'up') {
      k.state = 'up';
      this.notUp--;
    }
    this.admitOrphans(node);
    for (const p of this.podsOn(node)) {
      if (p.terminating) {
        if (p.kubeletTimer?.kind !== 'kubelet.terminate') this.terminate(p, true);
        continue;
      }
      if (!p.bound || p.terminal || p.kubeletTimer !== null) continue;
      this.armDeadline(p);
      if (p.phase === 'Pending') this.startPod(p);
      else if (p.phase === 'Running') this.runPod(p);
    }
  }

  /** The pods bound to `node` that are not on its books (orphans: ClusterState.addNode found no
   * room for them on a node that joined again, or created bound to it though they did not fit,
   * while its kubelet could not hear it), when its kubelet is back: admitted (placed on the
   * books, for the caller to start) or refused (admit); those being deleted are removed. */
  private admitOrphans(node: string): void {
    for (const p of [...(this.cluster?.orphansOf(node) ?? [])]) {
      if (!p.bound || p.terminal) continue;
      if (p.terminating) {
        if (p.kubeletTimer?.kind !== 'kubelet.terminate') this.terminate(p, true);
      } else this.admit(p);
    }
  }

  /** The kubelet's admission of a pod bound to its node (upstream pkg/kubelet/lifecycle/
   * predicate.go predicateAdmitHandler, resources only): true for a pod on the node's books;
   * an orphan of its node — created bound to it though it did not fit (ApiServer.createPod), or
   * left by a node of that name that was removed — is placed on the books when it fits now, else
   * refused: phase Failed, reason OutOfcpu (OutOfmemory, OutOfpods, ...) and the message
   * "Pod was rejected: Node didn't have enough resource: cpu, requested: …" (kubelet.go
   * rejectPod; admissionFailure). Not modelled: the critical-pod preemption
   * (HandleAdmissionFailure), which evicts pods for a system-node-critical pod. */
  private admit(p: PodInfo): boolean {
    const c = this.cluster;
    if (c === undefined || !c.isOrphan(p)) return true;
    const n = c.nodeByName.get(p.nodeName ?? '');
    if (n === undefined) return false;
    const failure = admissionFailure(n, p);
    if (failure === null) {
      c.admit(p, n);
      return true;
    }
    this.report(p, 'Failed', failure);
    return false;
  }

  /** The node is back (after a crash or a partition). */
  recover(node: string): void {
    const k = this.kubelet(node);
    const was = k.state;
    if (was === 'up' || k.gone) return;
    k.state = 'up';
    this.notUp--;
    this.renew(k);
    const held = this.held.get(node);
    this.held.delete(node);
    /** Pods whose containers ended while the node was cut off (their phase write was held). */
    let ended: Set<PodInfo> | null = null;
    // Upstream's status manager keeps only each pod's latest status (podStatuses, by pod UID) and
    // its syncBatch writes that once (pkg/kubelet/status/status_manager.go): one write per pod,
    // not one per change held.
    if (held !== undefined) {
      for (const [p, h] of held) {
        this.clientOf(p).setPodStatus(p, h.phase, h.reason, h.restarts);
        if (h.phase === 'Succeeded' || h.phase === 'Failed') (ended ??= new Set()).add(p);
      }
    }
    this.admitOrphans(node);
    for (const p of this.podsOn(node)) {
      if (p.bound && !p.terminal && !p.terminating) this.armDeadline(p);
      if (p.terminating) {
        // Deleted while the kubelet could not hear it: stopped now (its run's or start's timer
        // replaced), unless its stop is already under way. After a crash its containers are
        // already gone; after a partition they still run, unless they ended meanwhile.
        if (p.kubeletTimer?.kind !== 'kubelet.terminate') this.terminate(p, was === 'down' || ended?.has(p) === true);
        continue;
      }
      if (!p.bound || p.kubeletTimer !== null) continue;
      if (p.phase === 'Pending') this.startPod(p);
      else if (p.phase === 'Running' && was === 'down') this.runPod(p);
    }
  }

  private podsOn(node: string): PodInfo[] {
    return [...(this.cluster?.nodeByName.get(node)?.pods ?? [])];
  }

  private scheduleRenewal(k: NodeKubelet, delayUs: number): void {
    const lease = this.lease(k);
    // One timer per node name (nodeGone stops it: a node that joins again starts a new one).
    if (lease.event !== null) return;
    lease.event = (this.leaseStream as OrderedStream).scheduleAt(addTimeUs(this.sim.now, delayUs), 'kubelet.lease', k.name, lease.tick);
  }

  /** One renewal at a time per node: upstream's lease controller renews from one loop
   * (component-helpers/apimachinery/lease/controller.go: wait.JitterUntil(c.sync, renewInterval,
   * ..., sliding true) runs sync again only after it returned) and its Update blocks until
   * answered or until the heartbeat client's timeout, min(nodeStatusUpdateFrequency 10 s,
   * nodeLeaseDurationSeconds 40 s) = 10 s (cmd/kubelet/app/server.go heartbeatClientConfig.Timeout),
   * after which retryUpdateLease tries again. ksim's etcd cannot withdraw a write it has queued, so
   * the renewal still queued stands for that retry: a tick that finds it unanswered (10 s on: the
   * timeout has passed) sends nothing, and renewals do not pile up behind a stalled etcd. */
  private renew(k: NodeKubelet): void {
    if (!k.present) return;
    const lease = this.lease(k);
    if (lease.renewing) return;
    lease.renewing = true;
    this.leaseRenewals++;
    this.heartbeat.renewLease(lease.api, this.sim.now, lease.answered);
  }

  /** A node's lease, made once. Renewals are most of an idle cluster's events:
   * - each is scheduled a fixed interval after the one before, in the order they run, so after
   *   the first round (random phases) they come in time order, and a FIFO lane of the event queue
   *   takes them instead of its heap, in the same order;
   * - one timer action and one event object per node (scheduled again each period), so nothing
   *   per renewal lives the 10 s to the next one but the Lease object itself. */
  private lease(k: NodeKubelet): NonNullable<NodeKubelet['lease']> {
    if (k.lease !== null) return k.lease;
    const stream = (this.leaseStream ??= this.sim.orderedStream());
    const lease: NonNullable<NodeKubelet['lease']> = {
      api: new NodeLease(k.name),
      tick: () => {
        if (k.state === 'up') this.renew(k);
        lease.event = stream.scheduleAgain(lease.event as SimEvent, addTimeUs(this.sim.now, LEASE_RENEW_INTERVAL_US));
      },
      event: null,
      renewing: false,
      // A renewal that finds no Lease (deleted: the garbage collector deletes a deleted Node's
      // Lease, which a node joining again under the name may still have found) creates it anew:
      // upstream's lease controller falls back from the failed update to ensureLease, whose
      // Get finds none and creates one (component-helpers/apimachinery/lease/controller.go
      // sync, backoffEnsureLease; ksim skips the update's retries and the Get). Not without
      // leases (no leaseRng: unit tests of other components).
      answered: (found: boolean) => {
        lease.renewing = false;
        if (!found && k.present && k.state === 'up' && this.opts.leaseRng !== undefined) this.heartbeat.createLease(lease.api, this.sim.now);
      },
    };
    return (k.lease = lease);
  }

  // A pod's start and completion timers share one action each, with the pod as the event's
  // target: a closure per timer was two more objects per pod for the young-generation collector
  // to promote (a run timer lives as long as the pod runs).
  private readonly started = (p: PodInfo): void => {
    p.kubeletTimer = null;
    this.report(p, 'Running');
  };

  private readonly completed = (p: PodInfo): void => {
    p.kubeletTimer = null;
    if (this.opts.containerFails?.(p) === true) this.containerFailed(p);
    else this.report(p, 'Succeeded');
  };

  private startPod(p: PodInfo): void {
    // status.startTime: set at the kubelet's first handling of the pod, before its images are
    // pulled and its containers started, and never changed after (upstream status_manager.go
    // updateStatusInternal keeps oldStatus.StartTime): a kubelet starting it again after a crash
    // keeps it. Preemption orders victims by it (util.MoreImportantPod / GetPodStartTime).
    if (p.acceptedUs < 0) p.acceptedUs = this.sim.now;
    const delay = this.opts.startupLatencyUs(p) + this.pullWaitUs(p);
    this.setTimer(p, this.sim.schedule(delay, 'kubelet.start', p.key, this.started, p));
  }

  private runPod(p: PodInfo): void {
    const d = this.opts.runDurationUs(p);
    if (d === null) return;
    this.setTimer(p, this.sim.schedule(d, 'kubelet.complete', p.key, this.completed, p));
  }

  /** How long the pod's images take to be on its node from now (queued serial pulls). */
  private pullWaitUs(p: PodInfo): number {
    const pull = this.opts.imagePullUs;
    if (pull === undefined) return 0;
    const node = p.nodeName ?? '';
    const held = this.imagesOf(node);
    const now = this.sim.now;
    let ready = now;
    const spec = p.pod.spec;
    // Init containers first (their pulls queue first), then app containers; no list made per pod.
    const init = spec?.initContainers;
    if (init !== undefined) for (let i = 0; i < init.length; i++) ready = this.pulled(init[i] as Container, node, held, pull, ready);
    const app = spec?.containers;
    if (app !== undefined) for (let i = 0; i < app.length; i++) ready = this.pulled(app[i] as Container, node, held, pull, ready);
    return ready - now;
  }

  /** When container `c`'s image is on `node` (a pull queued now when it is neither there nor
   * coming), or `ready` if that is later. */
  private pulled(c: Container, node: string, held: Map<string, number>, pull: (image: string, node: string) => number, ready: number): number {
    if (c.image === undefined || c.image === '') return ready;
    const img = normalizedImageName(c.image);
    let at = held.get(img);
    if (at === undefined) {
      const start = Math.max(this.sim.now, this.pullerFreeUs.get(node) ?? 0);
      at = start + Math.max(0, pull(img, node));
      this.pullerFreeUs.set(node, at);
      held.set(img, at);
      this.imagePulls++;
    }
    return at > ready ? at : ready;
  }

  private imagesOf(node: string): Map<string, number> {
    let m = this.images.get(node);
    if (m === undefined) {
      m = new Map();
      for (const img of this.cluster?.nodeByName.get(node)?.node.status?.images ?? []) for (const n of img.names ?? []) m.set(normalizedImageName(n), 0);
      this.images.set(node, m);
    }
    return m;
  }

  /** Times pod `p`'s activeDeadlineSeconds from its acceptance (kept across a crash). */
  private armDeadline(p: PodInfo): void {
    const ads = p.pod.spec?.activeDeadlineSeconds;
    if (typeof ads !== 'number') return;
    let d = this.deadlines.get(p);
    if (d === undefined) this.deadlines.set(p, (d = { fromUs: startTimeUs(p) ?? this.sim.now, ev: null }));
    if (d.ev !== null) return;
    const entry = d;
    entry.ev = this.sim.scheduleAt(Math.max(this.sim.now, addTimeUs(d.fromUs, ads * 1_000_000)), 'kubelet.deadline', p.key, () => {
      entry.ev = null;
      if (p.deleted || p.terminal || p.terminating || this.stateOf(p.nodeName ?? '') === 'down') return;
      this.deadlines.delete(p);
      this.stopTimer(p); // its containers are killed
      this.report(p, 'Failed', DEADLINE_EXCEEDED);
    });
  }

  private dropDeadline(p: PodInfo): void {
    if (this.deadlines.size === 0) return;
    const d = this.deadlines.get(p);
    if (d === undefined) return;
    if (d.ev !== null) this.sim.cancel(d.ev);
    this.deadlines.delete(p);
  }

  /** The container exited with an error (see the header comment). */
  private containerFailed(p: PodInfo): void {
    if ((p.pod.spec?.restartPolicy ?? 'Always') === 'Never') return this.report(p, 'Failed');
    const now = this.sim.now;
    const e = this.backoffs.get(p.key);
    // IsInBackOffSince(key, finishedAt = now): an entry not expired holds the restart for its backoff.
    const delay = e !== undefined && !backoffExpired(now, e.lastUpdateUs) ? e.backoffUs : 0;
    this.setTimer(p, this.sim.schedule(delay, 'kubelet.restart', p.key, () => {
      p.kubeletTimer = null;
      // backOff.Next(key, finishedAt): reset when expired, else double (capped); lastUpdate = now.
      const cur = this.backoffs.get(p.key);
      const backoffUs = cur === undefined || backoffExpired(now, cur.lastUpdateUs) ? CRASHLOOP_INITIAL_BACKOFF_US : Math.min(cur.backoffUs * 2, CRASHLOOP_MAX_BACKOFF_US);
      this.backoffs.set(p.key, { backoffUs, lastUpdateUs: this.sim.now });
      p.restarts++;
      this.containerRestarts++;
      this.runPod(p);
      this.reportRestarts(p);
    }));
  }

  /** Stops a Terminating pod: its containers get their grace period (only Running ones have
   * any to stop), then the kubelet deletes the pod object for good (upstream: the kubelet's
   * status manager deletes it with grace period 0 once its containers are gone). A kubelet cut
   * off from the API holds that delete until the partition heals. */
  private terminate(p: PodInfo, containersGone: boolean): void {
    let delay = containersGone || p.phase !== 'Running' ? 0 : p.terminationGracePeriodUs;
    // A snapshot's pod being deleted: its kubelet heard of the deletion when it was asked for and
    // kills its containers when the grace period runs out, at the deletionTimestamp (the request's
    // time plus the grace period, k8s.io/apiserver pkg/registry/rest/delete.go BeforeDelete), so
    // what is left of it at t = 0 is that time less the snapshot's (never more than the period).
    const ends = p.past?.graceEndsUs;
    if (ends !== undefined && delay > 0) {
      const left = ends - this.sim.now;
      delay = left <= 0 ? 0 : left < delay ? left : delay;
    }
    this.setTimer(p, this.sim.schedule(delay, 'kubelet.terminate', p.key, () => {
      p.kubeletTimer = null;
      if (this.stateOf(p.nodeName ?? '') === 'up') this.clientOf(p).deletePod(p, p.deletionReason, true);
    }));
  }

  private report(p: PodInfo, phase: PodPhase, reason?: PodReason): void {
    const h = this.heldStatus(p);
    if (h !== null) {
      h.phase = phase;
      h.reason = reason;
      return;
    }
    this.clientOf(p).setPodPhase(p, phase, reason);
  }

  /** The status write of a restart: its new restartCount (the snapshot's count plus the run's),
   * which a Job with restartPolicy OnFailure counts against backoffLimit. */
  private reportRestarts(p: PodInfo): void {
    const restarts = maxContainerRestarts(p);
    const h = this.heldStatus(p);
    if (h !== null) {
      h.restarts = restarts;
      return;
    }
    this.clientOf(p).setPodRestarts(p, restarts);
  }

  /** While the pod's node is cut off from the API, the status the kubelet holds for it (made at
   * its first held write), which a new status write updates; null when the node is not cut off. */
  private heldStatus(p: PodInfo): HeldStatus | null {
    const node = p.nodeName ?? '';
    if (this.stateOf(node) !== 'partitioned') return null;
    let byPod = this.held.get(node);
    if (byPod === undefined) this.held.set(node, (byPod = new Map()));
    let h = byPod.get(p);
    if (h === undefined) byPod.set(p, (h = { phase: null, reason: undefined, restarts: null }));
    return h;
  }

  private clientOf(p: PodInfo): ApiServer {
    return this.client(p.nodeName ?? '');
  }

  private client(node: string): ApiServer {
    return this.clientOfNode(this.kubelet(node));
  }

  private clientOfNode(k: NodeKubelet): ApiServer {
    let c = k.client;
    if (c === null) k.client = c = this.api.forClient(`kubelet/${k.name}`);
    return c;
  }

  private setTimer(p: PodInfo, ev: SimEvent): void {
    this.stopTimer(p);
    p.kubeletTimer = ev;
  }

  private stopTimer(p: PodInfo): void {
    const ev = p.kubeletTimer;
    if (ev !== null) {
      this.sim.cancel(ev);
      p.kubeletTimer = null;
    }
  }
}

/** A pod's latest status held by a partition: its phase and its restartCount (null: neither
 * changed while the node was cut off). */
interface HeldStatus {
  phase: PodPhase | null;
  reason: PodReason | undefined;
  restarts: number | null;
}

/** flowcontrol hasExpired: more than 2 × maxDuration since the last update resets the backoff. */
function backoffExpired(eventUs: number, lastUpdateUs: number): boolean {
  return eventUs - lastUpdateUs > 2 * CRASHLOOP_MAX_BACKOFF_US;
}
