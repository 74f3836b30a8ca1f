// The node-failure chain with upstream defaults: kubelet lease renewals every 10 s, the node
// lifecycle controller's 5 s monitor period and 50 s grace, the unreachable taint, and the
// DefaultTolerationSeconds 300 s before the taint-eviction controller deletes the pods.
//
// Timing with every API write taking exactly 1 ms and no watch delay (expected window):
// the kubelet of n-0 renews at phase + k·10 s (phase drawn per node from stream "leases"); the
// last renewal sent before the crash at 100 s, s ∈ (90 s, 100 s), commits at c = s + 1 ms; the
// controller notices it at its first monitor tick P ≥ c (ticks every 5 s from 5 s), so
// P ∈ {95, 100, 105} s, and marks the node NotReady at the first tick T with T > P + 50 s, i.e.
// T = P + 55 s ∈ [150 s, 160 s]. The node update (Ready=Unknown + unreachable NoSchedule and, the
// zone being healthy, NoExecute at once) commits at T + 1 ms; the pods tolerate the taint for
// 300 s, so their deletes are sent at T + 300.001 s; the ReplicaSet's replacements are bound on
// the other nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../src/index.js';
import { prepareRun } from '../src/run/run-scenario.js';
import { repoPath } from '../src/testing/repo-paths.js';
import { loadScenario } from '../src/workload/scenario.js';
import { runScenario } from '../src/run/run-scenario.js';
import type { Row } from '../src/metrics/collector.js';

const SCENARIO = `
apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: node-down }
seed: 3
duration: 10m
cluster:
  nodePools:
    - { name: n, count: 3, zones: [zone-a], allocatable: { cpu: "4", memory: 16Gi } }
controlPlane:
  apiWriteLatency: 1ms
  watchDelay: 0s
  etcd: { members: 1, fsync: 0s, maxWritesPerSecond: 1e12 }
kubelet:
  startupLatency: 1s
workload:
  - name: web
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 3
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: web, image: nginx, resources: { requests: { cpu: "1", memory: 1Gi } } }]
faults:
  - nodeDown: { nodes: [n-0], at: 100s }
`;

function table(rows: readonly { file: string; rows: readonly Row[] }[], file: string): readonly Row[] {
  const t = rows.find((x) => x.file === file);
  assert.ok(t, file);
  return t.rows;
}

