// Injects the scenario's scheduled faults: nodeDown / zoneOutage crash the nodes' kubelets
// (no lease renewals, pods stop), partition cuts the nodes from the control plane (pods keep
// running, leases stop), etcdLeaderLoss stalls etcd writes for the election timeout
// (EtcdModel.loseLeader). A fault with `for` ends then: the kubelets come back. A random
// failure (already expanded, spec.ts expandRandomFaults) is a nodeDown of one node. A
// kubeletFlap partitions its nodes for the first half of every period and heals them for the
// second half, from `at` until `at + for` (then they are healed for good).
import type { Simulation } from '../engine/simulation.js';
import { addTimeUs } from '../engine/time.js';
import type { Kubelets } from '../kubelet/kubelet.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { FaultSpec } from './spec.js';
import type { RecoveryTracker } from './recovery.js';

export function scheduleFaults(sim: Simulation, specs: readonly FaultSpec[], kubelets: Kubelets, api: ApiServer, tracker: RecoveryTracker): void {
  for (const f of specs) {
    sim.scheduleAt(f.atUs, 'fault.start', f.id, () => {
      tracker.faultStarted(f.id, sim.now);
      if (f.kind === 'etcdLeaderLoss') {
        api.etcd.loseLeader(sim.now);
        tracker.faultEnded(f.id, api.etcd.stalledUntilUs);
        return;
      }
      if (f.kind === 'kubeletFlap') {
        flap(sim, f, kubelets, tracker);
        return;
      }
      for (const n of f.nodes) {
        if (f.kind === 'partition') kubelets.partition(n);
        else kubelets.crash(n);
      }
      if (f.forUs === null) return;
      sim.schedule(f.forUs, 'fault.end', f.id, () => {
        tracker.faultEnded(f.id, sim.now);
        for (const n of f.nodes) kubelets.recover(n);
      });
    });
  }
}

function flap(sim: Simulation, f: FaultSpec, kubelets: Kubelets, tracker: RecoveryTracker): void {
  const period = f.periodUs as number;
  const endUs = addTimeUs(f.atUs, f.forUs as number);
  const down = Math.floor(period / 2);
  const cycle = (startUs: number): void => {
    for (const n of f.nodes) kubelets.partition(n);
    const upAt = Math.min(startUs + down, endUs);
    sim.scheduleAt(upAt, 'fault.flap-up', f.id, () => {
      for (const n of f.nodes) kubelets.recover(n);
      const next = startUs + period;
      if (next < endUs) sim.scheduleAt(next, 'fault.flap-down', f.id, () => cycle(next));
      else sim.scheduleAt(endUs, 'fault.end', f.id, () => tracker.faultEnded(f.id, sim.now));
    });
  };
  cycle(f.atUs);
}
