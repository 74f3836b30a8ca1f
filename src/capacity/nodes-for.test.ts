import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../testing/repo-paths.js';
import { tempDir } from '../testing/temp-dir.js';
import { loadScenario } from '../workload/scenario.js';
import { faultFloor, findPlateau, nextCandidates, nodesFor, parseTolerance, ratioGuess, settleUs, unboundWarning, type NodesForResult, type Probe } from './nodes-for.js';
import { sequentialRunner } from './probe-runner.js';
import { badness, meets, metricValue, noBetter, parseTarget, parseTargets, targetsText } from './target.js';
import { runScenario } from '../run/run-scenario.js';
import { NODE_LIFECYCLE_DEFAULTS } from '../controllers/node-lifecycle.js';
import { planNote, renderNodesFor } from '../cli/nodes-for-command.js';
import type { ProbeTask } from './probe-runner.js';
import type { SearchPlan } from './nodes-for.js';

const INF = Number.POSITIVE_INFINITY;

test('targets read METRIC OP VALUE over summary.csv, pending standing for pods_unbound_end', () => {
  const cases: [string, string, number, boolean][] = [
    ['pending=0', 'pods_unbound_end=0', 0, true],
    ['pending == 0', 'pods_unbound_end=0', 1, false],
    ['sched_latency_p99_ms<5000', 'sched_latency_p99_ms<5000', 4999.5, true],
    ['sched_latency_p99_ms<5000', 'sched_latency_p99_ms<5000', 5000, false],
    ['replicas_ready_end>=20', 'replicas_ready_end>=20', 20, true],
    ['sched_latency_p99_ms<=10', 'sched_latency_p99_ms<=10', Number.NaN, false],
  ];
  for (const [text, canonical, v, ok] of cases) {
    const t = parseTarget(text);
    assert.equal(t.text, canonical, text);
    assert.equal(meets(t, v), ok, `${text} with ${v}`);
  }
  assert.ok(badness(parseTarget('pending=0'), 3) > badness(parseTarget('pending=0'), 1));
  // An unknown name is no syntax error: "no such metric", the names there are, and the nearest.
  assert.throws(() => parseTarget('pendng=0'), /^InputError: --target: no such metric "pendng" \(did you mean pending\?\): expected one of missing, pending, a numeric summary\.csv column \(sim_duration_s, pods_submitted, .*, pods_deleted_unbound, sched_latency_max_ms, pods_waited_over_60s\), or a pool metric pool_<resource>_requested_peak_ratio \(pool_cpu_requested_peak_ratio, pool_memory_requested_peak_ratio, or an extended resource's: pool_nvidia\.com\/gpu_requested_peak_ratio\), got "pendng=0"$/);
  assert.throws(() => parseTarget('pending'), /--target: expected METRIC OP VALUE/);
  assert.throws(() => parseTarget('pending=abc'), /--target: expected METRIC OP VALUE/);
  assert.throws(() => parseTarget('scenario=0'), /--target: no such metric "scenario": expected one of missing, pending, a numeric summary.csv column/);
  assert.throws(() => parseTarget('pool_gpu_requested_peak_ratio<=0.8'), /--target: no such metric "pool_gpu_requested_peak_ratio" \(did you mean pool_cpu_requested_peak_ratio\?\): .*or an extended resource's: pool_nvidia\.com\/gpu_requested_peak_ratio\)/);
  // Pool ratios of extended resources, by the resource's own name ('.', '/' and '-' in it).
  for (const [text, resource] of [['pool_nvidia.com/gpu_requested_peak_ratio<=0.8', 'nvidia.com/gpu'], ['pool_alibaba.com/gpu-milli_requested_peak_ratio < 0.9', 'alibaba.com/gpu-milli']] as const) {
    const t = parseTarget(text);
    assert.equal(t.text, text.replace(/ /g, ''));
    assert.equal(metricValue(t, { [`pool=l4:${resource}_requested_peak_ratio`]: 0.75, 'pool=l4:cpu_requested_peak_ratio': 0.1 }, 'l4'), 0.75);
  }
  // No metric is ever below 0: the search used to run and end with "more nodes do not help",
  // blaming pending pods.
  assert.throws(() => parseTarget('missing<0'), /^InputError: --target: expected a target some run can meet: missing is never below 0, so no count of nodes meets missing<0 \(did you mean missing<=0\?\), got "missing<0"$/);
  assert.throws(() => parseTarget('pending=-1'), /: pending is never below 0, so no count of nodes meets pending=-1 \(did you mean pending=0\?\), got "pending=-1"$/);
  assert.throws(() => parseTarget('sched_latency_p99_ms<=-5'), /: sched_latency_p99_ms is never below 0, so no count of nodes meets sched_latency_p99_ms<=-5 \(did you mean sched_latency_p99_ms<=0\?\)/);
  assert.equal(parseTarget('missing>=-1').text, 'missing>=-1'); // always met, not impossible
});

test('missing is what the workload lacks at the end: the larger of unbound pods and desired replicas not ready', () => {
  const t = parseTarget('missing=0');
  assert.equal(t.text, 'missing=0');
  const row = (unbound: number, desired: number, ready: number) => ({ pods_unbound_end: unbound, replicas_desired_end: desired, replicas_ready_end: ready });
  assert.equal(metricValue(t, row(0, 10, 10)), 0);
  // 7 replicas stranded on nodes that failed for good, none evicted: nothing is unbound.
  assert.equal(metricValue(t, row(0, 10, 3)), 7);
  // A replica left unbound is also not ready: it counts once.
  assert.equal(metricValue(t, row(1, 10, 9)), 1);
  assert.equal(metricValue(t, row(2, 10, 9)), 2);
  assert.ok(Number.isNaN(metricValue(t, { pods_unbound_end: 0 })));
});

test('tolerances read zone-outage or N nodes', () => {
  assert.deepEqual(parseTolerance('zone-outage'), { kind: 'zone-outage' });
  assert.deepEqual(parseTolerance('2 nodes'), { kind: 'nodes', count: 2 });
  assert.deepEqual(parseTolerance('1 node'), { kind: 'nodes', count: 1 });
  assert.throws(() => parseTolerance('0 nodes'), /^InputError: --tolerate: expected 'N nodes' with N a positive integer \(e\.g\. '2 nodes'\), or 'zone-outage', got "0 nodes"$/);
  assert.throws(() => parseTolerance('-1 nodes'), /--tolerate: expected 'N nodes' with N a positive integer \(e\.g\. '2 nodes'\), or 'zone-outage', got "-1 nodes"$/);
  assert.throws(() => parseTolerance('a zone'), /--tolerate/);
});

test('the search probes the scenario\'s count, doubles up from a failure, comes down to the resource bound, then splits the bracket', () => {
  const cases: [string, number, number, number | null, number[]][] = [
    ['first round: the scenario\'s count', -1, INF, null, [12]],
    ['nothing met yet: double', 12, INF, null, [24, 48]],
    ['met, bound known: the bound and the count below it', -1, 12, 8, [7, 8]],
    ['met, no bound: halve', -1, 12, null, [6, 3]],
    ['bracket wide: split evenly', 9, 24, null, [14, 19]],
    ['bracket narrow: every count inside', 9, 12, null, [10, 11]],
    ['capped at the largest count', 60, INF, null, [100]],
    ['above the resource bound: crowded towards it', 8, 24, 8, [9, 15]],
  ];
  for (const [name, lo, hi, est, want] of cases) assert.deepEqual(nextCandidates(lo, hi, 12, est, 2, 100), want, name);
  // A failing probe's unbound pods suggest a count: it and the count below it end the search if right.
  assert.deepEqual(nextCandidates(938, 1000, 1000, 938, 2, 100000, 953), [952, 953]);
  assert.deepEqual(nextCandidates(938, 1000, 1000, 938, 2, 100000, 939), [939, 940]);
  assert.deepEqual(nextCandidates(12, INF, 12, null, 3, 100, 15), [14, 15, 24], 'nothing met yet: the guess, then doubling');
  assert.deepEqual(nextCandidates(938, 1000, 1000, 938, 2, 100000, 1200), [944, 965], 'a guess outside the bracket: split');
});

test('the failure runs last until the lost nodes\' pods are evicted and replaced: 50 s + 5 s + 10 s per node + 300 s + 300 s', () => {
  assert.equal(settleUs(4), (50 + 5 + 40 + 300 + 300) * 1e6);
});

test('hand arithmetic: 10 pods of 3 CPUs on 4-CPU nodes need 10 nodes, 15 when a zone of three may be lost', async () => {
  const scenario = repoPath('scenarios/capacity.yaml');
  const target = parseTarget('pending=0');
  const plain = await nodesFor({ scenario, pool: 'general', target, runner: sequentialRunner() });
  assert.equal(plain.count, 10);
  const byCount = new Map(plain.probes.map((p) => [p.count, p]));
  assert.equal(byCount.get(9)?.met, false);
  assert.equal(byCount.get(9)?.targetValue, 1);
  assert.equal(plain.answer?.costPerHour, 2); // 10 × 0.2
  assert.equal(plain.answer?.cpuHeadroom, 0.25); // 3 of 4 CPUs requested on every node

  const zone = await nodesFor({ scenario, pool: 'general', target, tolerate: { kind: 'zone-outage' }, runner: sequentialRunner() });
  assert.equal(zone.count, 15);
  const z = new Map(zone.probes.map((p) => [p.count, p]));
  // 14 nodes are 5 + 5 + 4 by zone: losing a zone of 5 leaves 9 nodes for 10 pods.
  assert.equal(z.get(14)?.met, false);
  assert.equal(z.get(14)?.targetValue, 1);
  assert.match(z.get(14)?.worstRun ?? '', /^seed 1, zone-outage zone-[ab] at [0-9.]+s$/);
  assert.equal(z.get(15)?.runs, 4); // fault-free + one outage per zone
  assert.equal(z.get(15)?.runsMet, 4);
  assert.deepEqual(zone.probes.map((p) => p.count), [...zone.probes.map((p) => p.count)].sort((a, b) => a - b));
});

test('tolerating 9 nodes down for good needs 19 (10 survivors), not the 12 at which no pod is left unbound', async () => {
  // With 12 nodes (4 per zone) and 9 down, each zone has 3 of 4 NotReady: partial disruption in a
  // small zone evicts nothing (upstream ReducedQPSFunc), so 7 replicas stay stranded, bound to
  // dead nodes. pending=0 cannot see them; missing=0 (the default) does.
  const scenario = repoPath('scenarios/capacity.yaml');
  const r = await nodesFor({ scenario, pool: 'general', target: parseTarget('missing=0'), tolerate: { kind: 'nodes', count: 9 }, runner: sequentialRunner() });
  assert.equal(r.count, 19);
  const byCount = new Map(r.probes.map((p) => [p.count, p]));
  assert.equal(byCount.get(18)?.met, false);
  const stranded = await nodesFor({ scenario, pool: 'general', target: parseTarget('pending=0'), tolerate: { kind: 'nodes', count: 9 }, runner: sequentialRunner() });
  assert.ok((stranded.count ?? 0) < 19, 'pending=0 alone accepts fewer nodes than survive the loss');
});

test('the faults\' floor: the fewest nodes of the pool at which every node a fault targets exists', () => {
  const floorOf = (faults: string) => {
    const sc = loadScenario(repoPath('scenarios/capacity.yaml'), { set: [`faults=${faults}`] });
    return faultFloor(sc.faults ?? [], sc.nodes, 'general');
  };
  assert.deepEqual(floorOf('[{"nodeDown":{"nodes":["general-3","general-11"],"at":"1m"}}]'), { count: 12, why: 'fault f1 (nodeDown) names general-11' });
  // The pool's zones are round-robin: general-2 is its first node in zone-c.
  assert.deepEqual(floorOf('[{"etcdLeaderLoss":{"at":"1m"}},{"zoneOutage":{"zone":"zone-c","at":"1m"}}]'), { count: 3, why: 'fault f2 (zoneOutage) needs a node in zone-c' });
  assert.deepEqual(floorOf('[{"partition":{"pool":"general","at":"1m","for":"1m"}}]'), { count: 1, why: 'fault f1 (partition) needs a node of pool general' });
  assert.equal(floorOf('[{"etcdLeaderLoss":{"at":"1m"}}]'), null);
  assert.equal(floorOf('[]'), null);
});

test('counts below the faults\' floor are not run: one row says why, and the search starts at the scenario\'s count', async () => {
  const scenario = repoPath('scenarios/capacity.yaml');
  const set = ['faults=[{"nodeDown":{"nodes":["general-11"],"at":"9m","for":"30s"}}]'];
  const r = await nodesFor({ scenario, pool: 'general', target: parseTarget('pending=0'), set, runner: sequentialRunner() });
  assert.equal(r.count, 12);
  assert.deepEqual(r.probes.map((p) => [p.count, p.met, p.runs, p.worstRun]), [
    [11, false, 0, 'fault f1 (nodeDown) names general-11: not run'],
    [12, true, 1, 'seed 1'],
  ]);
  assert.deepEqual(r.faultFloor, { count: 12, why: 'fault f1 (nodeDown) names general-11' });
  // general-4 allows the true answer (10) to be found below the scenario's 12.
  const low = await nodesFor({ scenario, pool: 'general', target: parseTarget('pending=0'), set: ['faults=[{"nodeDown":{"nodes":["general-4"],"at":"9m","for":"30s"}}]'], runner: sequentialRunner() });
  assert.equal(low.count, 10);
  assert.equal(low.probes[0]?.count, 4);
  assert.equal(low.probes[0]?.runs, 0);
});

test('when four times the nodes do no better the search stops instead of doubling up to --max-count', async () => {
  // Pods of 5 CPUs on 4-CPU nodes: no count fits one.
  const scenario = repoPath('scenarios/capacity.yaml');
  const set = ['workload[0].manifest.spec.template.spec.containers[0].resources.requests.cpu=5'];
  const r = await nodesFor({ scenario, pool: 'general', target: parseTarget('missing=0'), set, runner: sequentialRunner() });
  assert.equal(r.count, null);
  assert.deepEqual(r.probes.map((p) => [p.count, p.targetValue]), [[12, 10], [24, 10], [48, 10]]);
  assert.deepEqual([r.plateau?.from.count, r.plateau?.to.count], [12, 48]);
  assert.deepEqual(r.plateau?.to.worstTask, { scenario, seed: 1, set: [...set, 'cluster.nodePools[0].count=48'] });
});

test('a guess that brings no progress is dropped for doubling: 2 pods no node of the pool holds (guess: 2 more nodes each time) end the search in 3 rounds, not 18 creeping by 2', async () => {
  // Every count leaves the same 2 pods of 3 CPUs unbound: each failing probe guesses 1.5 → 2
  // more 4-CPU nodes. Round 2 follows the guess (13, 14); 14 does no better than 12, so round 3
  // doubles (28, 56), and 56 doing no better than 12 (or 14) is a plateau.
  const runner = async (tasks: readonly { set: readonly string[] }[]) => tasks.map((t) => {
    const c = Number(/count=(\d+)$/.exec(t.set.at(-1) as string)?.[1]);
    return { pods_unbound_end: 2, replicas_desired_end: 10, replicas_ready_end: 8, pods_bound: 8, cpu_requested_peak_ratio: 24 / (4 * c), memory_requested_peak_ratio: 0.1, requested_peak_s: 1 };
  });
  const r = await nodesFor({ scenario: repoPath('scenarios/capacity.yaml'), pool: 'general', target: parseTarget('missing=0'), perRound: 2, runner });
  assert.equal(r.count, null);
  assert.deepEqual(r.probes.map((p) => [p.count, p.round]), [[12, 1], [13, 2], [14, 2], [28, 3], [56, 3]]);
  assert.deepEqual([r.plateau?.from.count, r.plateau?.to.count], [12, 56]);
});

test('a plateau needs a failing probe and one with four times its nodes doing no better; runs that did not happen do not count', () => {
  const t = parseTarget('missing=0');
  const probe = (count: number, met: boolean, value: number, runs = 1): Probe => ({ count, met, round: 1, runs, runsMet: met ? runs : 0, targetValues: [value], deciding: 0, targetValue: value, worstRun: 'seed 1', cpuHeadroom: 0, memoryHeadroom: 0, extendedHeadroom: {}, costPerHour: null, unboundEnd: 0, unboundRun: 'seed 1', deletedUnbound: 0, deletedUnboundRun: 'seed 1' });
  assert.equal(findPlateau(t, [probe(8, false, 5), probe(16, false, 5), probe(24, false, 5)]), null, 'only 3× the nodes');
  assert.deepEqual(findPlateau(t, [probe(8, false, 5), probe(32, false, 5)])?.to.count, 32);
  assert.deepEqual(findPlateau(t, [probe(8, false, 5), probe(32, false, 6)])?.to.count, 32, 'worse is no better');
  assert.equal(findPlateau(t, [probe(8, false, 5), probe(32, false, 4)]), null, 'one fewer missing is progress');
  assert.equal(findPlateau(t, [probe(1, false, Number.NaN, 0), probe(8, false, 5)]), null, 'a count not run is no evidence');
  assert.equal(findPlateau(t, [probe(8, false, 5), probe(32, true, 0)]), null);
});

test("--tolerate 'N nodes' is not answered below N: a pool of 1 node cannot lose 2 (it used to report 1 node, tolerating 2)", async () => {
  // The web pods fit on the big pool alone, so the small pool's nodes are never needed.
  const scenario = join(tempDir('ksim-tolerate-floor-'), 'two-pools.yaml');
  writeFileSync(scenario, `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster:
  nodePools:
    - { name: small, count: 1, allocatable: { cpu: "4", memory: 16Gi } }
    - { name: big, count: 4, allocatable: { cpu: "16", memory: 64Gi } }
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 4
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "1", memory: 1Gi } } }] }
`);
  const r = await nodesFor({ scenario, pool: 'small', target: parseTarget('missing=0'), tolerate: parseTolerance('2 nodes'), runner: sequentialRunner() });
  assert.equal(r.count, 2);
  assert.equal(r.tolerateFloor, 2);
  assert.deepEqual(r.probes[0] && [r.probes[0].count, r.probes[0].runs, r.probes[0].worstRun], [1, 0, "--tolerate '2 nodes' takes down 2 nodes of pool small: not run"]);
  assert.ok(r.probes.every((p) => p.count >= 2 || p.runs === 0));
});

test('headroom is the sized pool\'s: an idle second pool does not pad it (its pods cannot use that capacity)', async () => {
  // general: 10 pods of 3 CPUs pinned to it by nodeSelector, one per 4-CPU node: 75 % of its CPU
  // at 10 nodes; spare: 10 idle 16-CPU nodes. The cluster's peak is 30 / (40 + 160) = 0.15.
  const dir = tempDir('ksim-nodes-for-pools-');
  const file = join(dir, 'two-pools.yaml');
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 2m
cluster:
  nodePools:
    - { name: general, count: 12, allocatable: { cpu: "4", memory: 16Gi, pods: 110 }, labels: { pool: general } }
    - { name: spare, count: 10, allocatable: { cpu: "16", memory: 64Gi, pods: 110 } }
workload:
  - name: app
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: app }
      spec:
        replicas: 10
        selector: { matchLabels: { app: app } }
        template:
          metadata: { labels: { app: app } }
          spec:
            nodeSelector: { pool: general }
            containers: [{ name: c, image: x, resources: { requests: { cpu: "3", memory: 1Gi } } }]
`);
  const r = await nodesFor({ scenario: file, pool: 'general', target: parseTarget('missing=0'), runner: sequentialRunner() });
  assert.equal(r.count, 10);
  assert.equal(r.answer?.cpuHeadroom, 0.25); // 1 − 30/40, not 1 − 30/200 = 0.85
  assert.equal(r.answer?.memoryHeadroom, 1 - 10 / (10 * 16));
  const run = runScenario(loadScenario(file, { set: ['cluster.nodePools[0].count=10'] }), { sinks: 'none' });
  assert.equal(run.summary['cpu_requested_peak_ratio'], 0.15);
  assert.deepEqual(run.poolPeaks, { general: { cpu: 0.75, memory: 0.0625 }, spare: { cpu: 0, memory: 0 } });
});

/** A runner whose probe at count c leaves missing(c) pods of 3 CPUs unbound (100 replicas). */
function fakeRunner(missing: (c: number) => number) {
  return async (tasks: readonly { set: readonly string[] }[]) => tasks.map((t) => {
    const c = Number(/count=(\d+)$/.exec(t.set.at(-1) as string)?.[1]);
    const m = missing(c);
    return { pods_unbound_end: m, replicas_desired_end: 100, replicas_ready_end: 100 - m, pods_bound: 100 - m, cpu_requested_peak_ratio: Math.min(1, (3 * (100 - m)) / (4 * c)), memory_requested_peak_ratio: 0.1, requested_peak_s: 1 };
  });
}

test('once a round of guesses all fail, the search splits the bracket instead of creeping up by the guess', async () => {
  // Fragmentation: 100 pods of 3 CPUs need 75 4-CPU nodes by resources, but 90 to place them
  // all; each failing count leaves a few pods whose share guesses a node or two more.
  const missing = (c: number) => (c >= 90 ? 0 : Math.max(1, Math.ceil((90 - c) / 8)));
  const r = await nodesFor({ scenario: repoPath('scenarios/capacity.yaml'), pool: 'general', target: parseTarget('missing=0'), perRound: 2, runner: fakeRunner(missing) });
  assert.equal(r.count, 90);
  assert.deepEqual(r.inversions, []);
  // Following the guess alone took a round per node or two from 24 on (30 rounds and more).
  assert.ok(Math.max(...r.probes.map((p) => p.round)) <= 10, JSON.stringify(r.probes.map((p) => [p.count, p.round])));
});

test('a count failing above one that met (noise at the margin) does not stop the search: the answer is the fewest nodes above every failing count, and the pair is reported', async () => {
  // As above, but 74 nodes happen to place every pod and 93 leave one pending; both are probed
  // in round 5. Before, the search stopped there (exit 2, nothing written).
  const missing = (c: number) => (c === 93 ? 1 : c === 74 || c >= 90 ? 0 : Math.max(1, Math.ceil((90 - c) / 8)));
  const r = await nodesFor({ scenario: repoPath('scenarios/capacity.yaml'), pool: 'general', target: parseTarget('missing=0'), perRound: 2, runner: fakeRunner(missing) });
  assert.deepEqual(r.inversions, [{ failed: 93, met: 74 }]);
  assert.equal(r.count, 94);
  assert.ok(r.probes.some((p) => p.count === 93 && !p.met) && r.probes.some((p) => p.count === 74 && p.met));
  assert.match(renderNodesFor(r), /^The target is noisy at this margin \(93 failed it while 74 met it\): 94 is the fewest nodes above every count that failed; more --seeds make the answer steadier\.$/m);
});

test('a failure run lasts until the slowest zone has tainted its lost nodes: a large zone left partly down taints at 0.01 nodes/s (100 s a node), zones in parallel', () => {
  const base = (50 + 5 + 300 + 300) * 1e6;
  // 67 of a 70-node zone (partial disruption, > 50 nodes): 6,700 s; the others 10 s a node.
  assert.equal(settleUs(200, [{ lost: 67, size: 70 }, { lost: 67, size: 70 }, { lost: 66, size: 70 }]), base + 6700e6);
  // A zone wholly down taints at the primary rate; a zone under 55 % down too: the slowest zone.
  assert.equal(settleUs(30, [{ lost: 10, size: 10 }, { lost: 20, size: 100 }]), base + 200e6);
  // A small zone (at most 50 nodes) partly down never taints: nothing to wait for beyond the rest.
  assert.equal(settleUs(9, [{ lost: 3, size: 4 }, { lost: 3, size: 4 }, { lost: 3, size: 4 }]), base + 30e6);
});

test('a GPU-sharing pool\'s headroom counts its milli-GPUs: 40 pods of 300 milli on 4-GPU nodes need 4 nodes (12,000 of 16,000: 25 % left), and 3 nodes leave 10 % in fragments no pod fits', async () => {
  const dir = tempDir('ksim-nodes-for-gpushare-');
  const file = join(dir, 'gpushare.yaml');
  // /tmp/h13/gpushare40.yaml, reduced: it read "cpu 68.8 %, memory 68.8 %" headroom only.
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 3
duration: 10m
cluster:
  nodePools:
    - { name: cpu, count: 3, allocatable: { cpu: "8", memory: 32Gi } }
    - name: gpu
      count: 3
      allocatable: { cpu: "32", memory: 128Gi, alibaba.com/gpu-milli: 4000 }
      labels: { alibaba.com/gpu-model: A10 }
      taints: [{ key: gpu, value: "true", effect: NoSchedule }]
scheduler:
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
    - schedulerName: default-scheduler
      plugins:
        filter: { enabled: [{ name: Open-Gpu-Share }] }
        reserve: { enabled: [{ name: Open-Gpu-Share }] }
workload:
  - name: share
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: share }
      spec:
        replicas: 40
        selector: { matchLabels: { app: share } }
        template:
          metadata: { labels: { app: share } }
          spec:
            tolerations: [{ key: gpu, operator: Exists }]
            containers: [{ name: c, image: x, resources: { requests: { cpu: "1", memory: 4Gi, alibaba.com/gpu-milli: 300 }, limits: { alibaba.com/gpu-milli: 300 } } }]
`);
  const r = await nodesFor({ scenario: file, pool: 'gpu', target: parseTarget('missing=0'), runner: sequentialRunner() });
  assert.equal(r.count, 4);
  assert.deepEqual(r.extendedResources, ['alibaba.com/gpu-milli']);
  assert.deepEqual(r.probes.map((p) => [p.count, p.met, p.extendedHeadroom]), [
    [3, false, { 'alibaba.com/gpu-milli': 1 - 10800 / 12000 }], // 36 pods (3 a device) × 300 of 12,000: 10 %
    [4, true, { 'alibaba.com/gpu-milli': 0.25 }],
    [6, true, { 'alibaba.com/gpu-milli': 0.5 }],
  ]);
  assert.equal(r.answer?.cpuHeadroom, 1 - 40 / 128);
  assert.match(renderNodesFor(r), /^The answer is limited by alibaba\.com\/gpu-milli: the pool's least headroom at 4 \(25\.0 %\); cpu and memory have more left\.$/m);
  // The pool's own peaks per resource; the CPU pool has no GPU entry.
  const run = runScenario(loadScenario(file, { set: ['cluster.nodePools[1].count=4'] }), { sinks: 'none' });
  assert.deepEqual(run.poolPeaks, { cpu: { cpu: 0, memory: 0 }, gpu: { cpu: 40 / 128, memory: 160 / 512, 'alibaba.com/gpu-milli': 0.75 } });
});

/** 6 pods of 600 milli-GPU on a pool of 2-GPU nodes: two such shares cannot share a GPU, so each
 * node holds 2 (3 nodes); pooled per node, 3 fit in a node's 2,000 (2 nodes). */
function sixtyPercentShares(dir: string, openGpuShare: boolean): string {
  const file = join(dir, `share600-${openGpuShare ? 'device' : 'pooled'}.yaml`);
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 5m
cluster:
  nodePools:
    - { name: cpu, count: 1, allocatable: { cpu: "8", memory: 32Gi } }
    - name: l4
      count: 4
      allocatable: { cpu: "32", memory: 128Gi, alibaba.com/gpu-milli: 2000 }
      taints: [{ key: gpu, value: "true", effect: NoSchedule }]
${openGpuShare ? `scheduler:
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
    - schedulerName: default-scheduler
      plugins:
        filter: { enabled: [{ name: Open-Gpu-Share }] }
        reserve: { enabled: [{ name: Open-Gpu-Share }] }
` : ''}workload:
  - name: share
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: share }
      spec:
        replicas: 6
        selector: { matchLabels: { app: share } }
        template:
          metadata: { labels: { app: share } }
          spec:
            tolerations: [{ key: gpu, operator: Exists }]
            containers: [{ name: c, image: x, resources: { requests: { cpu: "1", memory: 4Gi, alibaba.com/gpu-milli: 600 }, limits: { alibaba.com/gpu-milli: 600 } } }]
`);
  return file;
}

const POOLED_WARNING = 'profile default-scheduler does not enable Open-Gpu-Share: alibaba.com/gpu-milli is counted as one pool per node (NodeResourcesFit), not device by device, so a share may be placed where no single GPU has the room; a scenario whose scheduler.config enables it (at filter and reserve) counts per device';

test('GPU shares counted pooled (no Open-Gpu-Share) are said by ksim run and by --nodes-for, whose answer (2 nodes for 6 shares of 600 on 2-GPU nodes) counts two shares on one GPU; by device it is 3', async () => {
  const dir = tempDir('ksim-nodes-for-pooled-');
  const pooled = sixtyPercentShares(dir, false);
  const run = runScenario(loadScenario(pooled, { set: ['cluster.nodePools[1].count=2'] }), { sinks: 'none' });
  assert.equal(run.summary.pods_bound, 6);
  assert.deepEqual(run.gpuPooledProfiles, ['default-scheduler']);
  assert.deepEqual(run.warnings.filter((w) => w.includes('Open-Gpu-Share')), [POOLED_WARNING]);
  const r = await nodesFor({ scenario: pooled, pool: 'l4', target: parseTarget('missing=0'), runner: sequentialRunner() });
  assert.equal(r.count, 2);
  assert.deepEqual(r.warnings, [POOLED_WARNING]);
  // By device: 2 a node, 3 nodes; nothing to say.
  const device = sixtyPercentShares(dir, true);
  const d = await nodesFor({ scenario: device, pool: 'l4', target: parseTarget('missing=0'), runner: sequentialRunner() });
  assert.equal(d.count, 3);
  assert.deepEqual(d.warnings, []);
  assert.deepEqual(runScenario(loadScenario(device), { sinks: 'none' }).gpuPooledProfiles, []);
});

test('pods that waited for room are seen: a Job of 4 pods of 2 CPUs running 10 min on 4-CPU nodes places all by the end on 1 node (missing=0), two of them after 10 min; pods_waited_over_60s and sched_latency_max_ms say so, the answer warns, and --target pods_waited_over_60s=0 needs 2 nodes', async () => {
  const file = repoPath('test/fixtures/capacity/job-wait.yaml');
  const one = runScenario(loadScenario(file, { set: ['cluster.nodePools[0].count=1'] }), { sinks: 'none' });
  assert.equal(one.summary.pods_unbound_end, 0);
  assert.equal(one.summary.pods_waited_over_60s, 2);
  // The two that waited were bound once the first two finished, 10 min (and the kubelet's and
  // the API's latencies) after their creation.
  assert.ok((one.summary.sched_latency_max_ms as number) > 600_000 && (one.summary.sched_latency_max_ms as number) < 610_000, String(one.summary.sched_latency_max_ms));
  assert.ok((one.summary.sched_latency_p50_ms as number) < 1000);
  const two = runScenario(loadScenario(file, { set: ['cluster.nodePools[0].count=2'] }), { sinks: 'none' });
  assert.equal(two.summary.pods_waited_over_60s, 0);
  assert.ok((two.summary.sched_latency_max_ms as number) < 1000);
  const r = await nodesFor({ scenario: file, pool: 'batch', target: parseTarget('missing=0'), runner: sequentialRunner() });
  assert.equal(r.count, 1);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0] as string, /^the answer, 1 node of pool batch, keeps 2 pods waiting over 60 s to be bound \(pods_waited_over_60s 2 in seed 1, the longest bound after 10m0\ds \(sched_latency_max_ms 60\d+(\.\d+)?\)\): missing=0 judges the end of the run; --target pods_waited_over_60s=0 sizes the pool so that no pod waits a minute for room \(or --target 'sched_latency_max_ms<=N' for another bound\)$/);
  const w = await nodesFor({ scenario: file, pool: 'batch', target: parseTargets(['missing=0', 'pods_waited_over_60s=0']), runner: sequentialRunner() });
  assert.equal(w.count, 2);
  assert.deepEqual(w.warnings, []);
  // A latency percentile over the pods does not bound the longest wait: still said.
  const p99 = await nodesFor({ scenario: file, pool: 'batch', target: parseTargets(['missing=0', 'sched_latency_p50_ms<60000']), runner: sequentialRunner() });
  assert.equal(p99.count, 1);
  assert.match(p99.warnings[0] as string, /: missing=0 and sched_latency_p50_ms<60000 do not bound the longest wait; /);
});

test('an extended resource\'s pool ratio is a target: 4 trainers of 2 GPUs need 2 nodes of 4 GPUs (all 8 GPUs used), 4 to keep half of the pool\'s GPUs free; a resource the pool lacks is refused', async () => {
  const file = repoPath('test/fixtures/capacity/gpu-pool.yaml');
  const r = await nodesFor({ scenario: file, pool: 'gpu', target: parseTargets(['missing=0', 'pool_nvidia.com/gpu_requested_peak_ratio<=0.5']), runner: sequentialRunner() });
  assert.equal(r.count, 4);
  assert.deepEqual(r.answer?.targetValues, [0, 0.5]);
  assert.equal(r.answer?.extendedHeadroom['nvidia.com/gpu'], 0.5);
  await assert.rejects(nodesFor({ scenario: file, pool: 'gpu', target: parseTarget('pool_example.com/fpga_requested_peak_ratio<=0.5'), runner: sequentialRunner() }), /^InputError: --target: expected a pool metric of a resource the nodes of pool gpu offer \(cpu, memory, nvidia\.com\/gpu\): pool_<resource>_requested_peak_ratio, got pool_example\.com\/fpga_requested_peak_ratio<=0\.5 \(pool gpu offers no example\.com\/fpga\)$/);
});

test('when more nodes do not help, the message names the workloads left unplaced and the pools whose nodes could hold them: sizing pool general of gpu-pool.yaml with 1 GPU node leaves 2 trainers only pool gpu can hold', async () => {
  const file = repoPath('test/fixtures/capacity/gpu-pool.yaml');
  const r = await nodesFor({ scenario: file, pool: 'general', target: parseTarget('missing=0'), set: ['cluster.nodePools[1].count=1'], runner: sequentialRunner() });
  assert.equal(r.count, null);
  assert.notEqual(r.plateau, null);
  assert.deepEqual(r.plateau?.to.unplaced, [{ workload: 'Deployment default/train', pods: 2, pools: ['gpu'] }]);
  const text = renderNodesFor(r);
  assert.match(text, /\nLeft unplaced in its worst run \(seed 1\): Deployment default\/train, 2 pods which nodes of pool gpu can hold \(not of pool general\)\.\nNo node of pool general can hold them: enlarge pool gpu instead \(--nodes-for gpu\)\.\n/);
  assert.doesNotMatch(text, /What keeps the target from being met/);
});

/** A runner that records its tasks: the fault-free run at count c leaves missing(c) pods of 3
 * CPUs unbound (of 10), and every failure run meets the target. */
function recordingRunner(missing: (c: number) => number, seen: ProbeTask[]) {
  return async (tasks: readonly ProbeTask[]) => tasks.map((t) => {
    seen.push(t);
    const c = Number(t.set.map((x) => /\.count=(\d+)$/.exec(x)?.[1]).find((x) => x !== undefined));
    const m = t.set.some((x) => x.startsWith('duration=')) ? 0 : missing(c);
    return { pods_unbound_end: m, replicas_desired_end: 10, replicas_ready_end: 10 - m, pods_bound: 10 - m, cpu_requested_peak_ratio: Math.min(1, (3 * (10 - m)) / (4 * c)), memory_requested_peak_ratio: 0.1, requested_peak_s: 2 };
  });
}

test("the failure runs add their fault to the faults in force after --set: --set 'faults=[]' with --tolerate is allowed (it was refused), and the scenario's own faults stay otherwise", async () => {
  const file = join(tempDir('ksim-nodes-for-faults-'), 'with-fault.yaml');
  writeFileSync(file, `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 10m
cluster:
  nodePools:
    - { name: general, count: 12, zones: [zone-a, zone-b, zone-c], allocatable: { cpu: "4", memory: 16Gi, pods: 110 } }
faults:
  - zoneOutage: { zone: zone-c, at: 8m, for: 1m }
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 10
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "3", memory: 1Gi } } }] }
`);
  const failureFaults = async (set: string[]) => {
    const seen: ProbeTask[] = [];
    const r = await nodesFor({ scenario: file, pool: 'general', target: parseTarget('missing=0'), tolerate: parseTolerance('1 node'), set, runner: recordingRunner((c) => Math.max(0, 10 - c), seen) });
    const t = seen.find((x) => x.set.includes('cluster.nodePools[0].count=12') && x.set.some((y) => y.startsWith('duration=')));
    return { count: r.count, set: t?.set ?? [] };
  };
  // 1 µs after the peak at 2 s; the run lasts until 2.000001 + 55 + 10 + 300 + 300 s, in whole seconds: 668 s.
  const down = { nodeDown: { nodes: ['general-0'], at: '2.000001s' } };
  const own = await failureFaults([]);
  assert.equal(own.count, 10);
  assert.deepEqual(own.set, ['cluster.nodePools[0].count=12', `faults=${JSON.stringify([{ zoneOutage: { zone: 'zone-c', at: '8m', for: '1m' } }, down])}`, 'duration=668s']);
  const none = await failureFaults(['faults=[]']);
  assert.equal(none.count, 10);
  assert.deepEqual(none.set, ['faults=[]', 'cluster.nodePools[0].count=12', `faults=${JSON.stringify([down])}`, 'duration=668s']);
  const moved = await failureFaults(['faults[0].zoneOutage.zone=zone-a']);
  assert.deepEqual(moved.set.at(-2), `faults=${JSON.stringify([{ zoneOutage: { zone: 'zone-a', at: '8m', for: '1m' } }, down])}`);
});

test("the plan says 'the 1 lost node is NotReady' (it said 'are'), and 'the 2 lost nodes are'", async () => {
  const note = async (tolerate: string, set: string[] = []) => {
    let plan: SearchPlan | null = null;
    await nodesFor({ scenario: repoPath('scenarios/capacity.yaml'), pool: 'general', target: parseTarget('missing=0'), tolerate: parseTolerance(tolerate), set, runner: recordingRunner((c) => Math.max(0, 10 - c), []), onPlan: (p) => (plan = p) });
    return planNote(plan as unknown as SearchPlan, 'missing=0', tolerate).split('\n')[1] ?? '';
  };
  // 12 nodes in 3 zones: general-0 is in zone-a; with 2 down, general-1 in zone-b (zones in parallel).
  assert.match(await note('1 node'), / then 55 s until the 1 lost node is NotReady, 10 s tainting it /);
  assert.match(await note('2 nodes'), / then 55 s until the 1 lost node of the slowest zone is NotReady, /);
  assert.match(await note('2 nodes', ['cluster.nodePools[0].zones=[zone-a]']), / then 55 s until the 2 lost nodes are NotReady, 20 s tainting them /);
  assert.match(await note('zone-outage', ['cluster.nodePools[0].count=3']), / then 55 s until zone zone-a's 1 node is NotReady, 10 s /);
});

test('a target that does not count unbound pods, met with pods left unbound: the answer says how many (1 node of a pool whose 10 pods need 10 met cpu_requested_peak_ratio<=0.8)', async () => {
  // A pool of 4-CPU nodes for 10 pods of 3 CPUs; with c nodes, 10 − c stay unbound and the
  // ratio stays low: every count meets the ratio target (0 nodes leave no cluster to run).
  const rows = (c: number) => ({ pods_unbound_end: Math.max(0, 10 - c), replicas_desired_end: 10, replicas_ready_end: Math.min(10, c), pods_bound: Math.min(10, c), cpu_requested_peak_ratio: 0.3, memory_requested_peak_ratio: 0.1, requested_peak_s: 2 });
  const runner = async (tasks: readonly ProbeTask[]) => tasks.map((t) => rows(Number(t.set.map((x) => /\.count=(\d+)$/.exec(x)?.[1]).find((x) => x !== undefined))));
  const r = await nodesFor({ scenario: repoPath('scenarios/capacity.yaml'), pool: 'general', target: parseTarget('cpu_requested_peak_ratio<=0.8'), runner });
  assert.equal(r.count, 1);
  assert.deepEqual(r.warnings, ["the answer, 1 node of pool general, leaves 9 pods unplaced (pods_unbound_end 9 in seed 1): cpu_requested_peak_ratio<=0.8 counts bound pods only; --target missing=0 sizes the pool to place every pod (its table gives the pool's headroom, 1 − its requested ratio, at each count)"]);
  // missing and pending count them: no warning (a target that allows some is the user's).
  const answer = { ...(r.answer as Probe), unboundEnd: 2 };
  assert.deepEqual(unboundWarning('general', parseTarget('pending<=2'), answer), []);
  assert.deepEqual(unboundWarning('general', parseTarget('missing<=2'), answer), []);
  assert.equal(unboundWarning('general', parseTarget('sched_latency_p99_ms<5000'), { ...answer, count: 2 })[0]?.startsWith('the answer, 2 nodes of pool general, leaves 2 pods unplaced'), true);
  assert.deepEqual(unboundWarning('general', parseTarget('sched_latency_p99_ms<5000'), { ...answer, unboundEnd: 0 }), []);
});

test('pool targets: pool_cpu_requested_peak_ratio and pool_memory_requested_peak_ratio read the sized pool\'s own peak (1 − its headroom), not the cluster\'s', () => {
  const t = parseTarget('pool_cpu_requested_peak_ratio<=0.8');
  assert.deepEqual(t, { metric: 'pool_cpu_requested_peak_ratio', op: '<=', value: 0.8, text: 'pool_cpu_requested_peak_ratio<=0.8' });
  // The cluster's ratio counts the idle spare pool (0.15); the pool's own is 0.75.
  const row = { cpu_requested_peak_ratio: 0.15, 'pool=general:cpu_requested_peak_ratio': 0.75, 'pool=general:memory_requested_peak_ratio': 0.0625, 'pool=spare:cpu_requested_peak_ratio': 0 };
  assert.equal(metricValue(t, row, 'general'), 0.75);
  assert.equal(metricValue(parseTarget('pool_memory_requested_peak_ratio<0.5'), row, 'general'), 0.0625);
  assert.equal(metricValue(t, row, 'spare'), 0);
  // A pool with no node has no peak: never met.
  assert.ok(Number.isNaN(metricValue(t, row, 'gpu')));
  assert.throws(() => metricValue(t, row), /pool_cpu_requested_peak_ratio needs the pool being sized/);
  assert.throws(() => parseTarget('pool_cpu_requested_peak_ration<=0.8'), /^InputError: --target: no such metric "pool_cpu_requested_peak_ration" \(did you mean pool_cpu_requested_peak_ratio\?\): expected one of missing, pending, .*, got "pool_cpu_requested_peak_ration<=0.8"$/);
});

test('several targets: each once, one per metric; a duplicate, a contradiction or two bounds of one metric is refused, naming both', () => {
  assert.deepEqual(parseTargets(['missing=0', 'pool_cpu_requested_peak_ratio<=0.8', 'pool_memory_requested_peak_ratio<=0.8']).map((t) => t.text), ['missing=0', 'pool_cpu_requested_peak_ratio<=0.8', 'pool_memory_requested_peak_ratio<=0.8']);
  // missing and pending are different metrics (missing=0 implies pending=0, harmless).
  assert.equal(parseTargets(['missing=0', 'pending=0']).length, 2);
  assert.throws(() => parseTargets(['missing=0', 'missing == 0']), /^InputError: --target: expected each target once, got missing=0 twice$/);
  // pending is pods_unbound_end: the same target twice.
  assert.throws(() => parseTargets(['pending=0', 'pods_unbound_end=0']), /^InputError: --target: expected each target once, got pods_unbound_end=0 twice$/);
  assert.throws(() => parseTargets(['missing=0', 'missing>=1']), /^InputError: --target: expected targets that can hold together: no value of missing meets both missing=0 and missing>=1, got --target "missing=0" --target "missing>=1"$/);
  assert.throws(() => parseTargets(['pool_cpu_requested_peak_ratio<0.5', 'pool_cpu_requested_peak_ratio>0.7']), /no value of pool_cpu_requested_peak_ratio meets both pool_cpu_requested_peak_ratio<0\.5 and pool_cpu_requested_peak_ratio>0\.7,/);
  assert.throws(() => parseTargets(['pool_cpu_requested_peak_ratio<=0.8', 'pool_cpu_requested_peak_ratio<=0.7']), /^InputError: --target: expected one target per metric \(pool_cpu_requested_peak_ratio<=0\.7 alone says both\), got pool_cpu_requested_peak_ratio<=0\.8 and pool_cpu_requested_peak_ratio<=0\.7$/);
  assert.throws(() => parseTargets(['sched_latency_p99_ms>=100', 'sched_latency_p99_ms<5000']), /^InputError: --target: expected one target per metric \(a count of nodes can push a metric only one way\), got sched_latency_p99_ms>=100 and sched_latency_p99_ms<5000$/);
  assert.equal(targetsText(parseTargets(['missing=0', 'pending=0', 'pool_cpu_requested_peak_ratio<=0.8'])), 'missing=0, pods_unbound_end=0 and pool_cpu_requested_peak_ratio<=0.8');
});

/** A runner for 10 pods of 3 CPUs on 4-CPU nodes (one a node): at count c, 10 − c stay unbound
 * and the pool's cpu peak is 3·min(10, c) / 4c; every failure run meets the targets. */
function poolRunner(seen: ProbeTask[]) {
  return async (tasks: readonly ProbeTask[]) => tasks.map((t) => {
    seen.push(t);
    // The probe's count is the last --set of it (after the user's).
    const c = Number(t.set.map((x) => /\.count=(\d+)$/.exec(x)?.[1]).filter((x) => x !== undefined).at(-1));
    const bound = Math.min(10, c);
    return { pods_unbound_end: 10 - bound, replicas_desired_end: 10, replicas_ready_end: bound, pods_bound: bound, cpu_requested_peak_ratio: (3 * bound) / (4 * c), memory_requested_peak_ratio: 0.1, requested_peak_s: 2, 'pool=general:cpu_requested_peak_ratio': (3 * bound) / (4 * c), 'pool=general:memory_requested_peak_ratio': 0.1 };
  });
}

test('missing=0 and pool_cpu_requested_peak_ratio<=0.7: 10 pods of 3 CPUs need 11 4-CPU nodes (30/44 = 0.68; 10 place them at 0.75), found in 2 rounds from the ratio at 12', async () => {
  const seen: ProbeTask[] = [];
  const targets = parseTargets(['missing=0', 'pool_cpu_requested_peak_ratio<=0.7']);
  const r = await nodesFor({ scenario: repoPath('scenarios/capacity.yaml'), pool: 'general', target: targets, runner: poolRunner(seen) });
  assert.equal(r.count, 11);
  assert.deepEqual(r.targets.map((t) => t.text), ['missing=0', 'pool_cpu_requested_peak_ratio<=0.7']);
  // 12 meets at 0.625: 12 × 0.625 / 0.7 = 10.7, so 11 is the fewest that can, and 10 is probed with it.
  assert.deepEqual(r.probes.map((p) => [p.count, p.round, p.met, p.targetValues, p.deciding, p.targetValue]), [
    [10, 2, false, [0, 0.75], 1, 0.75], // every pod placed, the pool 75 % requested: the ratio target decides
    [11, 2, true, [0, 30 / 44], 0, 0],
    [12, 1, true, [0, 0.625], 0, 0],
  ]);
  assert.equal(seen.length, 3);
  assert.equal(r.answer?.cpuHeadroom, 1 - 30 / 44);
  // missing=0 alone: 10.
  assert.equal((await nodesFor({ scenario: repoPath('scenarios/capacity.yaml'), pool: 'general', target: parseTarget('missing=0'), runner: poolRunner([]) })).count, 10);
});

test('from below, a failing pool ratio guesses the count that brings it under its bound: count × ratio / bound', async () => {
  assert.equal(ratioGuess(parseTargets(['missing=0', 'pool_cpu_requested_peak_ratio<=0.7']), 9, [1, 0.75]), 10); // 9.64
  assert.equal(ratioGuess(parseTargets(['pool_cpu_requested_peak_ratio<0.75']), 10, [0.75]), 11); // 10 exactly is not < 0.75
  assert.equal(ratioGuess(parseTargets(['pool_cpu_requested_peak_ratio<=0.8']), 10, [0.75]), null, 'met');
  assert.equal(ratioGuess(parseTargets(['missing=0']), 10, [2]), null, 'not a pool ratio');
  // From 4 nodes (6 pods unbound): the unbound pods guess 9 (4 + 6 × 3 / 4 CPUs), which fails
  // (1 unbound) with 8; guesses from pods then stop, the ratio's (9 × 0.75 / 0.7 → 10) goes on:
  // 10 fails at 0.75, and 10 × 0.75 / 0.7 → 11 ends it.
  const seen: ProbeTask[] = [];
  const r = await nodesFor({ scenario: repoPath('scenarios/capacity.yaml'), pool: 'general', target: parseTargets(['missing=0', 'pool_cpu_requested_peak_ratio<=0.7']), set: ['cluster.nodePools[0].count=4'], runner: poolRunner(seen) });
  assert.equal(r.count, 11);
  assert.deepEqual(r.probes.map((p) => [p.count, p.round, p.met]), [[4, 1, false], [8, 2, false], [9, 2, false], [10, 3, false], [11, 4, true], [12, 4, true], [18, 3, true]]);
});

test('several targets: a larger count does no better when no target the smaller one failed got nearer; the plateau and the printed line name the targets still failed', () => {
  const targets = parseTargets(['missing=0', 'pool_cpu_requested_peak_ratio<=0.8']);
  assert.equal(noBetter(targets, [0, 0.75], [2, 0.75]), false, 'missing 2 → 0 is progress, the ratio staying');
  assert.equal(noBetter(targets, [5, 0.3], [5, 1]), false, 'the ratio 1 → 0.3 is progress');
  assert.equal(noBetter(targets, [5, 0.2], [5, 0.3]), true, 'the ratio was met already: missing stays at 5');
  const probe = (count: number, values: number[]): Probe => ({ count, met: false, round: 1, runs: 1, runsMet: 0, targetValues: values, deciding: 0, targetValue: values[0] as number, worstRun: 'seed 1', cpuHeadroom: 0, memoryHeadroom: 0, extendedHeadroom: {}, costPerHour: null, unboundEnd: 5, unboundRun: 'seed 1', deletedUnbound: 0, deletedUnboundRun: 'seed 1' });
  // Pods pinned to another pool: missing stays at 5 whatever the count; the ratio falls and is met from 32.
  assert.equal(findPlateau(targets, [probe(8, [5, 1]), probe(32, [5, 0.3])]), null);
  const plateau = findPlateau(targets, [probe(8, [5, 1]), probe(32, [5, 0.3]), probe(128, [5, 0.1])]);
  assert.deepEqual([plateau?.from.count, plateau?.to.count], [32, 128]);
  const r = { pool: 'general', count: null, targets, target: targets[0], tolerate: undefined, seeds: [1], probes: [probe(8, [5, 1]), probe(32, [5, 0.3]), probe(128, [5, 0.1])], extendedResources: [], answer: null, poolCostPerHour: null, maxCount: 1000, plateau: plateau as { from: Probe; to: Probe }, inversions: [], faultFloor: null, tolerateFloor: null, warnings: [] } as unknown as NodesForResult;
  const text = renderNodesFor(r);
  assert.match(text, /^More nodes of pool general do not help missing=0 and pool_cpu_requested_peak_ratio<=0\.8, seed 1: missing 5 at 32 nodes, 5 at 128; the search stopped\.$/m);
  assert.match(text, /^count {2}met {2}round {2}runs met {2}missing {2}pool_cpu_requested_peak_ratio {2}worst run/m);
  assert.match(text, /^32 {5}no {3}1 {6}0\/1 {7}5 {8}0\.3 /m);
});

test('missing counts the pods deleted before they were ever placed, on top of the larger of the pending pods and the replica shortfall', () => {
  const missing = parseTarget('missing=0');
  // A trace's pods deleted while pending: none pending at the end, no controller short, 54 never placed.
  assert.equal(metricValue(missing, { pods_unbound_end: 0, replicas_desired_end: 0, replicas_ready_end: 0, pods_deleted_unbound: 54 }), 54);
  // 2 replicas pending (also 2 of the 5 short: counted once), 3 stranded on dead nodes, 4 bare pods gone unplaced.
  assert.equal(metricValue(missing, { pods_unbound_end: 2, replicas_desired_end: 10, replicas_ready_end: 5, pods_deleted_unbound: 4 }), 9);
  const answer = { count: 0, unboundEnd: 2, unboundRun: 'seed 1', deletedUnbound: 3, deletedUnboundRun: 'seed 2' } as Probe;
  assert.deepEqual(unboundWarning('general', parseTarget('missing=0'), answer), []);
  assert.deepEqual(unboundWarning('general', parseTarget('pods_deleted_unbound=0'), { ...answer, unboundEnd: 0 }), []);
  assert.deepEqual(unboundWarning('general', parseTarget('pending=0'), answer), [
    "the answer, 0 nodes of pool general, leaves 3 pods unplaced (pods_deleted_unbound 3, deleted before they were ever placed, in seed 2): pods_unbound_end=0 does not count pods deleted while they waited; --target missing=0 sizes the pool to place every pod (its table gives the pool's headroom, 1 − its requested ratio, at each count)",
  ]);
  assert.deepEqual(unboundWarning('general', parseTargets(['pool_cpu_requested_peak_ratio<=0.8', 'pool_memory_requested_peak_ratio<=0.8']), answer), [
    "the answer, 0 nodes of pool general, leaves 5 pods unplaced (pods_unbound_end 2 in seed 1; pods_deleted_unbound 3, deleted before they were ever placed, in seed 2): pool_cpu_requested_peak_ratio<=0.8 and pool_memory_requested_peak_ratio<=0.8 count bound pods only; another --target missing=0 sizes the pool to place every pod too (its table gives the pool's headroom, 1 − its requested ratio, at each count)",
  ]);
});

test('several targets none of which counts unbound pods: the warning names them all', () => {
  const answer = { count: 3, unboundEnd: 4, unboundRun: 'seed 2' } as Probe;
  assert.deepEqual(unboundWarning('general', parseTargets(['pool_cpu_requested_peak_ratio<=0.8', 'pool_memory_requested_peak_ratio<=0.8']), answer), [
    "the answer, 3 nodes of pool general, leaves 4 pods unplaced (pods_unbound_end 4 in seed 2): pool_cpu_requested_peak_ratio<=0.8 and pool_memory_requested_peak_ratio<=0.8 count bound pods only; another --target missing=0 sizes the pool to place every pod too (its table gives the pool's headroom, 1 − its requested ratio, at each count)",
  ]);
  assert.deepEqual(unboundWarning('general', parseTargets(['missing=0', 'pool_cpu_requested_peak_ratio<=0.8']), answer), []);
});

test("failure runs last as the scenario's controlPlane settings say: grace 20s, nodeEvictionRate 1 and a 60 s unreachable toleration give 25 + 1 + 60 + 300 s (not 55 + 10 + 300 + 300 s)", async () => {
  // duration=1m: the failure runs outlast the scenario's own duration (10m) either way.
  const set = ['duration=1m', 'controlPlane.controllerManager.nodeMonitorGracePeriod=20s', 'controlPlane.controllerManager.nodeEvictionRate=1', 'controlPlane.apiServer.defaultUnreachableTolerationSeconds=60'];
  const run = async (extra: string[]) => {
    let plan: SearchPlan | null = null;
    const seen: ProbeTask[] = [];
    await nodesFor({ scenario: repoPath('scenarios/capacity.yaml'), pool: 'general', target: parseTarget('missing=0'), tolerate: parseTolerance('1 node'), set: extra, runner: recordingRunner((c) => Math.max(0, 10 - c), seen), onPlan: (p) => (plan = p) });
    const failure = seen.find((t) => t.set.some((y) => y.startsWith('faults=')));
    return { plan: plan as unknown as SearchPlan, duration: failure?.set.at(-1) };
  };
  const tuned = await run(set);
  assert.deepEqual(
    { detectS: tuned.plan.failure?.longest.detectS, taintS: tuned.plan.failure?.longest.taintS, ratePerS: tuned.plan.failure?.longest.ratePerS, tolerationS: tuned.plan.failure?.longest.tolerationS, settleUs: tuned.plan.failure?.longest.settleUs },
    { detectS: 25, taintS: 1, ratePerS: 1, tolerationS: 60, settleUs: 386e6 },
  );
  // The peak at 2 s: 2.000001 + 386 s, in whole seconds (the defaults: 2.000001 + 665 s → 668 s).
  assert.equal(tuned.duration, 'duration=389s');
  assert.equal((await run(['duration=1m'])).duration, 'duration=668s');
  assert.match(planNote(tuned.plan, 'missing=0', '1 node').split('\n')[1] ?? '', / then 25 s until the 1 lost node is NotReady, 1 s tainting it at 1 nodes\/s .*, 60 s of default toleration /);
  // Rate 0: a zone's first limiter (rate 0, burst 1) taints its first node at once and no other:
  // detection, that node's pods' toleration and the replacements' time.
  assert.equal(settleUs(4, undefined, { lifecycle: { ...NODE_LIFECYCLE_DEFAULTS, evictionRate: 0 }, tolerationS: 300 }), (55 + 300 + 300) * 1e6);
  const zero = await run(['duration=1m', 'controlPlane.controllerManager.nodeEvictionRate=0']);
  assert.equal(zero.duration, 'duration=658s');
  assert.match(planNote(zero.plan, 'missing=0', '1 node').split('\n')[1] ?? '', / then 55 s until the 1 lost node is NotReady, the first of each zone tainted at once and no other \(kube-controller-manager's --node-eviction-rate 0: a zone's limiter has its burst of 1 and no more\), 300 s of default toleration and 300 s for the replacements/);
});
