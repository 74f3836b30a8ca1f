// A DaemonSet whose template names a node (spec.template.spec.nodeName): the API server accepts
// it, the controller runs its pod on that node only (upstream NodeShouldRunDaemonPod) and the pod
// is created with that nodeName, so it is stored bound and never goes through the scheduler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseScenario, runScenario } from '../src/index.js';
import type { Row } from '../src/metrics/collector.js';
import { tempDir } from '../src/testing/temp-dir.js';

function table(result: ReturnType<typeof runScenario>, file: string): readonly Row[] {
  const t = result.tables.find((x) => x.file === file);
  assert.ok(t !== undefined, file);
  return t.rows;
}

function scenario(kind: string, nodeName: string, cpu = '100m'): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: {name: ds-nodename}
duration: 2m
cluster:
  nodePools:
    - {name: general, count: 2, allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
workload:
  - name: agent
    manifest:
      apiVersion: apps/v1
      kind: ${kind}
      metadata: {name: agent}
      spec:
        selector: {matchLabels: {app: agent}}
        template:
          metadata: {labels: {app: agent}}
          spec:
            nodeName: ${nodeName}
            containers: [{name: a, image: busybox, resources: {requests: {cpu: ${cpu}}}}]
`;
}

const run = (text: string) => runScenario(parseScenario(text, join(tempDir('ksim-ds-nodename-'), 's.yaml')), { checkInvariants: true });

test('a DaemonSet template naming general-1: one pod, created bound on general-1 (no scheduling attempt); pods_bound counts only the scheduler\'s bindings', () => {
  const r = run(scenario('DaemonSet', 'general-1'));
  const pods = table(r, 'pods.csv');
  assert.deepEqual(pods.map((p) => [p['node'], p['phase'], p['attempts'], p['bound_s'] === p['created_s']]), [['general-1', 'Running', 0, true]]);
  assert.deepEqual(table(r, 'placements.csv'), []);
  assert.equal(r.summary['pods_bound'], 0);
});

test('a DaemonSet template naming a node not in the cluster makes no pod; one too big for its node waits for it in the scheduler', () => {
  assert.deepEqual(table(run(scenario('DaemonSet', 'elsewhere')), 'pods.csv'), []);
  const big = run(scenario('DaemonSet', 'general-0', '5'));
  assert.deepEqual(table(big, 'pods.csv').map((p) => [p['node'], p['phase']]), [['', 'Pending']]);
  assert.match(String(table(big, 'placements.csv')[0]?.['reason']), /^0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) didn't satisfy plugin\(s\) \[NodeAffinity\]\./);
});

test('other kinds\' templates and bare pods still may not set nodeName (ksim schedules every pod they make)', () => {
  assert.throws(() => run(scenario('Deployment', 'general-1')), /spec\.template\.spec\.nodeName: expected no nodeName/);
});
