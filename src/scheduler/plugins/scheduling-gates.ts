// PreEnqueue: a pod with spec.schedulingGates stays out of the scheduling queue until they are
// removed (upstream pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go).
import type { PodInfo } from '../../cluster/pod-info.js';
import type { Plugin, PreEnqueuePlugin } from '../framework/interfaces.js';
import { Status, type Verdict } from '../framework/status.js';
import { SchedulingGates } from './names.js';

export class SchedulingGatesPlugin implements PreEnqueuePlugin {
  readonly name = SchedulingGates;

  preEnqueue(pod: PodInfo): Verdict {
    const gates = pod.pod.spec?.schedulingGates ?? [];
    if (gates.length === 0) return null;
    // Go's %v of a []string: "[a b]".
    return Status.unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`).withPlugin(SchedulingGates);
  }
}

export function newSchedulingGates(): Plugin {
  return new SchedulingGatesPlugin();
}
