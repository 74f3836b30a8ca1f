// The kubelets of all nodes: start a pod after a startup latency once its binding is seen, and
// complete it when its run duration (a property of the scenario workload) has elapsed.
import type { Simulation } from '../engine/simulation.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { SimEvent } from '../engine/event-queue.js';

export interface KubeletOptions {
  /** Time from the binding to the pod running (image pull, sandbox, container start), µs. */
  startupLatencyUs(pod: PodInfo): number;
  /** How long the pod runs before it completes, µs; null runs forever. */
  runDurationUs(pod: PodInfo): number | null;
}

export class Kubelets {
  private readonly timers = new Map<string, SimEvent>();
  /** Each node's kubelet writes as its own client (its own rate limit). */
  private readonly clients = new Map<string, ApiServer>();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly opts: KubeletOptions,
  ) {
    api.watch({
      podBound: (p) => this.startPod(p),
      podPhaseChanged: (p) => {
        if (p.phase === 'Running') this.runPod(p);
      },
      podDeleted: (p) => this.stopTimer(p),
    });
  }

  private startPod(p: PodInfo): void {
    const delay = this.opts.startupLatencyUs(p);
    this.setTimer(p, this.sim.schedule(delay, 'kubelet.start', p.key, () => {
      this.timers.delete(p.key);
      this.clientOf(p).setPodPhase(p, 'Running');
    }));
  }

  private runPod(p: PodInfo): void {
    const d = this.opts.runDurationUs(p);
    if (d === null) return;
    this.setTimer(p, this.sim.schedule(d, 'kubelet.complete', p.key, () => {
      this.timers.delete(p.key);
      this.clientOf(p).setPodPhase(p, 'Succeeded');
    }));
  }

  private clientOf(p: PodInfo): ApiServer {
    const node = p.nodeName ?? '';
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
