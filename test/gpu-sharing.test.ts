// GPU sharing end to end: a small openb-shaped cluster and pod list replayed as the FGD paper
// does (map.replay: fgd), with each policy's scenario settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, runScenario, type RunResult } from '../src/index.js';
import { repoPath } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

const NODES = `sn,cpu_milli,memory_mib,gpu,model
n-0,32000,262144,2,T4
n-1,32000,262144,2,T4
n-2,64000,262144,4,V100M16
`;
// 8 GPUs of capacity; the list asks 6.3 GPUs: the replay tops it up to 130 % (10.4 GPUs).
const PODS = `name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
p-0,4000,8192,1,500,,LS,Running,0,100,0
p-1,4000,8192,1,500,,LS,Running,1,100,1
p-2,8000,8192,1,1000,,LS,Running,2,100,2
p-3,2000,4096,0,0,,BE,Running,3,100,3
p-4,4000,8192,1,300,,LS,Running,4,100,4
p-5,16000,16384,2,1000,,LS,Running,5,100,5
p-6,4000,8192,1,700,,LS,Running,6,100,6
p-7,4000,8192,1,300,,LS,Running,7,100,7
p-8,8000,8192,1,1000,,LS,Running,8,100,8
`;

function scenario(policy: string, selection: string, seed = 7): string {
  const dir = tempDir('ksim-gpu-');
  writeFileSync(join(dir, 'nodes.csv'), NODES);
  writeFileSync(join(dir, 'pods.csv'), PODS);
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: gpu-small }
seed: ${seed}
duration: 10s
cluster: { trace: { format: alibaba-gpu-2023, file: nodes.csv } }
workload:
- name: openb
  trace: { format: alibaba-gpu-2023, file: pods.csv, map: { replay: fgd, podInterval: 100ms } }
scheduler:
  tieBreak: nodeName
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    percentageOfNodesToScore: 100
    profiles:
    - plugins:
        filter: { enabled: [{ name: Open-Gpu-Share }] }
        reserve: { enabled: [{ name: Open-Gpu-Share }] }
        postFilter: { disabled: [{ name: '*' }] }
        score: { disabled: [{ name: '*' }], enabled: [{ name: ${policy} }] }
        preScore: { enabled: [${policy === 'RandomScore' ? '{ name: RandomScore }' : ''}] }
      pluginConfig: [{ name: Open-Gpu-Share, args: { gpuSelection: ${selection} } }]
