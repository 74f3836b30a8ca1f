// Random node failures (MTBF / MTTR per pool), kubelet flaps, and the availability columns of
// recovery.csv and workloads.csv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../src/index.js';
import { runScenario } from '../src/run/run-scenario.js';
import { repoPath } from '../src/testing/repo-paths.js';
import { loadScenario } from '../src/workload/scenario.js';
import { expandRandomFaults, type FaultSpec } from '../src/faults/spec.js';
import { RandomStreams } from '../src/engine/random.js';
import { fmt } from '../src/metrics/stats.js';
import type { Row } from '../src/metrics/collector.js';

const H = 3_600_000_000;
/** The CSV's number format: 6 decimals, trailing zeros dropped. */
const six = (v: number) => fmt(v, 6);
const M = 60_000_000;

function table(result: { tables: readonly { file: string; rows: readonly Row[] }[] }, file: string): readonly Row[] {
  const t = result.tables.find((x) => x.file === file);
  assert.ok(t, file);
  return t.rows;
}

const scenario = (faults: string, duration = '6h') => `
apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: random }
seed: 5
duration: ${duration}
cluster:
  nodePools:
    - { name: general, count: 4, zones: [zone-a, zone-b], allocatable: { cpu: "8", memory: 32Gi } }
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 8
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: web, image: nginx, resources: { requests: { cpu: "1", memory: 1Gi } } }]
faults:
${faults}
`;

test('expandRandomFaults: each node alternates mtbf up / mttr down from at; failures ordered by time then node', () => {
  const spec: FaultSpec = {
    id: 'f2', kind: 'random', target: 'pool=p', nodes: ['a', 'b'], atUs: 0, forUs: null,
    random: { mtbf: { kind: 'constant', value: H }, mttr: { kind: 'constant', value: 10 * M } },
  };
  const out = expandRandomFaults([spec], new RandomStreams(1).stream('faults'), 3 * H);
  assert.deepEqual(out.map((f) => [f.id, f.kind, f.target, f.atUs, f.forUs]), [
    ['f2.1', 'random', 'a', H, 10 * M],
    ['f2.2', 'random', 'b', H, 10 * M],
    ['f2.3', 'random', 'a', 2 * H + 10 * M, 10 * M],
    ['f2.4', 'random', 'b', 2 * H + 10 * M, 10 * M],
  ]);
});

test('random failures of a pool: one recovery row per failure, repaired after the mttr, deterministic', () => {
  const text = scenario('  - random: { pool: general, mtbf: { exponential: { mean: 3h } }, mttr: 20m }');
  const a = runScenario(parseScenario(text, 'r.yaml'), { checkInvariants: 50 });
  const b = runScenario(parseScenario(text, 'r.yaml'));
  assert.deepEqual(a.tables, b.tables);
  const rec = table(a, 'recovery.csv');
  assert.ok(rec.length >= 2, `${rec.length} failures`);
  rec.forEach((r, k) => {
    assert.equal(r['fault_id'], `f1.${k + 1}`);
    assert.equal(r['kind'], 'random');
    assert.match(String(r['target']), /^general-[0-3]$/);
    assert.equal(Number(r['end_s']) - Number(r['start_s']), 1200);
    // 20 m down: NotReady 55 s after the monitor tick that saw the last renewal (sent up to 10 s
    // before the crash), evicted 300 s after the taint, every pod replaced.
    const lag = Number(r['detected_s']) - Number(r['start_s']);
    assert.ok(lag >= 45 && lag <= 60, String(lag));
    assert.equal(r['pods_rescheduled'], r['pods_affected']);
    if (Number(r['pods_affected']) > 0) {
      assert.ok(Number(r['min_available_ratio']) < 1);
      const ttf = Number(r['time_to_full_availability_s']);
      assert.ok(ttf > 340 && ttf < 370, String(ttf));
    }
  });
  assert.equal(a.summary['node_failures'], rec.length);
});

test('random: loader errors name the field', () => {
  assert.throws(() => parseScenario(scenario('  - random: { pool: general, mtbf: 0s, mttr: 20m }'), 's.yaml'), /s\.yaml:\d+:\d+: faults\[0\]\.random\.mtbf: expected a distribution with a positive mean, got "0s"/);
  assert.throws(() => parseScenario(scenario('  - random: { pool: gpu, mtbf: 1h, mttr: 20m }'), 's.yaml'), /s\.yaml:\d+:\d+: faults\[0\]\.random\.pool: expected the name of a node pool, got "gpu"/);
  assert.throws(() => parseScenario(scenario('  - kubeletFlap: { nodes: [general-0], at: 1m, for: 10m, period: 0s }'), 's.yaml'), /faults\[0\]\.kubeletFlap\.period: expected a positive duration, got "0s"/);
});

test('kubeletFlap: a flap must end, and its period must leave at least 1 µs down and 1 µs up', () => {
  const flap = (body: string) => () => parseScenario(scenario(`  - kubeletFlap: { nodes: [general-0], at: 1m, ${body} }`), 's.yaml');
  assert.throws(flap('period: 4m'), /faults\[0\]\.kubeletFlap: expected the required field "for"/);
  assert.throws(flap('for: forever, period: 4m'), /faults\[0\]\.kubeletFlap\.for: expected a Go-style duration such as 90s, 15m, 1h30m or 250ms, got "forever"/);
  // 1 µs would be down floor(1 / 2) = 0 µs; 2 µs is the shortest flap (down 1 µs, up 1 µs).
  assert.throws(flap('for: 10m, period: 1us'), /faults\[0\]\.kubeletFlap\.period: expected a positive duration, got "1us"/);
  const [f] = parseScenario(scenario('  - kubeletFlap: { nodes: [general-0], at: 1m, for: 10m, period: 2us }'), 's.yaml').faults ?? [];
  assert.deepEqual([f?.kind, f?.periodUs, f?.forUs], ['kubeletFlap', 2, 10 * M]);
});

