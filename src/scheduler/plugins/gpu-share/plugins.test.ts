import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, fakeHandle, makeNode, makePod, podInfo } from '../../../testing/builders.js';
import { GPU_INDEX_ANNOTATION, GPU_MILLI_RESOURCE, gpuDevicesOf } from '../../../cluster/gpu-devices.js';
import { TypicalPods } from '../../../cluster/gpu-fragmentation.js';
import type { ClusterState } from '../../../cluster/cluster-state.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle, ScorePlugin } from '../../framework/interfaces.js';
import { CODE_NAMES } from '../../framework/status.js';
import { FieldError } from '../../../api/field-error.js';
import { GPU_SHARE_PLUGINS } from './index.js';
import type { OpenGpuSharePlugin } from './open-gpu-share.js';
import { fgdDevices } from './fgd.js';

const R = GPU_MILLI_RESOURCE;
const gpuNode = (name: string, gpus: number, cpu = '32') => makeNode(name).capacity({ cpu, memory: '256Gi', pods: 110, [R]: String(gpus * 1000) }).obj();
const gpuPod = (name: string, cpu: string, milli: number) => makePod(name).req({ cpu, [R]: String(milli) }, { [R]: String(milli) }).obj();
const handleOf = (cluster: ClusterState): FrameworkHandle => ({ ...fakeHandle(cluster), framework: undefined as never });
const factory = (name: string) => GPU_SHARE_PLUGINS.find(([n]) => n === name)![1];

/** n1: 4 GPUs, 8 cores used by a pod holding GPU 0 whole; n2: 4 GPUs, empty. */
function cluster(): ClusterState {
  const holder = makePod('holder').node('n1').annotation(GPU_INDEX_ANNOTATION, '0').req({ cpu: '8', [R]: '1000' }).obj();
  return buildCluster([gpuNode('n1', 4), gpuNode('n2', 4)], [holder]);
}

function scores(plugin: string, pod: Pod, c = cluster(), args?: unknown): Record<string, number> {
  const p = factory(plugin)(args, handleOf(c)) as ScorePlugin & { preScore?: (s: CycleState, p: unknown, n: unknown) => unknown };
  const pi = podInfo(pod);
  const state = new CycleState();
  p.preScore?.(state, pi, c.nodes);
  const raw = Float64Array.from(c.nodes, (n) => p.score(state, pi, n));
  p.normalizeScore?.(state, pi, c.nodes, raw);
  return Object.fromEntries(c.nodes.map((n, i) => [n.name, raw[i] as number]));
}

describe('the FGD paper\'s score plugins on two hand-worked 4-GPU nodes (pod: 4 cores, half a GPU)', () => {
  const pod = gpuPod('p', '4', 500);
  // n1: 24 cores and 3 GPUs free; n2: 32 cores and 4 GPUs free (see each plugin's formula).
  const cases: [string, Record<string, number>][] = [
    // raw n1 = trunc((1 − (20000/128000·½ + 2500/8000·½)) × 100) = 76, n2 = 67; min-max → 100, 0.
    ['BestFitScore', { n1: 100, n2: 0 }],
    // 1 − (24000/128000·4000/128000 + 3000/8000·500/8000)/2 = 0.985 → 98; n2: 0.980 → 98.
    ['DotProductScore', { n1: 98, n2: 98 }],
    // n1 holds a "1-gpu" pod only (another kind): trunc(25·5000/8000) = 15; n2 empty: 12 + 25.
    ['GpuClusteringScore', { n1: 15, n2: 37 }],
    // n1 must open a fresh device on a used node: 50 − 1; n2 untouched: max(33 − 4, 4).
    ['GpuPackingScore', { n1: 49, n2: 29 }],
    // One node drawn from the fixed stream gets 100.
    ['RandomScore', { n1: 100, n2: 0 }],
  ];
  for (const [plugin, want] of cases) it(plugin, () => assert.deepEqual(scores(plugin, pod), want));

  it('GpuPackingScore prefers a partly used device and GpuClusteringScore a node of the same kind', () => {
    const c = buildCluster([gpuNode('n1', 2), gpuNode('n2', 2)], [makePod('share').node('n1').annotation(GPU_INDEX_ANNOTATION, '1').req({ cpu: '1', [R]: '300' }).obj()]);
    // n1 device 1 has 700 left: 100 − 70/10; n2 untouched: 33 − 2.
    assert.deepEqual(scores('GpuPackingScore', pod, c), { n1: 93, n2: 31 });
    // n1 holds only share pods: 75 + trunc(25·6300/8000) = 75 + 19; n2: 25 + 18.
    assert.deepEqual(scores('GpuClusteringScore', pod, c), { n1: 94, n2: 43 });
  });

  it('FGDScore: the node whose fragmentation grows least (typical pods published)', () => {
    const c = buildCluster([gpuNode('a', 2, '10'), gpuNode('b', 2, '20')], [makePod('x').node('a').annotation(GPU_INDEX_ANNOTATION, '1').req({ cpu: '0', [R]: '700' }).obj()]);
    gpuDevicesOf(c).typicalPods = new TypicalPods([
      { cpuMilli: 4000, gpuMilli: 500, gpuCount: 1, models: [], freq: 0.5 },
      { cpuMilli: 8000, gpuMilli: 1000, gpuCount: 1, models: [], freq: 0.3 },
      { cpuMilli: 2000, gpuMilli: 0, gpuCount: 0, models: [], freq: 0.2 },
    ]);
    // a: devices [1000, 300], 10 cores: F = 500 → with the pod on device 0, [500, 300], 7 cores:
    // F = 550: sigmoid(−0.05) → 48. b: [1000, 1000], 20 cores: F = 400 → [500, 1000], 17 cores:
    // 300 + 0 + 0.3·500 = 450: also 48.
    assert.deepEqual(scores('FGDScore', gpuPod('p', '3', 500), c), { a: 48, b: 48 });
    // A whole GPU: a → [0, 300]: every typical pod lacks GPU: 300 (F 500 → 300: 54); b → [0,
    // 1000], 12 cores: 0.2·1000 + 0 + 0 = 200 (F 400 → 200: 54).
    assert.deepEqual(scores('FGDScore', gpuPod('w', '8', 1000), c), { a: 54, b: 54 });
  });
});