`);
  return file;
}

const table = (r: RunResult, file: string) => r.tables.find((t) => t.file === file)!;

test('the FGD replay tops the list up to 130 % of GPU capacity and writes one gpu_allocation.csv row per pod', () => {
  const r = runScenario(loadScenario(scenario('FGDScore', 'FGDScore')), { checkInvariants: true });
  const rows = table(r, 'gpu_allocation.csv').rows;
  assert.equal(rows.length, Number(r.summary['pods_submitted']));
  const last = rows.at(-1)!;
  // Arrived stops at the last draw that keeps it within 130 % of 8000 milli.
  assert.ok(Number(last['arrived_gpu_milli']) <= 10400 && Number(last['arrived_gpu_milli']) > 9400, String(last['arrived_gpu_milli']));
  assert.equal(last['capacity_gpu_milli'], 8000);
  // Allocated never exceeds capacity; each bound GPU pod names its devices.
  for (const row of rows) {
    assert.ok(Number(row['allocated_gpu_milli']) <= 8000);
    if (row['result'] === 'bound' && Number(row['pod_gpu_milli']) > 0) assert.match(String(row['gpu_index']), /^\d(-\d)*$/);
  }
  // Pods not placed are deleted before the next one arrives: none is left pending.
  assert.equal(r.summary['pods_unbound_end'], 0);
  assert.deepEqual(Object.keys(r.summary).slice(-3), ['gpu_unallocated_at_100_pct', 'gpu_unallocated_at_130_pct', 'gpu_fragmentation_at_100_pct']);
});

test('each policy runs, and the same seed gives the same gpu_allocation.csv', () => {
  for (const [policy, sel] of [['RandomScore', 'random'], ['DotProductScore', 'best'], ['GpuClusteringScore', 'best'], ['GpuPackingScore', 'best'], ['BestFitScore', 'best'], ['FGDScore', 'FGDScore']]) {
    const a = runScenario(loadScenario(scenario(policy!, sel!)));
    const b = runScenario(loadScenario(scenario(policy!, sel!)));
    assert.deepEqual(table(a, 'gpu_allocation.csv').rows, table(b, 'gpu_allocation.csv').rows, policy);
    assert.ok(Number(a.summary['pods_bound']) >= 7, `${policy}: ${a.summary['pods_bound']} bound`);
  }
});

test('RandomScore not enabled at PreScore makes every cycle an Error naming it (not a silent tie)', () => {
  const s = loadScenario(scenario('RandomScore', 'random'), { set: ['scheduler.config.profiles[0].plugins.preScore.enabled=[]'] });
  // The invariant checker (on under npm test) would stop the run at the first plugin Error.
  const r = runScenario(s, { checkInvariants: false });
  assert.equal(r.summary['pods_bound'], 0);
  const reasons = new Set(table(r, 'placements.csv').rows.filter((x) => x['result'] === 'error').map((x) => String(x['reason'])));
  assert.ok([...reasons].every((m) => m.includes('RandomScore')), [...reasons].join('; '));
  assert.ok(reasons.size > 0);
});

test('runs without Open-Gpu-Share keep their outputs: no GPU columns, no gpu_allocation.csv', () => {
  const r = runScenario(loadScenario(repoPath('scenarios/quickstart.yaml')));
  assert.equal(Object.keys(r.summary).some((k) => k.startsWith('gpu_')), false);
  assert.equal(r.tables.some((t) => t.file === 'gpu_allocation.csv'), false);
});

test('a topUp below the list drops random pods until the GPU request fits it', () => {
  const s = loadScenario(scenario('BestFitScore', 'best'), { set: ['workload[0].trace.map.topUp=0.5'] });
  const rows = table(runScenario(s), 'gpu_allocation.csv').rows;
  const arrived = Number(rows.at(-1)!['arrived_gpu_milli']);
  assert.ok(arrived <= 4000 && arrived > 2000, String(arrived));
  assert.ok(rows.every((r) => !String(r['pod']).includes('-tuned-')));
});

test('run.json counts the FGD replay truthfully: rows are the file\'s rows, the top-up\'s copies and the tune-down\'s drops apart, and a tune-down warns', () => {
  // Before: the top-up's copies were counted as rows (the openb run: 10,828 rows for a file of
  // 8,152), the rows dropped by the tune-down nowhere (10 rows read as 7), and a list cut to
  // nothing warned "no rows after the header".
  const counts = (r: RunResult) => r.traces!.map((t) => [t.rows, t.rows_filtered, t.rows_skipped, t.rows_tuned_down, t.pods_topped_up, t.objects_submitted]);
  const up = runScenario(loadScenario(scenario('BestFitScore', 'best')));
  // 9 rows asking 6.3 GPUs, topped up to 130 % of 8: 3 copies (seed 7), 12 pods created.
  assert.deepEqual(counts(up), [[9, 0, 0, 0, 3, 12]]);
  assert.equal(up.summary['pods_submitted'], 12);
  assert.deepEqual(up.warnings.filter((w) => w.includes('FGD replay')), []);
  // topUp 0.5: the 6.3 GPUs are cut at random to at most 4: 4 of the 9 rows dropped, 5 replayed.
  const down = runScenario(loadScenario(scenario('BestFitScore', 'best'), { set: ['workload[0].trace.map.topUp=0.5'] }));
  assert.deepEqual(counts(down), [[9, 0, 0, 4, 0, 5]]);
  assert.deepEqual(down.warnings.filter((w) => w.includes('FGD replay')), [
    "trace openb: the FGD replay dropped 4 of its 9 row(s) at random, replaying 5: their GPU request, 6.3 GPUs, is above topUp 0.5 × the cluster's 8 GPUs = 4 GPUs, and the replay cuts the list until it is not (upstream simulator's tuneDownPods); counted in run.json's rows_tuned_down",
  ]);
  // One row asking 16 GPUs of a cluster of 8: the tune-down drops both rows; the file had rows.
  const dir = tempDir('ksim-gpu-16-');
  const file = scenario('BestFitScore', 'best');
  writeFileSync(join(dir, 'pods.csv'), PODS.split('\n').slice(0, 2).join('\n') + '\np-big,8000,8192,16,1000,,LS,Running,1,100,1\n');
  writeFileSync(join(dir, 'nodes.csv'), NODES);
  writeFileSync(join(dir, 'scenario.yaml'), readFileSync(file, 'utf8'));
  const none = runScenario(loadScenario(join(dir, 'scenario.yaml')));
  assert.deepEqual(counts(none), [[2, 0, 0, 2, 0, 0]]);
  assert.deepEqual(none.warnings.filter((w) => w.includes('pods.csv') || w.includes('FGD replay')), [
    "trace openb: the FGD replay dropped 2 of its 2 row(s) at random, all of them, so no pod is replayed: their GPU request, 16.5 GPUs, is above topUp 1.3 × the cluster's 8 GPUs = 10.4 GPUs, and the replay cuts the list until it is not (upstream simulator's tuneDownPods); counted in run.json's rows_tuned_down",
  ]);
  // A run ended before the replay: the pods not replayed count as filtered (rows + copies =
  // filtered + skipped + dropped + created).
  const short = runScenario(loadScenario(scenario('BestFitScore', 'best'), { set: ['duration=350ms'] }));
  // 350 ms at one pod per 100 ms: 4 of the 12 created, 8 filtered (9 + 3 = 8 + 0 + 0 + 4).
  assert.deepEqual(counts(short), [[9, 8, 0, 0, 3, 4]]);
});

test('Open-Gpu-Share enabled at filter or reserve but not both is refused before the run (exit 2): at filter alone three 600-milli shares were bound on a node of 2 GPUs with no device booked', () => {
  const why = 'its Filter checks each GPU device for room and its Reserve books the device it picks: at filter alone no device is ever booked, so every share fits and devices are over-committed; at reserve alone nodes whose devices are full pass the filter and the cycle ends in an error at Reserve instead of trying another node';
  const file = scenario('BestFitScore', 'best');
  assert.throws(() => runScenario(loadScenario(file, { set: ['scheduler.config.profiles[0].plugins.reserve.enabled=[]'] })), (e: Error) => {
    assert.equal(e.message, `${file}:18:37: scheduler.config.profiles[0].plugins.filter.enabled[0].name: expected Open-Gpu-Share enabled at filter and reserve alike: ${why}, got plugin "Open-Gpu-Share" enabled at filter but not at reserve`);
    return true;
  });
  assert.throws(() => runScenario(loadScenario(file, { set: ['scheduler.config.profiles[0].plugins.filter.enabled=[]'] })), /plugins\.reserve\.enabled\[0\]\.name: expected Open-Gpu-Share enabled at filter and reserve alike: .*, got plugin "Open-Gpu-Share" enabled at reserve but not at filter$/);
  // Through multiPoint, disabled at reserve: the same refusal, at its multiPoint entry.
  assert.throws(() => runScenario(loadScenario(file, { set: ['scheduler.config.profiles[0].plugins.filter.enabled=[]', 'scheduler.config.profiles[0].plugins.multiPoint={"enabled":[{"name":"Open-Gpu-Share"}]}', 'scheduler.config.profiles[0].plugins.reserve={"disabled":[{"name":"Open-Gpu-Share"}]}'] })), /plugins\.multiPoint\.enabled\[0\]\.name: expected Open-Gpu-Share enabled at filter and reserve alike: .*, got plugin "Open-Gpu-Share" enabled at filter but not at reserve$/);
  // At both (the scenario as written) it runs.
  assert.equal(runScenario(loadScenario(file)).summary['pods_bound'] as number > 0, true);
});

test('a snapshot pod naming a full device stays on it and the run warns, its share still on the books: the device counts full (allocated 1,600 of 2,000 arrived: 400 over device 1), where g was on no device before, unsaid', () => {
  const dir = tempDir('ksim-gpu-snap-');
  const pod = (name: string, milli: number, ann?: string) => `- apiVersion: v1
  kind: Pod
  metadata: { name: ${name}, namespace: default${ann === undefined ? '' : `, annotations: { alibaba.com/gpu-index: "${ann}" }`} }
  spec:
    nodeName: g2
    containers: [{ name: c, image: x, resources: { requests: { cpu: "1", alibaba.com/gpu-milli: "${milli}" }, limits: { alibaba.com/gpu-milli: "${milli}" } } }]
  status: { phase: Running }`;
  writeFileSync(join(dir, 'cluster.yaml'), `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: { name: g2, labels: { kubernetes.io/hostname: g2 } }
  status: { allocatable: { cpu: "16", memory: 64Gi, pods: "110", alibaba.com/gpu-milli: "2000" }, capacity: { cpu: "16", memory: 64Gi, pods: "110", alibaba.com/gpu-milli: "2000" } }
