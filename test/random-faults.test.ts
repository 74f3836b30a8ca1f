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
import type { Row } from '../src/metrics/collector.js';

const H = 3_600_000_000;
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

test('zone outage: a third of both Deployments unavailable from detection until the last replacement runs', () => {
  const result = runScenario(loadScenario(repoPath('scenarios/zone-outage.yaml')));
  const r = table(result, 'recovery.csv')[0] as Row;
  // web 12 + api 6 desired; zone-a held 4 + 2 of them: 12/18 available once its nodes are NotReady.
  assert.equal(r['min_available_ratio'], '0.666667');
  // Whole again when the last zone-a node's pods (tainted 30 s after the first, evicted 300 s
  // later) are replaced and Running: 120 s + 385.7 s.
  assert.equal(r['time_to_full_availability_s'], '385.708923');
  assert.deepEqual(table(result, 'workloads.csv'), [
    { kind: 'Deployment', namespace: 'shop', name: 'api', desired: 6, ready: 6, available_min_ratio: '0.666667', unavailable_s: '327.377399' },
    { kind: 'Deployment', namespace: 'shop', name: 'web', desired: 12, ready: 12, available_min_ratio: '0.666667', unavailable_s: '335.702907' },
  ]);
});
