// The physical floor (issue 13 item 4): the least work any simulator of SchedulingBasic must do
// per pod, hand-written over flat typed arrays: from a rotating start index, the NodeResourcesFit
// check (CPU, memory, pod count) until numFeasibleNodesToFind nodes fit, LeastAllocated's
// arithmetic on each (pkg/scheduler/framework/plugins/noderesources/least_allocated.go:
// (allocatable - requested) * 100 / allocatable, averaged over CPU and memory), the best one
// taken and charged. Nothing else: no plugins, queue, API, events or outputs. ksim's
// scheduling-only SchedulingBasic figure is reported as a fraction of this loop's.
import { numFeasibleNodesToFind } from '../src/scheduler/schedule-one.js';

const GI = 2 ** 30;

/** Pods placed per CPU second by the floor loop on SchedulingBasic's shape (nodes 4 CPU / 32Gi /
 * 110 pods; pods 100m / 500Mi; `init` pods placed untimed, then `measured` timed). */
export function floorPodsPerS(nodes = 5000, init = 1000, measured = 10_000): number {
  const allocCpu = new Float64Array(nodes).fill(4000);
  const allocMem = new Float64Array(nodes).fill(32 * GI);
  const allocPods = new Int32Array(nodes).fill(110);
  const reqCpu = new Float64Array(nodes);
  const reqMem = new Float64Array(nodes);
  const pods = new Int32Array(nodes);
  const podCpu = 100;
  const podMem = 500 * 2 ** 20;
  const toFind = numFeasibleNodesToFind(0, nodes);
  let start = 0;
  const place = (): void => {
    let found = 0;
    let best = -1;
    let bestScore = -1;
    let i = 0;
    for (; i < nodes && found < toFind; i++) {
      const n = (start + i) % nodes;
      if (pods[n]! + 1 > allocPods[n]! || reqCpu[n]! + podCpu > allocCpu[n]! || reqMem[n]! + podMem > allocMem[n]!) continue;
      found++;
      const cpu = ((allocCpu[n]! - reqCpu[n]! - podCpu) * 100) / allocCpu[n]!;
      const mem = ((allocMem[n]! - reqMem[n]! - podMem) * 100) / allocMem[n]!;
      const score = Math.trunc((Math.trunc(cpu) + Math.trunc(mem)) / 2);
      if (score > bestScore) {
        bestScore = score;
        best = n;
      }
    }
    start = (start + i) % nodes;
    if (best < 0) throw new Error('floor loop: no node fits');
    reqCpu[best] = reqCpu[best]! + podCpu;
    reqMem[best] = reqMem[best]! + podMem;
    pods[best] = pods[best]! + 1;
  };
  for (let p = 0; p < init; p++) place();
  // CPU time, as the workloads' per-CPU-second figures it is compared with.
  const c0 = process.cpuUsage();
  for (let p = 0; p < measured; p++) place();
  const c = process.cpuUsage(c0);
  return measured / ((c.user + c.system) / 1e6);
}

/** Best of `rounds` runs (the loop is short; the best is the least disturbed by other load). */
export function floorBest(rounds = 5): number {
  let best = 0;
  for (let r = 0; r < rounds; r++) best = Math.max(best, floorPodsPerS());
  return best;
}