${pod('d', 500)}
${pod('f', 800, '1')}
${pod('g', 600, '1')}
`);
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: snap }
duration: 1m
cluster: { file: cluster.yaml }
scheduler:
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
    - plugins:
        filter: { enabled: [{ name: Open-Gpu-Share }] }
        reserve: { enabled: [{ name: Open-Gpu-Share }] }
workload:
- name: p
  at: 1s
  manifest: { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { containers: [{ name: c, image: x, resources: { limits: { alibaba.com/gpu-milli: 100 } } }] } }
`);
  const r = runScenario(loadScenario(join(dir, 's.yaml')), { checkInvariants: true });
  assert.deepEqual(r.warnings.filter((w) => w.includes('gpu-index')), [
    'pod default/g on node g2 (600 milli-GPU) names GPU device(s) "1" (alibaba.com/gpu-index), which had 200 milli-GPU left: ksim keeps it there as the snapshot has it, over-committing the device(s) by 400 milli-GPU: they count as full (gpu_allocation.csv\'s allocated_gpu_milli counts the device\'s 1000, not more) and have room again once 400 milli-GPU of the pods there has left',
  ]);
  // p's 100 goes to device 0 (500 left); device 1 is full, not 400 over its room for p.
  const row = table(r, 'gpu_allocation.csv').rows[0]!;
  assert.deepEqual([row['pod'], row['result'], row['gpu_index'], row['arrived_gpu_milli'], row['allocated_gpu_milli']], ['p', 'bound', '0', 2000, 1600]);
});