test('kubeletFlap: 2 m off / 2 m on makes the node NotReady then Ready each cycle, never long enough to evict', () => {
  const r = runScenario(parseScenario(scenario('  - kubeletFlap: { nodes: [general-0], at: 1m, for: 12m, period: 4m }', '20m'), 'f.yaml'), { checkInvariants: 50 });
  const rec = table(r, 'recovery.csv');
  assert.equal(rec.length, 1);
  assert.equal(rec[0]?.['kind'], 'kubeletFlap');
  assert.equal(rec[0]?.['start_s'], '60');
  assert.equal(rec[0]?.['end_s'], '780');
  const detected = Number(rec[0]?.['detected_s']);
  assert.ok(detected >= 110 && detected <= 120, String(detected));
  assert.equal(r.summary['pods_evicted'], 0);
  // Off 60-180 s, 300-420 s, 540-660 s: NotReady in the samples at 2m, 6m and 10m, and still at
  // 3m, 7m, 11m (the renewal at the heal is seen at the next monitor tick).
  const ts = table(r, 'timeseries.csv');
  assert.deepEqual(ts.map((x) => x['nodes_not_ready']), [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  // The pods of general-0 count as unavailable while it is NotReady; back when it is Ready.
  const w = table(r, 'workloads.csv');
  assert.equal(w.length, 1);
  assert.equal(w[0]?.['ready'], 8);
});

test('zone outage: availability columns follow from when zone-a\'s nodes went NotReady and when the replacements ran', () => {
  // Worked from the run's own event times rather than pasted: a pod is available while Running
  // on a Ready node, so a workload stops being whole when the first zone-a node holding one of
  // its pods goes NotReady (that node update's commit), and is whole again when the last of its
  // replacements is Running (that status write's commit). Nothing else happens in this scenario.
  const result = runScenario(loadScenario(repoPath('scenarios/zone-outage.yaml')), { events: true });
  const events = table(result, 'events.csv');
  const placements = table(result, 'placements.csv');
  const zoneA = new Set(table(result, 'nodes.csv').filter((n) => n['zone'] === 'zone-a').map((n) => String(n['node'])));
  const faultS = 120;
  const workloadOf = (pod: string) => pod.split('-')[0] as string; // web-<hash>-<x>, api-<hash>-<x>
  // The node update that makes a zone-a node NotReady is its first after the fault starts.
  const notReadyS = new Map<string, number>();
  for (const e of events) {
    if (e['kind'] === 'api.update-node' && Number(e['time_s']) > faultS && zoneA.has(String(e['object'])) && !notReadyS.has(String(e['object']))) notReadyS.set(String(e['object']), Number(e['time_s']));
  }
  assert.equal(notReadyS.size, 4);
  // Where each workload's pods were when the zone went dark.
  const hit = new Map<string, string[]>();
  for (const r of placements) {
    if (r['result'] !== 'bound' || Number(r['time_s']) > faultS || !zoneA.has(String(r['node']))) continue;
    const w = workloadOf(String(r['pod']));
    hit.set(w, [...(hit.get(w) ?? []), String(r['node'])]);
  }
  assert.deepEqual(Object.fromEntries([...hit].map(([w, nodes]) => [w, nodes.length])), { api: 2, web: 4 });
  // Replacements: bound after the first eviction; Running when their status write commits.
  const firstEvictionS = Math.min(...placements.filter((r) => r['result'] === 'evicted').map((r) => Number(r['time_s'])));
  const runningS = new Map<string, number>();
  for (const r of placements.filter((x) => x['result'] === 'bound' && Number(x['time_s']) > firstEvictionS)) {
    const key = `${String(r['namespace'])}/${String(r['pod'])}`;
    const status = events.find((e) => e['kind'] === 'api.pod-status' && e['object'] === key && Number(e['time_s']) > Number(r['time_s']));
    assert.ok(status !== undefined, `${key} never Running`);
    runningS.set(String(r['pod']), Number(status['time_s']));
  }
  assert.equal(runningS.size, 6);
  const lastRunning = (w: string) => Math.max(...[...runningS].filter(([p]) => workloadOf(p) === w).map(([, t]) => t));
  const firstDown = (w: string) => Math.min(...(hit.get(w) ?? []).map((n) => notReadyS.get(n) as number));

  const r = table(result, 'recovery.csv')[0] as Row;
  // All six zone-a pods are unavailable together (every zone-a node is NotReady before the first
  // replacement runs): (12 + 6 − 6) / (12 + 6).
  assert.ok(Math.max(...notReadyS.values()) < Math.min(...runningS.values()));
  assert.equal(r['min_available_ratio'], six(12 / 18));
  // Whole again when the last replacement of either workload is Running, counted from the fault.
  assert.equal(r['time_to_full_availability_s'], six(Math.max(lastRunning('api'), lastRunning('web')) - faultS));
  const w = table(result, 'workloads.csv');
  assert.deepEqual(w.map((x) => [x['name'], x['desired'], x['ready'], x['available_min_ratio']]), [
    ['api', 6, 6, six(4 / 6)], // 2 of its 6 pods were in zone-a
    ['web', 12, 12, six(8 / 12)], // 4 of its 12
  ]);
  for (const x of w) {
    const name = String(x['name']);
    assert.equal(x['unavailable_s'], six(lastRunning(name) - firstDown(name)), name);
  }
});