describe('Open-Gpu-Share: device filter and device choice', () => {
  const verdict = (p: OpenGpuSharePlugin, pod: Pod, c: ClusterState, node: string) => {
    const v = p.filter(new CycleState(), podInfo(pod), c.mustNode(node));
    return v === null ? 'Success' : `${CODE_NAMES[v.code]}: ${v.message}`;
  };

  it('rejects a node without a device that has the share, and requests that are not device requests', () => {
    const c = buildCluster([gpuNode('g', 2), makeNode('cpu').capacity({ cpu: '8' }).obj()], [
      makePod('a').node('g').annotation(GPU_INDEX_ANNOTATION, '0').req({ cpu: '1', [R]: '600' }).obj(),
      makePod('b').node('g').annotation(GPU_INDEX_ANNOTATION, '1').req({ cpu: '1', [R]: '600' }).obj(),
    ]);
    const p = factory('Open-Gpu-Share')(undefined, handleOf(c)) as OpenGpuSharePlugin;
    assert.equal(verdict(p, gpuPod('p', '1', 400), c, 'g'), 'Success');
    assert.equal(verdict(p, gpuPod('p', '1', 500), c, 'g'), 'Unschedulable: node(s) had no GPU device with 500 milli-GPU free');
    assert.equal(verdict(p, gpuPod('p', '1', 1000), c, 'g'), 'Unschedulable: node(s) had fewer than 1 free GPU device(s)');
    assert.equal(verdict(p, gpuPod('p', '1', 400), c, 'cpu'), 'UnschedulableAndUnresolvable: node(s) had no GPU devices');
    assert.equal(verdict(p, gpuPod('p', '1', 1500), c, 'g'), "UnschedulableAndUnresolvable: pod's GPU request is not a device request: expected a request of alibaba.com/gpu-milli below 1000 (a share of one GPU) or a multiple of 1000 (whole GPUs), got 1500");
    assert.equal(verdict(p, makePod('cpu-only').req({ cpu: '1' }).obj(), c, 'cpu'), 'Success');
  });

  it('picks the device at Reserve (best fit by default, worst fit on request) and gives it back at Unreserve', () => {
    for (const [sel, want] of [['best', '1'], ['worst', '0']] as const) {
      const c = buildCluster([gpuNode('g', 2)], [makePod('a').node('g').annotation(GPU_INDEX_ANNOTATION, '1').req({ cpu: '1', [R]: '300' }).obj()]);
      const p = factory('Open-Gpu-Share')({ gpuSelection: sel }, handleOf(c)) as OpenGpuSharePlugin;
      const pi = podInfo(gpuPod('p', '1', 200));
      c.addPod(pi);
      c.assume(pi, c.mustNode('g'));
      const state = new CycleState();
      assert.equal(p.reserve(state, pi, 'g'), null);
      assert.equal(pi.pod.metadata?.annotations?.[GPU_INDEX_ANNOTATION], want, sel);
      p.unreserve(state, pi, 'g');
      assert.equal(pi.pod.metadata?.annotations?.[GPU_INDEX_ANNOTATION], undefined);
      assert.deepEqual([...gpuDevicesOf(c).nodeNamed('g')!.free], [1000, 700]);
    }
  });

  it('rejects unknown args with the field path', () => {
    const c = buildCluster([]);
    assert.throws(() => factory('Open-Gpu-Share')({ gpuSelection: 'first' }, handleOf(c)), (e: unknown) => e instanceof FieldError && e.message === 'gpuSelection: expected one of best, worst, random, FGDScore, got "first"');
    assert.throws(() => factory('FGDScore')({ resourse: 'x' }, handleOf(c)), (e: unknown) => e instanceof FieldError && e.path === 'resourse');
  });
});

