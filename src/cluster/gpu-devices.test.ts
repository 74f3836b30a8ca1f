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

  it('counts no devices on nodes without the milli-GPU resource', () => {
    const cluster = buildCluster([makeNode('cpu').capacity({ cpu: '8' }).obj(), gpuNode('g', 8)]);
    const d = gpuDevicesOf(cluster);
    assert.equal(d.nodeNamed('cpu'), undefined);
    assert.equal(d.capacityMilli(), 8000);
  });
});