test('a node that dies at 100 s is NotReady at the tick after grace, its pods evicted 300 s after the taint and replaced elsewhere', () => {
  const run = prepareRun(parseScenario(SCENARIO, 'node-down.yaml'));
  run.sim.run(100_000_000);
  const lease = run.cluster.objects.get('Lease/kube-node-lease/n-0');
  const lastSent = (lease?.spec as { renewTime: number }).renewTime;
  assert.ok(lastSent > 90_000_000 && lastSent < 100_000_000, `last renewal ${lastSent}`);
  const victims = (run.cluster.nodeByName.get('n-0')?.pods ?? []).map((p) => p.name);
  assert.ok(victims.length >= 1, 'the spread put at least one pod on n-0');
  run.sim.run(run.endUs);
  const result = run.finish();

  const committed = lastSent + 1_000;
  const seen = Math.ceil(committed / 5_000_000) * 5_000_000;
  const notReadyUs = seen + 55_000_000;
  assert.ok(notReadyUs >= 150_000_000 && notReadyUs <= 160_000_000);
  const rec = table(result.tables, 'recovery.csv');
  assert.equal(rec.length, 1);
  assert.equal(rec[0]?.['kind'], 'nodeDown');
  assert.equal(rec[0]?.['target'], 'n-0');
  assert.equal(rec[0]?.['start_s'], '100');
  assert.equal(rec[0]?.['end_s'], '');
  assert.equal(rec[0]?.['detected_s'], String(notReadyUs / 1e6));
  // The NoExecute taint at the next 5-s tick (upstream processTaintBaseEviction reads the Ready
  // condition observed before the tick that set it Unknown), its write committing 1 ms later,
  // then the default 300 s toleration.
  const evictUs = notReadyUs + 5_000_000 + 1_000 + 300_000_000;
  assert.equal(rec[0]?.['first_eviction_s'], (evictUs / 1e6).toFixed(6).replace(/\.?0+$/, ''));
  assert.equal(rec[0]?.['pods_affected'], victims.length);
  assert.equal(rec[0]?.['pods_rescheduled'], victims.length);
  assert.equal(rec[0]?.['pods_lost'], 0);

  const placements = table(result.tables, 'placements.csv');
  const evicted = placements.filter((r) => r['result'] === 'evicted');
  assert.deepEqual(evicted.map((r) => r['pod']).sort(), [...victims].sort());
  for (const r of evicted) {
    assert.equal(r['node'], 'n-0');
    assert.equal(r['reason'], 'taint node.kubernetes.io/unreachable:NoExecute, tolerated for 300s');
    assert.equal(r['time_s'], (evictUs / 1e6).toFixed(6).replace(/\.?0+$/, ''));
  }
  // Replacements: created after the delete commits, bound on n-1 / n-2.
  const later = placements.filter((r) => r['result'] === 'bound' && Number(r['time_s']) > evictUs / 1e6);
  assert.equal(later.length, victims.length);
  for (const r of later) assert.notEqual(r['node'], 'n-0');
  const s = result.summary;
  assert.equal(s['node_failures'], 1);
  assert.equal(s['pods_evicted'], victims.length);
  assert.ok(Number(s['reschedule_p50_s']) > 0 && Number(s['reschedule_p50_s']) < 0.1, String(s['reschedule_p50_s']));
  const nodes = table(result.tables, 'nodes.csv');
  assert.deepEqual(nodes.map((r) => r['ready']), ['false', 'true', 'true']);
  // The evicted pods are Terminating on the dead node until its kubelet confirms: it never
  // comes back, so they still hold their place there at the end.
  assert.equal(nodes[0]?.['pods'], victims.length);
  const ts = table(result.tables, 'timeseries.csv');
  assert.equal(ts[ts.length - 1]?.['pods_terminating'], victims.length);
  assert.equal(Number(nodes[1]?.['pods']) + Number(nodes[2]?.['pods']), 3);
});