test('preemption frees GPU devices: a high-priority share evicts the low-priority pods whose devices it needs', () => {
  // One node of 2 T4 devices, each holding a 600 milli-GPU low-priority pod; a priority-1000 pod
  // asking 700 milli-GPU fits on neither device until one low pod goes (upstream DefaultPreemption
  // removes the lowest-priority victims first and reprieves what it can; the device view of the
  // what-if must follow the victims).
  const dir = tempDir('ksim-gpu-preempt-');
  const file = join(dir, 'scenario.yaml');
  const gpuPod = (name: string, priority: string, milli: number) => `
  manifest:
    apiVersion: v1
    kind: Pod
    metadata: { name: ${name} }
    spec:
      priorityClassName: ${priority}
      containers: [{ name: c, image: x, resources: { requests: { cpu: "1", alibaba.com/gpu-milli: "${milli}" }, limits: { alibaba.com/gpu-milli: "${milli}" } } }]`;
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: gpu-preempt }
seed: 1
duration: 2m
cluster:
  nodePools:
  - { name: gpu, count: 1, labels: { alibaba.com/gpu-model: T4 }, allocatable: { cpu: "16", memory: 64Gi, pods: 110, alibaba.com/gpu-milli: "2000" } }
workload:
- name: classes
  manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: high }, value: 1000 }
