// gpu_allocation.csv and summary.csv's GPU columns, driven by hand: pods created, placed on named
// devices and attempted, with every value worked out from the definitions in gpu-allocation.ts
// (FGD's ClusterGpuFragReport per row, merge_alloc_discrete.py's bins in the summary).
//
// The story: node g1 has 2 GPUs (capacity 2000 milli-GPU, 32 CPUs), node c1 none. The typical
// pod is one shape, 1 CPU and 500 milli-GPU on one device, so a device with less than 500 free
// is fragmented while some device still has 500 (and all idle GPU is when none has).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodInfo } from '../cluster/pod-info.js';
import { GPU_INDEX_ANNOTATION, GPU_MILLI_RESOURCE, gpuDevicesOf } from '../cluster/gpu-devices.js';
import { TypicalPods } from '../cluster/gpu-fragmentation.js';
import type { AttemptResult } from '../scheduler/scheduler.js';
import type { TypedRow } from './schema.js';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import { GpuAllocationCollector, roundHalfEven } from './gpu-allocation.js';

const S = 1_000_000;

test('roundHalfEven rounds as Python 3 round() does: halves to the even neighbour', () => {
  assert.deepEqual([0.5, 1.5, 2.5, 3.5, 2.4, 2.6, 100.5, 101.5, 7].map(roundHalfEven), [0, 2, 2, 4, 2, 3, 100, 102, 7]);
});

