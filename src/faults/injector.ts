// Injects the scenario's scheduled faults: nodeDown / zoneOutage crash the nodes' kubelets
// (no lease renewals, pods stop), partition cuts the nodes from the control plane (pods keep
// running, leases stop), etcdLeaderLoss stalls etcd writes for the election timeout
// (EtcdModel.loseLeader). A fault with `for` ends then: the kubelets come back. A random
// failure (already expanded, spec.ts expandRandomFaults) is a nodeDown of one node. A
// kubeletFlap partitions its nodes for the first half of every period and heals them for the
// second half, from `at` until `at + for` (then they are healed for good). Faults that overlap
// on a node hold it together: it is back when the last of them ends (NodeHolds).
import type { Simulation } from '../engine/simulation.js';
import { addTimeUs } from '../engine/time.js';
import type { Kubelets } from '../kubelet/kubelet.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { FaultSpec } from './spec.js';
import type { RecoveryTracker } from './recovery.js';

export function scheduleFaults(sim: Simulation, specs: readonly FaultSpec[], kubelets: Kubelets, api: ApiServer, tracker: RecoveryTracker): void {
  const holds = new NodeHolds(kubelets);
  for (const f of specs) {
    sim.scheduleAt(f.atUs, 'fault.start', f.id, () => {
      tracker.faultStarted(f.id, sim.now);
      if (f.kind === 'etcdLeaderLoss') {
        api.etcd.loseLeader(sim.now);
        // Ends with the election: told then, so one that outlasts the run has no end in it.
        sim.scheduleAt(api.etcd.stalledUntilUs, 'fault.end', f.id, () => tracker.faultEnded(f.id, sim.now));
        return;
      }
      if (f.kind === 'kubeletFlap') {
        flap(sim, f, holds, tracker);
        return;
      }
      for (const n of f.nodes) holds.add(n, f.id, f.kind === 'partition' ? 'partitioned' : 'down');
      if (f.forUs === null) return;
      sim.schedule(f.forUs, 'fault.end', f.id, () => {
        tracker.faultEnded(f.id, sim.now);
        for (const n of f.nodes) holds.remove(n, f.id);
      });
    });
  }
}

/**
 * The faults holding each node: a node is down while any fault crashes it, else partitioned
 * while any cuts it off, else up. Faults on one node may overlap (a trace's machine failures,
 * a nodeDown inside a zoneOutage): the end of one does not bring the node back while another
 * still holds it.
 */
class NodeHolds {
  private readonly byNode = new Map<string, Map<string, 'down' | 'partitioned'>>();
  /** The state the faults put each node in (absent: up). */
  private readonly state = new Map<string, 'down' | 'partitioned'>();

  constructor(private readonly kubelets: Kubelets) {}

  add(node: string, fault: string, how: 'down' | 'partitioned'): void {
    let h = this.byNode.get(node);
    if (h === undefined) this.byNode.set(node, (h = new Map()));
    h.set(fault, how);
    this.apply(node);
  }

  remove(node: string, fault: string): void {
    const h = this.byNode.get(node);
    if (h === undefined || !h.delete(fault)) return;
    if (h.size === 0) this.byNode.delete(node);
    this.apply(node);
  }

  /** Moves the node's kubelet to the state its holds ask for. */
  private apply(node: string): void {
    const h = this.byNode.get(node);
    const want = h === undefined ? 'up' : [...h.values()].includes('down') ? 'down' : 'partitioned';
    const now = this.state.get(node) ?? 'up';
    if (want === now) return;
    if (want === 'up') this.state.delete(node);
    else this.state.set(node, want);
    if (want === 'down') this.kubelets.crash(node);
    else if (want === 'partitioned') {
      // From down, the kubelet comes back cut off (its pods restart; the API hears nothing).
      if (now === 'down') this.kubelets.recover(node);
      this.kubelets.partition(node);
    } else this.kubelets.recover(node);
  }
}

function flap(sim: Simulation, f: FaultSpec, holds: NodeHolds, tracker: RecoveryTracker): void {
  const period = f.periodUs as number;
  const endUs = addTimeUs(f.atUs, f.forUs as number);
  const down = Math.floor(period / 2);
  const cycle = (startUs: number): void => {
    for (const n of f.nodes) holds.add(n, f.id, 'partitioned');
    const upAt = Math.min(startUs + down, endUs);
    sim.scheduleAt(upAt, 'fault.flap-up', f.id, () => {
      for (const n of f.nodes) holds.remove(n, f.id);
      const next = startUs + period;
      if (next < endUs) sim.scheduleAt(next, 'fault.flap-down', f.id, () => cycle(next));
      else sim.scheduleAt(endUs, 'fault.end', f.id, () => tracker.faultEnded(f.id, sim.now));
    });
  };
  cycle(f.atUs);
}