- name: classes-low
  manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: low }, value: 10 }
- name: low-a
  at: 1s${gpuPod('low-a', 'low', 600)}
- name: low-b
  at: 2s${gpuPod('low-b', 'low', 600)}
- name: high
  at: 10s${gpuPod('high', 'high', 700)}
scheduler:
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
    - plugins:
        filter: { enabled: [{ name: Open-Gpu-Share }] }
        reserve: { enabled: [{ name: Open-Gpu-Share }] }
`);
  const r = runScenario(loadScenario(file), { sinks: 'memory' });
  const rows = (name: string) => r.tables.find((t) => t.file === name)?.rows ?? [];
  const high = rows('placements.csv').filter((row) => row['pod'] === 'high');
  assert.ok(high.some((row) => row['result'] === 'bound'), `the high pod binds: ${JSON.stringify(high)}`);
  // Best fit put low-a on device 0 and low-b on device 1. Both are victims at first; low-a, the
  // more important (same priority, started earlier: upstream MoreImportantPod), is reprieved,
  // as the high pod still fits on device 1; low-b is not. One device freed, one pod preempted.
  const preempted = rows('pods.csv').filter((row) => row['preempted'] === 'true');
  assert.deepEqual(preempted.map((row) => row['name']), ['low-b'], JSON.stringify(rows('pods.csv')));
});

test('pods of one rate entry each get their own GPU choice: worst fit over 2 GPUs gives devices 0, 1, 0', () => {
  // The pods of an entry share their manifest's annotations object; the device recorded for one
  // pod (alibaba.com/gpu-index) was written into it, so the next arrival came already naming
  // device 0 and worst fit never ran (0, 0, 0).
  const dir = tempDir('ksim-gpu-rate-');
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: worst-fit }
seed: 1
duration: 1m
cluster:
  nodePools: [{ name: g, count: 1, allocatable: { cpu: "32", memory: 128Gi, alibaba.com/gpu-milli: 2000 } }]
scheduler:
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
    - plugins: { filter: { enabled: [{ name: Open-Gpu-Share }] }, reserve: { enabled: [{ name: Open-Gpu-Share }] } }
      pluginConfig: [{ name: Open-Gpu-Share, args: { gpuSelection: worst } }]
workload:
- name: a
  rate: { perMinute: 60, count: 3, process: fixed }
  manifest:
    apiVersion: v1
    kind: Pod
    metadata: { name: a }
    spec:
      containers: [{ name: c, image: x, resources: { requests: { cpu: "1", alibaba.com/gpu-milli: "300" }, limits: { alibaba.com/gpu-milli: "300" } } }]
`);
  const r = runScenario(loadScenario(join(dir, 's.yaml')));
  assert.deepEqual(table(r, 'gpu_allocation.csv').rows.map((x) => `${x['pod']} ${x['gpu_index']}`), ['a-1 0', 'a-2 1', 'a-3 0']);
});

test('a node whose milli-GPUs are not whole devices is warned about: Open-Gpu-Share gives it floor(milli / 1000) devices', () => {
  const file = scenario('BestFitScore', 'best');
  const s = loadScenario(file);
  // Two nodes of the list made uneven: 2,500 and 1,200 milli-GPU instead of 2,000.
  const nodes = s.nodes.map((n, i) => (i === 2 ? n : { ...n, node: { ...n.node, status: { ...n.node.status, allocatable: { ...n.node.status?.allocatable, 'alibaba.com/gpu-milli': i === 0 ? '2500' : '1200' } } } }));
  const r = runScenario({ ...s, nodes });
  assert.deepEqual(r.warnings.filter((w) => w.includes('not a multiple')), [
    '2 node(s) offer alibaba.com/gpu-milli that is not a multiple of 1000 (first: n-0, 2500): Open-Gpu-Share models whole devices of 1000, so n-0 has 2 and its remaining 500 is never allocated',
  ]);
  assert.deepEqual(runScenario(s).warnings.filter((w) => w.includes('not a multiple')), [], 'the list as it is: whole devices');
});