test('gpu_allocation.csv: arrived, allocated, idle and fragmented GPU after each first attempt; summary bins at 100 % and 130 %', () => {
  const cluster = buildCluster([
    makeNode('g1').capacity({ cpu: '32', memory: '64Gi', pods: 110, [GPU_MILLI_RESOURCE]: '2000' }).obj(),
    makeNode('c1').capacity({ cpu: '32', memory: '64Gi', pods: 110 }).obj(),
  ]);
  const devices = gpuDevicesOf(cluster);
  devices.typicalPods = new TypicalPods([{ cpuMilli: 1000, gpuMilli: 500, gpuCount: 1, models: [], freq: 1 }]);
  const rows: TypedRow[] = [];
  const gpu = new GpuAllocationCollector(cluster, devices, { add: (r) => rows.push(r) });
  let t = 0;
  /** Pod `name` asking `milli` milli-GPU is created; placed on g1's device `dev` (or c1 when
   * 'cpu', nowhere when null); then its scheduling attempt ends. */
  const pod = (name: string, milli: number, dev: number | 'cpu' | null): PodInfo => {
    const b = makePod(name).req(milli > 0 ? { cpu: '1', [GPU_MILLI_RESOURCE]: String(milli) } : { cpu: '1' });
    const p = podInfo((typeof dev === 'number' ? b.annotation(GPU_INDEX_ANNOTATION, String(dev)) : b).obj(), t);
    cluster.addPod(p);
    gpu.watcher.podAdded?.(p);
    if (dev !== null) cluster.assume(p, cluster.mustNode(dev === 'cpu' ? 'c1' : 'g1'));
    t += S;
    const result: AttemptResult = dev === null ? 'unschedulable' : 'bound';
    gpu.attempt({ timeUs: t, pod: p, attempt: 1, result, node: dev === null ? '' : dev === 'cpu' ? 'c1' : 'g1', reason: '', queueWaitUs: 0, cycleUs: 0, bindUs: -1 });
    return p;
  };
  pod('cpu-only', 0, 'cpu');
  const p1 = pod('p1', 300, 0);
  gpu.attempt({ timeUs: 99 * S, pod: p1, attempt: 2, result: 'bound', node: 'g1', reason: '', queueWaitUs: 0, cycleUs: 0, bindUs: -1 }); // not its first: no row
  pod('p2', 800, 1);
  pod('p3', 680, 0);
  pod('p4', 200, 1);
  cluster.deletePod(p1); // device 0 gets its 300 back; arrived GPU stays (it counts pods created)
  pod('p5', 40, 0);
  pod('p6', 580, null); // device 0 has 280 free, device 1 none
  pod('cpu-late', 0, 'cpu'); // a second row in bin 130
  const cols = ['time_s', 'pod', 'result', 'node', 'gpu_index', 'pod_gpu_milli', 'arrived_gpu_milli', 'allocated_gpu_milli', 'idle_gpu_milli', 'fragmented_gpu_milli', 'capacity_gpu_milli', 'arrived_pct', 'arrived_pct_bin', 'allocated_pct', 'fragmented_pct'];
  assert.deepEqual(rows.map((r) => cols.map((c) => r[c])), [
    // free [1000, 1000]: both devices fit the typical pod, nothing fragmented.
    [1, 'cpu-only', 'bound', 'c1', '', 0, 0, 0, 2000, 0, 2000, 0, 0, 0, 0],
    // free [700, 1000]: 300 of 2000 arrived and allocated (15 %).
    [2, 'p1', 'bound', 'g1', '0', 300, 300, 300, 1700, 0, 2000, 15, 15, 15, 0],
    // free [700, 200]: device 1's 200 is below 500 while device 0 fits: 200 of 900 idle.
    [3, 'p2', 'bound', 'g1', '1', 800, 1100, 1100, 900, 200, 2000, 55, 55, 55, (100 * 200) / 900],
    // free [20, 200]: no device fits, all idle GPU is fragmented.
    [4, 'p3', 'bound', 'g1', '0', 680, 1780, 1780, 220, 220, 2000, 89, 89, 89, 100],
    // free [20, 0].
    [5, 'p4', 'bound', 'g1', '1', 200, 1980, 1980, 20, 20, 2000, 99, 99, 99, 100],
    // p1 gone: free [320, 0] before p5, [280, 0] after; arrived 2020 (101 %), allocated 1720.
    [6, 'p5', 'bound', 'g1', '0', 40, 2020, 1720, 280, 280, 2000, 101, 101, 86, 100],
    // Not placed: arrived 2600 (130 %), nothing else moves; no devices.
    [7, 'p6', 'unschedulable', '', '', 580, 2600, 1720, 280, 280, 2000, 130, 130, 86, 100],
    [8, 'cpu-late', 'bound', 'c1', '', 0, 2600, 1720, 280, 280, 2000, 130, 130, 86, 100],
  ]);
  // Bin 100 has no row: its neighbours 99 (99 % allocated) and 101 (86 %) stand in, mean 92.5,
  // so 7.5 % unallocated; their fragmentation is 100 % each. Bin 130: two rows, 86 % allocated
  // each, 14 % not.
  assert.deepEqual(gpu.summaryValues(), { gpu_unallocated_at_100_pct: 7.5, gpu_unallocated_at_130_pct: 14, gpu_fragmentation_at_100_pct: 100 });
  // A node with 2 more GPUs joins: capacity 4000, idle 280 + 2000, and its free devices fit the
  // typical pod, so only g1's 280 is fragmented. (p7's attempt makes the row; its outcome does
  // not enter the figures.)
  cluster.addNode(makeNode('g2').capacity({ cpu: '32', memory: '64Gi', pods: 110, [GPU_MILLI_RESOURCE]: '2000' }).obj(), 'gpu');
  pod('p7', 100, null);
  assert.deepEqual(cols.map((c) => rows.at(-1)?.[c]), [9, 'p7', 'unschedulable', '', '', 100, 2700, 1720, 2280, 280, 4000, 67.5, 68, 43, (100 * 280) / 2280]);
  // A CPU-only pod taking 31.5 of g2's 32 CPUs: the typical pod (1 CPU) no longer fits there, so
  // g2's 2000 idle milli-GPU are fragmented too.
  t += S;
  const hog = podInfo(makePod('hog').req({ cpu: '31500m' }).obj(), t);
  cluster.addPod(hog);
  gpu.watcher.podAdded?.(hog);
  cluster.assume(hog, cluster.mustNode('g2'));
  gpu.attempt({ timeUs: 10 * S, pod: hog, attempt: 1, result: 'bound', node: 'g2', reason: '', queueWaitUs: 0, cycleUs: 0, bindUs: -1 });
  assert.deepEqual(['idle_gpu_milli', 'fragmented_gpu_milli', 'fragmented_pct'].map((c) => rows.at(-1)?.[c]), [2280, 2280, 100]);
  // hog gone and g2 removed: capacity 2000 again, g1's 280 idle and fragmented.
  cluster.deletePod(hog);
  cluster.removeNode('g2');
  pod('p8', 100, null);
  assert.deepEqual(['capacity_gpu_milli', 'idle_gpu_milli', 'fragmented_gpu_milli', 'arrived_pct'].map((c) => rows.at(-1)?.[c]), [2000, 280, 280, 140]);
});

