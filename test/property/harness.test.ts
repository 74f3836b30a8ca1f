// The harness's own table properties can fail: a real run passes, and each tampered copy of it
// (a binding that breaks a static constraint, a second binding, an over-committed node, a
// miscount) is rejected with a message naming what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { parseScenario } from '../../src/workload/scenario.js';
import type { RunResult } from '../../src/run/run-scenario.js';
import type { Row } from '../../src/metrics/collector.js';
import { checkScenarioText, checkTables, runChecked } from './harness.js';

const TEXT = `
apiVersion: ksim/v1alpha1
kind: Scenario
seed: 5
duration: 60s
cluster:
  nodePools:
    - { name: p0, count: 1, allocatable: { cpu: "4", memory: 4Gi, pods: 10 }, taints: [{ key: dedicated, value: x, effect: NoSchedule }] }
    - { name: p1, count: 1, allocatable: { cpu: "2", memory: 4Gi, pods: 10 }, labels: { disktype: ssd } }
workload:
  - name: w0
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: w0 }, spec: { nodeSelector: { disktype: ssd }, containers: [{ name: c, image: x, resources: { requests: { cpu: "1" } } }] } }
  - name: w1
    at: 10s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: w1 }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "3" } } }] } }
`;

const doc = parseYaml(TEXT) as Record<string, unknown>;
const scenario = parseScenario(TEXT, 'harness.yaml');
const result = runChecked(scenario);

/** A copy of the run with one table's rows changed. */
function tampered(file: string, change: (rows: Row[]) => void): RunResult {
  return {
    ...result,
    tables: result.tables.map((t) => {
      if (t.file !== file) return t;
      const rows = t.rows.map((r) => ({ ...r }));
      change(rows);
      return { ...t, rows };
    }),
  };
}

function boundRow(rows: Row[], pod: string): Row {
  const r = rows.find((x) => x['pod'] === pod && x['result'] === 'bound');
  assert.ok(r !== undefined, `no bound row for ${pod}`);
  return r;
}

test('the untampered run passes and binds w0 to p1-0 and leaves w1 (3 CPU) pending', () => {
  checkScenarioText(TEXT, 'harness.yaml', { determinism: true });
  const placements = result.tables.find((t) => t.file === 'placements.csv')!.rows;
  assert.equal(boundRow([...placements], 'w0')['node'], 'p1-0');
  assert.equal(result.summary['pods_bound'], 1);
  assert.equal(result.summary['pods_unbound_end'], 1);
});

test('a binding to a node without the label the nodeSelector asks for is rejected', () => {
  const r = tampered('placements.csv', (rows) => void (boundRow(rows, 'w0')['node'] = 'p0-0'));
  assert.throws(() => checkTables(doc, scenario, r), /pod of workload entry w0 bound to p0-0 although nodeSelector disktype=ssd but the node has undefined/);
});

test('a binding to a node whose taint the pod does not tolerate is rejected', () => {
  const r = tampered('placements.csv', (rows) => {
    const first = rows.find((x) => x['pod'] === 'w1')!;
    assert.equal(first['result'], 'unschedulable');
    Object.assign(first, { result: 'bound', node: 'p0-0', reason: '' });
  });
  assert.throws(() => checkTables(doc, scenario, r), /pod of workload entry w1 bound to p0-0 although untolerated taint dedicated=x:NoSchedule/);
});

test('a binding of a pod bigger than the node is rejected', () => {
  const r = tampered('placements.csv', (rows) => {
    boundRow(rows, 'w0')['pod'] = 'w1';
  });
  assert.throws(() => checkTables(doc, scenario, r), /pod of workload entry w1 bound to p1-0 although requests 3000 cpu, the node has 2000/);
});

test('a second binding of the same pod is rejected', () => {
  const r = tampered('placements.csv', (rows) => {
    const b = boundRow(rows, 'w0');
    rows.splice(rows.indexOf(b) + 1, 0, { ...b, attempt: 2 });
  });
  assert.throws(() => checkTables(doc, scenario, r), /an attempt after the pod was bound to p1-0/);
});

test('attempt numbers that skip are rejected', () => {
  const r = tampered('placements.csv', (rows) => void (boundRow(rows, 'w0')['attempt'] = 2));
  assert.throws(() => checkTables(doc, scenario, r), /attempt numbers go 1, 2, \.\.\./);
});

test('a node requesting more cpu than it has is rejected', () => {
  const r = tampered('nodes.csv', (rows) => void (rows[1]!['cpu_requested_milli'] = 2001));
  assert.throws(() => checkTables(doc, scenario, r), /nodes\.csv p1-0: cpu requested 2001 > allocatable 2000/);
});

test('pods_bound that disagrees with placements.csv is rejected', () => {
  const r = { ...result, tables: result.tables.map((t) => (t.file === 'summary.csv' ? { ...t, rows: [{ ...t.rows[0], pods_bound: 0 }] } : t)) };
  assert.throws(() => checkTables(doc, scenario, r), /pods_bound = bound rows of placements\.csv/);
});

test('a node that lost a pod nothing removed is rejected', () => {
  const r = tampered('nodes.csv', (rows) => void (rows[1]!['pods'] = 0));
  assert.throws(() => checkTables(doc, scenario, r), /nodes\.csv p1-0: 0 pods but 1 bound and 0 preempted/);
});