describe('the FGD paper\'s scores before normalising, and the min-max normalisation', () => {
  const raw = (plugin: string, pod: Pod): Record<string, number> => {
    const c = cluster();
    const p = factory(plugin)(undefined, handleOf(c)) as ScorePlugin;
    const pi = podInfo(pod);
    const state = new CycleState();
    return Object.fromEntries(c.nodes.map((n) => [n.name, p.score(state, pi, n)]));
  };
  it('BestFitScore raw: n1 trunc((1 − (20000/128000·½ + 2500/8000·½)) × 100) = 76, n2 trunc((1 − (28000/128000·½ + 3500/8000·½)) × 100) = 67', () => {
    assert.deepEqual(raw('BestFitScore', gpuPod('p', '4', 500)), { n1: 76, n2: 67 });
  });
  it('DotProductScore raw: a node with less free CPU than the pod asks scores 0', () => {
    // n1: 24 cores free < 30; n2: 1 − (32000/128000·30000/128000 + 4000/8000·500/8000)/2 = 0.955 → 95.
    assert.deepEqual(raw('DotProductScore', gpuPod('p', '30', 500)), { n1: 0, n2: 95 });
  });
  it('min-max to [0, 100] with integer division; all equal → 0', async () => {
    const { minMaxNormalize } = await import('./normalize.js');
    const s = Float64Array.from([10, 30, 20, 25]);
    minMaxNormalize(s);
    assert.deepEqual([...s], [0, 100, 50, 75]);
    const same = Float64Array.from([5, 5]);
    minMaxNormalize(same);
    assert.deepEqual([...same], [0, 0]);
  });
});

describe('FGD device choice (upstream allocateGpuIdBasedOnFGDScore): the device whose use fragments least, the first by index on a tie', () => {
  // Typical pods: half a GPU each. A device left with less than 500 milli-GPU is fragmented.
  const typ = new TypicalPods([{ cpuMilli: 1000, gpuMilli: 500, gpuCount: 1, models: [], freq: 1 }]);
  const choose = (used: Record<number, number>, milli: number): number[] | null => {
    const pods = Object.entries(used).map(([d, m]) => makePod(`u${d}`).node('a').annotation(GPU_INDEX_ANNOTATION, d).req({ cpu: '0', [R]: String(m) }).obj());
    const c = buildCluster([gpuNode('a', 3)], pods);
    const g = gpuDevicesOf(c).node(c.mustNode('a'))!;
    return fgdDevices(typ, g, { count: 1, milli }, 1000);
  };
  it('free [1000, 600, 1000], half a GPU: device 0 (device 1 would keep 100 that no typical pod fits)', () => {
    assert.deepEqual(choose({ 1: 400 }, 500), [0]);
  });
  it('free [1000, 300, 1000]: devices 0 and 2 tie, the first wins', () => {
    assert.deepEqual(choose({ 1: 700 }, 500), [0]);
  });
  it('free [500, 1000, 1000]: a device with exactly the share free is a candidate, and the best here', () => {
    assert.deepEqual(choose({ 0: 500 }, 500), [0]);
  });
  it('no device with the share free: none', () => {
    assert.deepEqual(choose({ 0: 800, 1: 800, 2: 800 }, 500), null);
  });
});