test('a node that comes back is Ready again and loses its taints before its pods are evicted', () => {
  const result = runScenario(parseScenario(SCENARIO.replace('at: 100s }', 'at: 100s, for: 2m }'), 'node-back.yaml'));
  const rec = table(result.tables, 'recovery.csv')[0];
  assert.equal(rec?.['end_s'], '220');
  assert.equal(rec?.['first_eviction_s'], '');
  assert.equal(result.summary['pods_evicted'], 0);
  const nodes = table(result.tables, 'nodes.csv');
  assert.equal(nodes[0]?.['ready'], 'true');
  const ts = table(result.tables, 'timeseries.csv');
  // Samples every minute: NotReady at 3m (detected in [150 s, 160 s]), Ready again by 4m
  // (renewal at 220 s seen at the 225 s tick).
  assert.deepEqual(ts.map((r) => r['nodes_not_ready']), [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
});

test('faults are deterministic: the same seed gives the same bytes', () => {
  const a = runScenario(loadScenario(repoPath('scenarios/zone-outage.yaml')));
  const b = runScenario(loadScenario(repoPath('scenarios/zone-outage.yaml')));
  assert.deepEqual(a.tables, b.tables);
});

test('zone outage: zone-a dark for 15 m, its pods evicted at the zone rate and rescheduled in b and c', () => {
  const result = runScenario(loadScenario(repoPath('scenarios/zone-outage.yaml')));
  const rec = table(result.tables, 'recovery.csv');
  assert.equal(rec.length, 1);
  const r = rec[0] as Row;
  assert.equal(r['kind'], 'zoneOutage');
  assert.equal(r['target'], 'zone=zone-a');
  assert.equal(r['start_s'], '120');
  assert.equal(r['end_s'], '1020');
  // Detected 50-60 s after the outage (grace + renewal phase + monitor tick); first eviction 300 s
  // after the first node's taint (+ the 1 ms... here the default latencies: under 0.1 s).
  const detected = Number(r['detected_s']);
  assert.ok(detected >= 170 && detected <= 180, String(detected));
  assert.equal(detected % 5, 0);
  const first = Number(r['first_eviction_s']);
  assert.ok(first >= detected + 300 && first < detected + 300 + 30 + 0.1, String(first));
  assert.equal(r['pods_affected'], 6);
  assert.equal(r['pods_rescheduled'], 6);
  assert.equal(r['pods_lost'], 0);
  assert.ok(Number(r['reschedule_max_s']) < 1, String(r['reschedule_max_s']));
  const zoneOf = new Map(table(result.tables, 'nodes.csv').map((n) => [n['node'], n['zone']]));
  const placements = table(result.tables, 'placements.csv');
  const evictedAt = placements.filter((p) => p['result'] === 'evicted').map((p) => Number(p['time_s']));
  assert.equal(evictedAt.length, 6);
  for (const p of placements.filter((x) => x['result'] === 'bound' && Number(x['time_s']) > first)) assert.notEqual(zoneOf.get(p['node']), 'zone-a');
});

test('zone outage: zone-a\'s nodes are tainted at the zone\'s eviction rate, which follows the zone state', () => {
  // Watch the nodes of zone-a half a second after each 5 s monitor tick (every controller
  // decision falls on a tick or a 10 s token step from one; its write commits within a few ms).
  const run = prepareRun(loadScenario(repoPath('scenarios/zone-outage.yaml')));
  const zoneA = run.cluster.nodes.filter((n) => n.zone === 'zone-a').map((n) => n.name);
  assert.deepEqual(zoneA, ['general-0', 'general-3', 'general-6', 'general-9']);
  run.sim.run(120_000_000);
  // The outage starts at 120 s: each node's last lease renewal before it (phases from the seeded
  // stream "leases") is seen at the first monitor tick after it commits, P = 115 s or 120 s, and
  // the node is NotReady at the first tick after P + 50 s: P + 55 s.
  const expectedNotReady = new Map<string, number>();
  for (const n of zoneA) {
    const renewUs = (run.cluster.objects.get(`Lease/kube-node-lease/${n}`)?.spec as { renewTime: number }).renewTime;
    const seenS = Math.ceil(renewUs / 5_000_000) * 5;
    // The default control plane commits a write within a few ms (10 ms bound).
    assert.equal(Math.ceil((renewUs + 10_000) / 5_000_000) * 5, seenS, `${n}: renewal at ${renewUs} µs commits before the tick`);
    expectedNotReady.set(n, seenS + 55);
  }
  assert.deepEqual(Object.fromEntries(expectedNotReady), { 'general-0': 170, 'general-3': 175, 'general-6': 170, 'general-9': 170 });
  const notReadyAt = new Map<string, number>();
  const taintedAt = new Map<string, number>();
  for (let tick = 125; tick <= 300; tick += 5) {
    run.sim.run(tick * 1_000_000 + 500_000);
    for (const name of zoneA) {
      const n = run.cluster.mustNode(name);
      if (!n.ready && !notReadyAt.has(name)) notReadyAt.set(name, tick);
      if (n.taints.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') && !taintedAt.has(name)) taintedAt.set(name, tick);
    }
  }
  assert.deepEqual(Object.fromEntries(notReadyAt), Object.fromEntries(expectedNotReady));
  // At 170 s three of the four nodes are NotReady: more than 2 and 3/4 ≥ 0.55, PartialDisruption;
  // a zone of at most 50 nodes then gets rate 0, so none is tainted. At 175 s the fourth is
  // NotReady: FullDisruption, rate 0.1 nodes/s from a new token bucket (burst 1), drained
  // because the rate-0 one had no token (upstream SwapLimiter): the first taint 10 s later, then
  // one per 10 s, in the order the nodes were queued.
  assert.deepEqual(Object.fromEntries(taintedAt), { 'general-0': 185, 'general-6': 195, 'general-9': 205, 'general-3': 215 });
  run.sim.run(run.endUs);
  // Each node's pods are evicted 300 s after its taint (DefaultTolerationSeconds), plus the taint's
  // and the delete's write latencies (milliseconds).
  const evicted = table(run.finish().tables, 'placements.csv').filter((r) => r['result'] === 'evicted');
  assert.equal(evicted.length, 6);
  for (const r of evicted) {
    const due = (taintedAt.get(String(r['node'])) as number) + 300;
    const t = Number(r['time_s']);
    assert.ok(t > due && t < due + 0.1, `${String(r['pod'])} on ${String(r['node'])} evicted at ${t}, expected just after ${due}`);
  }
});

test('faults errors name the file, line, column and field', () => {
  const bad = (faults: string) => () => parseScenario(SCENARIO.replace('  - nodeDown: { nodes: [n-0], at: 100s }', faults), 's.yaml');
  assert.throws(bad('  - nodeDown: { nodes: [n-9], at: 100s }'), { message: 's.yaml:31:25: faults[0].nodeDown.nodes[0]: expected the name of a node of the cluster, got "n-9"' });
  assert.throws(bad('  - zoneOutage: { zone: zone-z, at: 1m }'), { message: 's.yaml:31:25: faults[0].zoneOutage.zone: expected a zone some node is in, got "zone-z"' });
  assert.throws(bad('  - nodeDown: { pool: n, nodes: [n-0], at: 1m }'), /s\.yaml:31:\d+: faults\[0\]\.nodeDown: expected exactly one of nodes or pool/);
});

// controlPlane.controllerManager / controlPlane.apiServer: the settings that set recovery time.

test('nodeMonitorGracePeriod 20s: the dead node is NotReady 20 s + one monitor tick after its last renewal was seen (not 50 s + a tick)', () => {
  const run = prepareRun(parseScenario(SCENARIO.replace('controlPlane:\n', 'controlPlane:\n  controllerManager: { nodeMonitorGracePeriod: 20s }\n'), 'grace-20s.yaml'));
  run.sim.run(100_000_000);
  const lastSent = (run.cluster.objects.get('Lease/kube-node-lease/n-0')?.spec as { renewTime: number }).renewTime;
  run.sim.run(run.endUs);
  const rec = table(run.finish().tables, 'recovery.csv')[0] as Row;
  // Seen at the tick P after the renewal commits (1 ms); NotReady at the first tick after P + 20 s.
  const seen = Math.ceil((lastSent + 1_000) / 5_000_000) * 5_000_000;
  const notReadyUs = seen + 25_000_000;
  assert.equal(rec['detected_s'], String(notReadyUs / 1e6));
  assert.ok(notReadyUs - seen >= 20_000_000 && notReadyUs - seen <= 25_000_000);
  // Crash at 100 s, renewal seen at 95-105 s: detected at 120-130 s (the default: 150-160 s).
  assert.ok(notReadyUs >= 120_000_000 && notReadyUs <= 130_000_000, String(notReadyUs));
  // The eviction still waits the default 300 s after the taint (the next tick, + 1 ms).
  assert.equal(rec['first_eviction_s'], ((notReadyUs + 5_000_000 + 1_000 + 300_000_000) / 1e6).toFixed(6).replace(/\.?0+$/, ''));
});

test('defaultUnreachableTolerationSeconds 60: the pods are evicted 60 s after the unreachable taint, and say so', () => {
  const run = prepareRun(parseScenario(SCENARIO.replace('controlPlane:\n', 'controlPlane:\n  apiServer: { defaultUnreachableTolerationSeconds: 60 }\n'), 'toleration-60.yaml'));
  run.sim.run(100_000_000);
  const lastSent = (run.cluster.objects.get('Lease/kube-node-lease/n-0')?.spec as { renewTime: number }).renewTime;
  const pods = [...run.cluster.pods.values()];
  for (const p of pods) {
    const tols = (p.pod.spec?.tolerations ?? []).map((t) => `${t.key}=${t.tolerationSeconds}`);
    assert.deepEqual(tols, ['node.kubernetes.io/not-ready=300', 'node.kubernetes.io/unreachable=60']);
  }
  run.sim.run(run.endUs);
  const result = run.finish();
  const notReadyUs = Math.ceil((lastSent + 1_000) / 5_000_000) * 5_000_000 + 55_000_000;
  const taintUs = notReadyUs + 5_000_000 + 1_000;
  const evictS = ((taintUs + 60_000_000) / 1e6).toFixed(6).replace(/\.?0+$/, '');
  assert.equal(table(result.tables, 'recovery.csv')[0]?.['first_eviction_s'], evictS);
  const evicted = table(result.tables, 'placements.csv').filter((r) => r['result'] === 'evicted');
  assert.ok(evicted.length >= 1);
  for (const r of evicted) {
    assert.equal(r['reason'], 'taint node.kubernetes.io/unreachable:NoExecute, tolerated for 60s');
    assert.equal(r['time_s'], evictS);
  }
});

test('nodeEvictionRate 2: zone-a\'s nodes queued together are tainted 0.5 s apart once the zone is fully down (10 s apart at 0.1); at 1 never (the never limiter reports QPS 1)', () => {
  const taints = (rate: number) => {
    const run = prepareRun(loadScenario(repoPath('scenarios/zone-outage.yaml'), { set: [`controlPlane.controllerManager.nodeEvictionRate=${rate}`] }));
    const zoneA = run.cluster.nodes.filter((n) => n.zone === 'zone-a').map((n) => n.name);
    const taintedAt = new Map<string, number>();
    for (let t = 1600; t <= 2400; t++) {
      run.sim.run(t * 100_000 + 50_000);
      for (const name of zoneA) {
        const n = run.cluster.mustNode(name);
        if (n.taints.some((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoExecute') && !taintedAt.has(name)) taintedAt.set(name, t / 10);
      }
    }
    return Object.fromEntries(taintedAt);
  };
  // NotReady at 170 s (three nodes: PartialDisruption, rate 0 in a zone of at most 50: upstream
  // SwapLimiter(0) makes the fake never limiter) and 175 s (the fourth: FullDisruption,
  // SwapLimiter(2): a bucket drained because the never limiter had no token): the three queued at
  // 175 s are tainted at 175.5, 176 and 176.5 s; the fourth, queued at the pass after it went
  // NotReady (180 s), then (its token free since 177 s). At the default 0.1: 185, 195, 205, 215 s.
  assert.deepEqual(taints(2), { 'general-0': 175.5, 'general-6': 176, 'general-9': 176.5, 'general-3': 180 });
  // At 1: SwapLimiter(1) finds the never limiter's QPS() 1 and keeps it: nothing is tainted.
  assert.deepEqual(taints(1), {});
});

test('nodeEvictionRate 0: the zone\'s first limiter (rate 0, burst 1) taints one node, whose pod is evicted 300 s later; the rest stay on the dead nodes', () => {
  // zone-a NotReady at 170 s (3 of 4: Partial, SwapLimiter(0) finds QPS 0 and keeps the first
  // limiter, its token unspent) and 175 s; general-0, queued at 175 s, is tainted then; its api
  // pod evicted at 475 s and replaced. No other token comes: the other 5 pods wait for the zone
  // to come back (1020 s): whole again 905 s after the start.
  const result = runScenario(loadScenario(repoPath('scenarios/zone-outage.yaml'), { set: ['controlPlane.controllerManager.nodeEvictionRate=0'] }));
  const rec = table(result.tables, 'recovery.csv')[0] as Row;
  assert.deepEqual([rec['detected_s'], rec['first_eviction_s'], rec['pods_affected'], rec['pods_rescheduled'], rec['pods_lost'], rec['time_to_full_availability_s']], ['170', '475.005714', 6, 1, 0, '905.002986']);
  assert.equal(result.summary['pods_evicted'], 1);
});

test('pods bound to the dead node after it died but before it was marked NotReady are the fault\'s: affected and lost, as summary.csv\'s evictions say', () => {
  // 30 bare pods a minute spread over 3 nodes; w-0 dies at 120 s and is NotReady at 175 s: the 20
  // pods bound there before 120 s and the 10 the scheduler bound there meanwhile (it still saw
  // the node Ready) are all evicted at 480 s and, bare, lost.
  const result = runScenario(parseScenario(`
apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: detection-window }
seed: 4
duration: 15m
cluster:
  nodePools: [{ name: w, count: 3, zones: [zone-a, zone-b, zone-c], allocatable: { cpu: "64", memory: 256Gi } }]
workload:
  - name: batch
    rate: { perMinute: 30, process: fixed }
    runDuration: 10m
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: batch }
      spec:
        restartPolicy: Never
        containers: [{ name: c, image: worker, resources: { requests: { cpu: 500m } } }]
faults:
  - nodeDown: { nodes: [w-0], at: 2m }
`, 'detection-window.yaml'));
  const rec = table(result.tables, 'recovery.csv')[0] as Row;
  assert.deepEqual([rec['detected_s'], rec['first_eviction_s'], rec['pods_affected'], rec['pods_rescheduled'], rec['pods_lost']], ['175', '480.00223', 30, 0, 30]);
  assert.equal(result.summary['pods_evicted'], 30);
});

test('bad recovery settings are refused naming the field and what was expected', () => {
  const bad = (set: string) => () => loadScenario(repoPath('scenarios/zone-outage.yaml'), { set: [set] });
  const cases: [string, string][] = [
    ['controlPlane.controllerManager.nodeMonitorGracePeriod=0s', 'controlPlane.controllerManager.nodeMonitorGracePeriod: expected a positive duration, got "0s"'],
    ['controlPlane.controllerManager.nodeMonitorGracePeriod=-5s', 'controlPlane.controllerManager.nodeMonitorGracePeriod: expected a Go-style duration'],
    ['controlPlane.controllerManager.nodeEvictionRate=-0.1', 'controlPlane.controllerManager.nodeEvictionRate: expected a number >= 0 and <= 1000000, got -0.1'],
    ['controlPlane.controllerManager.secondaryNodeEvictionRate=-1', 'controlPlane.controllerManager.secondaryNodeEvictionRate: expected a number >= 0 and <= 1000000, got -1'],
    ['controlPlane.controllerManager.unhealthyZoneThreshold=0', 'controlPlane.controllerManager.unhealthyZoneThreshold: expected a number > 0 and <= 1, got 0'],
    ['controlPlane.controllerManager.unhealthyZoneThreshold=1.2', 'controlPlane.controllerManager.unhealthyZoneThreshold: expected a number > 0 and <= 1, got 1.2'],
    ['controlPlane.controllerManager.largeClusterSizeThreshold=50.5', 'controlPlane.controllerManager.largeClusterSizeThreshold: expected an integer >= 0 and <= 1000000000, got 50.5'],
    ['controlPlane.apiServer.defaultUnreachableTolerationSeconds=-1', 'controlPlane.apiServer.defaultUnreachableTolerationSeconds: expected an integer >= 0 and <= 1000000000, got -1'],
    ['controlPlane.apiServer.defaultNotReadyTolerationSeconds=1.5', 'controlPlane.apiServer.defaultNotReadyTolerationSeconds: expected an integer >= 0 and <= 1000000000, got 1.5'],
  ];
  for (const [set, message] of cases) assert.throws(bad(set), (e: Error) => e.message.includes(message), `${set}: ${message}`);
});

test('a grace period not longer than the lease renewal interval loads, with a warning', () => {
  const sc = loadScenario(repoPath('scenarios/zone-outage.yaml'), { set: ['controlPlane.controllerManager.nodeMonitorGracePeriod=10s'] });
  assert.equal(sc.nodeLifecycle?.gracePeriodUs, 10_000_000);
  assert.ok(sc.warnings.includes("controlPlane.controllerManager.nodeMonitorGracePeriod 10s is not longer than the kubelet's lease renewal interval (10s): healthy nodes will be marked NotReady between renewals"), sc.warnings.join('\n'));
  const dflt = loadScenario(repoPath('scenarios/zone-outage.yaml'));
  assert.deepEqual(dflt.nodeLifecycle, { monitorPeriodUs: 5_000_000, gracePeriodUs: 50_000_000, evictionRate: 0.1, secondaryEvictionRate: 0.01, largeClusterThreshold: 50, unhealthyZoneThreshold: 0.55 });
  assert.deepEqual(dflt.controlPlane.defaultTolerationSeconds, { notReady: 300, unreachable: 300 });
});
