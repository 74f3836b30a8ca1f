import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import { bestFitDevices, GPU_INDEX_ANNOTATION, GPU_MILLI_RESOURCE, gpuDevicesOf, gpuRequestOf, worstFitDevices, type GpuRequest } from './gpu-devices.js';
import type { ClusterState } from './cluster-state.js';
import type { PodInfo } from './pod-info.js';

const gpuNode = (name: string, gpus: number) => makeNode(name).capacity({ cpu: '32', memory: '64Gi', pods: 110, [GPU_MILLI_RESOURCE]: String(gpus * 1000) }).obj();
const gpuPod = (name: string, milli: number) => makePod(name).req({ cpu: '1', [GPU_MILLI_RESOURCE]: String(milli) }, { [GPU_MILLI_RESOURCE]: String(milli) }).obj();

/** Places a pod as the scheduler does: assume, then the device choice at Reserve (best fit). */
function place(cluster: ClusterState, name: string, milli: number, node: string): PodInfo {
  const p = podInfo(gpuPod(name, milli));
  cluster.addPod(p);
  const d = gpuDevicesOf(cluster);
  cluster.assume(p, cluster.mustNode(node));
  const g = d.nodeNamed(node)!;
  const req = gpuRequestOf(p, GPU_MILLI_RESOURCE) as GpuRequest;
  const ids = bestFitDevices(g, req);
  assert.ok(ids !== null, `${name} fits ${node}`);
  d.assign(p, g, ids, req);
  return p;
}