test('gpu_allocation.csv without GPU capacity: percentages empty, summary empty', () => {
  const cluster = buildCluster([makeNode('c1').capacity({ cpu: '32', memory: '64Gi', pods: 110 }).obj()]);
  const devices = gpuDevicesOf(cluster);
  devices.typicalPods = new TypicalPods([{ cpuMilli: 1000, gpuMilli: 500, gpuCount: 1, models: [], freq: 1 }]);
  const rows: TypedRow[] = [];
  const gpu = new GpuAllocationCollector(cluster, devices, { add: (r) => rows.push(r) });
  const p = podInfo(makePod('p').req({ cpu: '1', [GPU_MILLI_RESOURCE]: '500' }).obj(), 0);
  cluster.addPod(p);
  gpu.watcher.podAdded?.(p);
  gpu.attempt({ timeUs: S, pod: p, attempt: 1, result: 'unschedulable', node: '', reason: '', queueWaitUs: 0, cycleUs: 0, bindUs: -1 });
  // 1500 milli-GPU is neither a share of one GPU nor whole GPUs (no device can hold it) but it
  // arrived: Σ GPU requests of the pods created, 500 + 1500.
  const q = podInfo(makePod('q').req({ cpu: '1', [GPU_MILLI_RESOURCE]: '1500' }).obj(), 0);
  cluster.addPod(q);
  gpu.watcher.podAdded?.(q);
  gpu.attempt({ timeUs: 2 * S, pod: q, attempt: 1, result: 'unschedulable', node: '', reason: '', queueWaitUs: 0, cycleUs: 0, bindUs: -1 });
  const cols = ['pod_gpu_milli', 'arrived_gpu_milli', 'capacity_gpu_milli', 'idle_gpu_milli', 'arrived_pct', 'arrived_pct_bin', 'allocated_pct', 'fragmented_pct'];
  assert.deepEqual(rows.map((r) => cols.map((c) => r[c])), [
    [500, 500, 0, 0, null, null, null, null],
    [1500, 2000, 0, 0, null, null, null, null],
  ]);
  assert.deepEqual(gpu.summaryValues(), { gpu_unallocated_at_100_pct: null, gpu_unallocated_at_130_pct: null, gpu_fragmentation_at_100_pct: null });
});

test('gpu_pods_fragmented_*: the FGD measure over the GPU-requesting typical pods only; the CPU-only shapes, which count every idle GPU as fragmented, left out; run.json lists both sets of shapes', () => {
  // mixed-share.yaml in small: one L4 node of 4 shared GPUs, a CPU node; 3 CPU-only pods (a
  // DaemonSet's, a web Deployment's) and 1 pod asking 500 milli-GPU. Typical pods learnt from the
  // store: 3/4 CPU-only (1 CPU), 1/4 (1 CPU, 500 milli). Idle GPU 3500, all on devices that fit
  // the GPU pod: upstream counts the CPU-only shapes' 3/4 × 3500 = 2625 as fragmented (75 % of
  // the idle GPU, though every GPU pod fits); over the GPU shapes alone nothing is.
  const cluster = buildCluster([
    makeNode('l4').capacity({ cpu: '48', memory: '64Gi', pods: 110, [GPU_MILLI_RESOURCE]: '4000' }).obj(),
    makeNode('c1').capacity({ cpu: '32', memory: '64Gi', pods: 110 }).obj(),
  ]);
  const devices = gpuDevicesOf(cluster);
  const rows: TypedRow[] = [];
  const gpu = new GpuAllocationCollector(cluster, devices, { add: (r) => rows.push(r) });
  const add = (name: string, milli: number, node: string, dev?: number) => {
    const b = makePod(name).req(milli > 0 ? { cpu: '1', [GPU_MILLI_RESOURCE]: String(milli) } : { cpu: '1' });
    const p = podInfo((dev !== undefined ? b.annotation(GPU_INDEX_ANNOTATION, String(dev)) : b).obj(), 0);
    cluster.addPod(p);
    gpu.watcher.podAdded?.(p);
    cluster.assume(p, cluster.mustNode(node));
    return p;
  };
  add('agent-a', 0, 'c1');
  add('agent-b', 0, 'l4');
  add('web', 0, 'c1');
  const serve = add('serve', 500, 'l4', 0);
  gpu.attempt({ timeUs: S, pod: serve, attempt: 1, result: 'bound', node: 'l4', reason: '', queueWaitUs: 0, cycleUs: 0, bindUs: -1 });
  const cols = ['idle_gpu_milli', 'fragmented_gpu_milli', 'fragmented_pct', 'gpu_pods_fragmented_gpu_milli', 'gpu_pods_fragmented_pct'];
  assert.deepEqual(rows.map((r) => cols.map((c) => r[c])), [[3500, 2625, 75, 0, 0]]);
  assert.deepEqual(gpu.facts(), {
    resource: GPU_MILLI_RESOURCE,
    typical_pods: [
      { cpu_milli: 1000, gpu_milli: 0, gpu_count: 0, models: [], weight: 0.75 },
      { cpu_milli: 1000, gpu_milli: 500, gpu_count: 1, models: [], weight: 0.25 },
    ],
    typical_gpu_pods: [{ cpu_milli: 1000, gpu_milli: 500, gpu_count: 1, models: [], weight: 1 }],
  });
});
