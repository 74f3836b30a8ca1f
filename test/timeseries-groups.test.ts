// timeseries.csv with metrics.groupBy: the cluster's columns, then per pool (or zone) columns
// named `<key>=<name>:<column>`, one set per pool or zone of the run's nodes, sorted.
//
// Pool a: one node (2 CPU, 4 GiB) in zone-x; pool b: two nodes (4 CPU, 8 GiB each) in zone-y.
// One pod (1 CPU, 1 GiB) pinned to a-0 at 0 s runs from about 1 s on. Samples at 0, 10, 20 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../src/index.js';
import { runScenario } from '../src/run/run-scenario.js';

const text = (groupBy: string) => `
apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: groups }
duration: 20s
cluster:
  nodePools:
    - { name: a, count: 1, zones: [zone-x], allocatable: { cpu: "2", memory: 4Gi } }
    - { name: b, count: 2, zones: [zone-y], allocatable: { cpu: "4", memory: 8Gi } }
metrics: { sampleInterval: 10s${groupBy} }
workload:
  - name: p
    at: 0s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { nodeSelector: { kubernetes.io/hostname: a-0 }, containers: [{ name: c, image: x, resources: { requests: { cpu: "1", memory: 1Gi } } }] } }
`;

function groupColumns(groupBy: string) {
  const r = runScenario(parseScenario(text(groupBy), 'groups.yaml'));
  const t = r.tables.find((x) => x.file === 'timeseries.csv');
  assert.ok(t);
  const cols = t.columns.filter((c) => c.includes(':'));
  return { cols, rows: t.rows.map((row) => [row['time_s'], ...cols.map((c) => row[c])]), all: t.columns };
}

test('metrics.groupBy: pool adds nodes, running and available pods and requested ratios per pool', () => {
  const { cols, rows } = groupColumns(', groupBy: pool');
  const per = ['nodes_ready', 'nodes_not_ready', 'pods_running', 'pods_available', 'cpu_requested_ratio', 'memory_requested_ratio'];
  assert.deepEqual(cols, [...per.map((c) => `pool=a:${c}`), ...per.map((c) => `pool=b:${c}`)]);
  assert.deepEqual(rows, [
    // Nothing placed yet.
    ['0', 1, 0, 0, 0, '0', '0', 2, 0, 0, 0, '0', '0'],
    // The pod on a-0: 1 of 2 CPUs, 1 of 4 GiB of pool a; pool b untouched.
    ['10', 1, 0, 1, 1, '0.5', '0.25', 2, 0, 0, 0, '0', '0'],
    ['20', 1, 0, 1, 1, '0.5', '0.25', 2, 0, 0, 0, '0', '0'],
  ]);
});

test('metrics.groupBy: zone names the columns by zone; without groupBy there are none', () => {
  assert.deepEqual(groupColumns(', groupBy: zone').rows.at(-1), ['20', 1, 0, 1, 1, '0.5', '0.25', 2, 0, 0, 0, '0', '0']);
  assert.equal(groupColumns(', groupBy: zone').cols[0], 'zone=zone-x:nodes_ready');
  assert.deepEqual(groupColumns('').cols, []);
});

test('metrics.groupBy other than pool or zone is refused with its path', () => {
  assert.throws(() => parseScenario(text(', groupBy: node'), 'groups.yaml'), { message: 'groups.yaml:10:42: metrics.groupBy: expected one of "pool", "zone", got "node"' });
});