describe('GPU devices: shares of one device and whole devices', () => {
  it('reads a request below 1000 as a share of one device and multiples of 1000 as whole devices', () => {
    const req = (m: number) => gpuRequestOf(podInfo(gpuPod('p', m)), GPU_MILLI_RESOURCE);
    assert.deepEqual(req(470), { count: 1, milli: 470 });
    assert.deepEqual(req(1000), { count: 1, milli: 1000 });
    assert.deepEqual(req(4000), { count: 4, milli: 1000 });
    assert.equal(req(1500), 'a request of alibaba.com/gpu-milli below 1000 (a share of one GPU) or a multiple of 1000 (whole GPUs), got 1500');
  });

  it('puts shares on the fullest device that fits them and records the device on the pod', () => {
    const cluster = buildCluster([gpuNode('n1', 2)]);
    const a = place(cluster, 'a', 600, 'n1');
    const b = place(cluster, 'b', 300, 'n1'); // device 0 has 400 left: the best fit
    const c = place(cluster, 'c', 500, 'n1'); // 100 left on 0: device 1
    const g = gpuDevicesOf(cluster).nodeNamed('n1')!;
    assert.deepEqual([...g.free], [100, 500]);
    assert.equal(g.totalFree, 600);
    assert.deepEqual([a, b, c].map((p) => p.pod.metadata?.annotations?.[GPU_INDEX_ANNOTATION]), ['0', '0', '1']);
    // No device has a whole GPU left, though 600 milli are free in all.
    assert.equal(g.fits({ count: 1, milli: 1000 }), false);
    assert.deepEqual(worstFitDevices(g, { count: 1, milli: 100 }), [1]);
  });

  it('gives multi-GPU pods whole devices, lowest index first, and frees them when the pod leaves', () => {
    const cluster = buildCluster([gpuNode('n1', 4)]);
    const a = place(cluster, 'a', 2000, 'n1');
    place(cluster, 'b', 1000, 'n1');
    const d = gpuDevicesOf(cluster);
    const g = d.nodeNamed('n1')!;
    assert.deepEqual(d.devicesOf(a), [0, 1]);
    assert.deepEqual([...g.free], [0, 0, 0, 1000]);
    assert.equal(g.fits({ count: 2, milli: 1000 }), false);
    assert.deepEqual(Object.fromEntries(g.affinity), { '2-gpu': 1, '1-gpu': 1 });
    cluster.setPhase(a, 'Succeeded'); // terminal: off the node's books
    assert.deepEqual([...g.free], [1000, 1000, 0, 1000]);
    assert.equal(d.devicesOf(a), undefined);
    assert.deepEqual(Object.fromEntries(g.affinity), { '1-gpu': 1 });
  });

  it('honours the devices a bound pod names, and best-fits a bound pod that names none', () => {
    const named = makePod('named').node('n1').annotation(GPU_INDEX_ANNOTATION, '2').req({ cpu: '1', [GPU_MILLI_RESOURCE]: '500' }).obj();
    const unnamed = makePod('unnamed').node('n1').req({ cpu: '1', [GPU_MILLI_RESOURCE]: '700' }).obj();
    const cluster = buildCluster([gpuNode('n1', 3)], [named, unnamed]);
    const g = gpuDevicesOf(cluster).nodeNamed('n1')!;
    assert.deepEqual([...g.free], [300, 1000, 500]);
  });

  it('keeps a bound pod on the full device its annotation names, over-committing it, and says so; the device has room again once the excess has left', () => {
    // Before: g's 600 on device 1 (200 left) did not fit, nor did a best fit (500 left on 0),
    // so its share was on no device, silently (arrived 5,500 milli, allocated 4,900).
    const shared = (name: string, milli: number, ann?: string) => {
      const b = makePod(name).node('n1').req({ cpu: '1', [GPU_MILLI_RESOURCE]: String(milli) });
      return (ann === undefined ? b : b.annotation(GPU_INDEX_ANNOTATION, ann)).obj();
    };
    const cluster = buildCluster([gpuNode('n1', 2)], [shared('d', 500), shared('f', 800, '1'), shared('g', 600, '1')]);
    const d = gpuDevicesOf(cluster);
    const g = d.nodeNamed('n1')!;
    assert.deepEqual([[...g.free], [...g.over], g.totalFree], [[500, 0], [0, 400], 500]);
    assert.deepEqual(d.devicesOf(cluster.pods.get('default/g')!), [1]);
    assert.deepEqual(d.placementNotes, [
      'pod default/g on node n1 (600 milli-GPU) names GPU device(s) "1" (alibaba.com/gpu-index), which had 200 milli-GPU left: ksim keeps it there as the snapshot has it, over-committing the device(s) by 400 milli-GPU: they count as full (gpu_allocation.csv\'s allocated_gpu_milli counts the device\'s 1000, not more) and have room again once 400 milli-GPU of the pods there has left',
    ]);
    cluster.setPhase(cluster.pods.get('default/f')!, 'Succeeded'); // its 800 pays the 400 first
    assert.deepEqual([[...g.free], [...g.over], g.totalFree], [[500, 400], [0, 0], 900]);
    cluster.setPhase(cluster.pods.get('default/g')!, 'Succeeded');
    assert.deepEqual([[...g.free], g.totalFree], [[500, 1000], 1500]);
  });

  it('an annotation naming no usable devices gets a best fit (else the devices with the most room, over-committed), each case said', () => {
    const pod = (name: string, milli: number, ann?: string) => {
      const b = makePod(name).node('n1').req({ cpu: '1', [GPU_MILLI_RESOURCE]: String(milli) });
      return (ann === undefined ? b : b.annotation(GPU_INDEX_ANNOTATION, ann)).obj();
    };
    const cluster = buildCluster([gpuNode('n1', 4)], [pod('a', 700, '0'), pod('bad', 600, 'x'), pod('oob', 200, '7'), pod('count', 2000, '2'), pod('twice', 100, '0-0'), pod('late', 500)]);
    const d = gpuDevicesOf(cluster);
    const g = d.nodeNamed('n1')!;
    assert.deepEqual(d.placementNotes.slice(0, 4), [
      'pod default/bad on node n1 (600 milli-GPU) names GPU device(s) "x" (alibaba.com/gpu-index): not a device list such as "3" or "0-1": ksim gave it device(s) 1 (best fit) instead',
      'pod default/oob on node n1 (200 milli-GPU) names GPU device(s) "7" (alibaba.com/gpu-index): device 7 is not on the node, whose devices are 0–3: ksim gave it device(s) 0 (best fit) instead',
      'pod default/count on node n1 (2 whole GPUs) names GPU device(s) "2" (alibaba.com/gpu-index): 1 device(s) for a request of 2: ksim gave it device(s) 2-3 (best fit) instead',
      'pod default/twice on node n1 (100 milli-GPU) names GPU device(s) "0-0" (alibaba.com/gpu-index): a device named twice: ksim gave it device(s) 0 (best fit) instead',
    ]);
    // late names none, and no device has the room (0, 400, 0, 0 left): the most room, device 1,
    // over by 100.
    assert.deepEqual([[...g.free], [...g.over]], [[0, 0, 0, 0], [0, 100, 0, 0]]);
    assert.equal(d.placementNotes.at(-1), 'pod default/late on node n1 (500 milli-GPU) names no GPU device (alibaba.com/gpu-index), and no device of the node has the room for it: ksim put it on device(s) 1, those with the most room, over-committing them by 100 milli-GPU');
  });

  it('counts no devices on nodes without the milli-GPU resource', () => {
    const cluster = buildCluster([makeNode('cpu').capacity({ cpu: '8' }).obj(), gpuNode('g', 8)]);
    const d = gpuDevicesOf(cluster);
    assert.equal(d.nodeNamed('cpu'), undefined);
    assert.equal(d.capacityMilli(), 8000);
  });
});
