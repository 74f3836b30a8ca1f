// The kubelets of all nodes: start a pod after a startup latency once its binding is seen, and
// complete it when its run duration (a property of the scenario workload) has elapsed. With
// leases on, each node's kubelet also renews its Lease (kube-node-lease/<node>) through the API
// as client `kubelet/<node>` every renewInterval (upstream nodeLeaseDurationSeconds 40 s,
// renewed every 10 s = 1/4 of it: pkg/kubelet/nodelease, component-helpers/apimachinery/lease).
//
// Node faults (src/faults/): a crashed node's kubelet does nothing (no renewals, no starts or
// completions; its pods' timers are dropped). A partitioned node's kubelet cannot reach the
// API: no renewals, and it does not see new bindings; pods already running keep running and
// status writes it would make are held until the partition heals. On recovery / heal the
// kubelet renews at once and (re)starts its bound pods: after a crash, Running pods are
// restarted containers (a fresh run duration), Pending ones start after a startup latency.
import type { Simulation } from '../engine/simulation.js';
import type { PodInfo, PodPhase } from '../cluster/pod-info.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { SimEvent } from '../engine/event-queue.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import type { RandomStream } from '../engine/random.js';

export const LEASE_KIND = 'Lease';
export const LEASE_NAMESPACE = 'kube-node-lease';
/** Upstream kubelet nodeLeaseDurationSeconds default. */
export const LEASE_DURATION_S = 40;
/** Renew interval: 1/4 of the lease duration (upstream nodelease.NewController: 10 s). */
export const LEASE_RENEW_INTERVAL_US = 10_000_000;

export interface KubeletOptions {
  /** Time from the binding to the pod running (image pull, sandbox, container start), µs. */
  startupLatencyUs(pod: PodInfo): number;
  /** How long the pod runs before it completes, µs; null runs forever. */
  runDurationUs(pod: PodInfo): number | null;
  /** Node leases: the stream that draws each node's renewal phase (uniform in [0, interval)).
   * Absent: no leases (unit tests of other components). */
  readonly leaseRng?: RandomStream;
}

export type KubeletState = 'up' | 'down' | 'partitioned';

/** The Lease object of a node, renewed at `renewUs` (simulated µs; upstream spec.renewTime is a
 * MicroTime, ksim keeps the simulated clock). */
export function leaseObject(node: string, renewUs: number): WorkloadObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: LEASE_KIND,
    metadata: { name: node, namespace: LEASE_NAMESPACE },
    spec: { holderIdentity: node, leaseDurationSeconds: LEASE_DURATION_S, renewTime: renewUs },
  };
}

export class Kubelets {
  private readonly timers = new Map<string, SimEvent>();
  /** Each node's kubelet writes as its own client (its own rate limit). */
  private readonly clients = new Map<string, ApiServer>();
  private readonly state = new Map<string, KubeletState>();
  /** Status writes held by a partition, per node, in order. */
  private readonly held = new Map<string, { p: PodInfo; phase: PodPhase }[]>();
  /** Lease renewals sent (for measurements). */
  leaseRenewals = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly opts: KubeletOptions,
    private readonly cluster?: ClusterState,
  ) {
    api.watch({
      podBound: (p) => {
        if (this.stateOf(p.nodeName ?? '') === 'up') this.startPod(p);
      },
      podPhaseChanged: (p) => {
        if (p.phase === 'Running' && this.stateOf(p.nodeName ?? '') !== 'down') this.runPod(p);
      },
      podDeleted: (p) => this.stopTimer(p),
    });
    const rng = opts.leaseRng;
    if (rng !== undefined && cluster !== undefined) {
      for (const n of cluster.nodes) {
        api.seedObject(leaseObject(n.name, 0));
        const phase = Math.floor(rng.next() * LEASE_RENEW_INTERVAL_US);
        this.scheduleRenewal(n.name, phase);
      }
      // A node that joins later registers itself and starts its lease at once.
      api.watch({
        nodeAdded: (n) => {
          this.client(n.name).createObject(leaseObject(n.name, this.sim.now));
          this.scheduleRenewal(n.name, LEASE_RENEW_INTERVAL_US);
        },
      });
    }
  }

  stateOf(node: string): KubeletState {
    return this.state.get(node) ?? 'up';
  }

  /** The node crashes: its kubelet stops renewing, starting and completing pods. */
  crash(node: string): void {
    this.state.set(node, 'down');
    this.held.delete(node);
    for (const p of this.podsOn(node)) this.stopTimer(p);
  }

  /** The node is cut from the control plane: pods keep running, the API hears nothing. */
  partition(node: string): void {
    if (this.stateOf(node) === 'up') this.state.set(node, 'partitioned');
  }

  /** The node is back (after a crash or a partition). */
  recover(node: string): void {
    const was = this.stateOf(node);
    if (was === 'up') return;
    this.state.set(node, 'up');
    this.renew(node);
    const held = this.held.get(node) ?? [];
    this.held.delete(node);
    for (const h of held) this.clientOf(h.p).setPodPhase(h.p, h.phase);
    for (const p of this.podsOn(node)) {
      if (!p.bound || this.timers.has(p.key)) continue;
      if (p.phase === 'Pending') this.startPod(p);
      else if (p.phase === 'Running' && was === 'down') this.runPod(p);
    }
  }

  private podsOn(node: string): PodInfo[] {
    return [...(this.cluster?.nodeByName.get(node)?.pods ?? [])];
  }

  private scheduleRenewal(node: string, delayUs: number): void {
    this.sim.schedule(delayUs, 'kubelet.lease', node, () => {
      if (this.stateOf(node) === 'up') this.renew(node);
      this.scheduleRenewal(node, LEASE_RENEW_INTERVAL_US);
    });
  }

  private renew(node: string): void {
    if (this.cluster?.nodeByName.has(node) !== true) return;
    this.leaseRenewals++;
    this.client(node).updateObject(leaseObject(node, this.sim.now));
  }

  private startPod(p: PodInfo): void {
    const delay = this.opts.startupLatencyUs(p);
    this.setTimer(p, this.sim.schedule(delay, 'kubelet.start', p.key, () => {
      this.timers.delete(p.key);
      this.report(p, 'Running');
    }));
  }

  private runPod(p: PodInfo): void {
    const d = this.opts.runDurationUs(p);
    if (d === null) return;
    this.setTimer(p, this.sim.schedule(d, 'kubelet.complete', p.key, () => {
      this.timers.delete(p.key);
      this.report(p, 'Succeeded');
    }));
  }

  private report(p: PodInfo, phase: PodPhase): void {
    const node = p.nodeName ?? '';
    if (this.stateOf(node) === 'partitioned') {
      let h = this.held.get(node);
      if (h === undefined) this.held.set(node, (h = []));
      h.push({ p, phase });
      return;
    }
    this.clientOf(p).setPodPhase(p, phase);
  }

  private clientOf(p: PodInfo): ApiServer {
    return this.client(p.nodeName ?? '');
  }

  private client(node: string): ApiServer {
    let c = this.clients.get(node);
    if (c === undefined) this.clients.set(node, (c = this.api.forClient(`kubelet/${node}`)));
    return c;
  }

  private setTimer(p: PodInfo, ev: SimEvent): void {
    this.stopTimer(p);
    this.timers.set(p.key, ev);
  }

  private stopTimer(p: PodInfo): void {
    const ev = this.timers.get(p.key);
    if (ev !== undefined) {
      this.sim.cancel(ev);
      this.timers.delete(p.key);
    }
  }
}
