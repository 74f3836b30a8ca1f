// A DaemonSet whose template names a node (spec.template.spec.nodeName): the API server accepts
// it, the controller runs its pod on that node only (upstream NodeShouldRunDaemonPod) and the pod
// is created with that nodeName, so it is stored bound and never goes through the scheduler; its
// kubelet refuses it when it does not fit (Failed, OutOfcpu) and the controller makes it again
// after its failed-pod backoff.
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

test('a DaemonSet template naming a node not in the cluster makes no pod; one too big for its node is refused by the kubelet (Failed, OutOfcpu) and made again after the backoff: 1, 2, 4, ... 32 s', () => {
  assert.deepEqual(table(run(scenario('DaemonSet', 'elsewhere')), 'pods.csv'), []);
  const big = run(scenario('DaemonSet', 'general-0', '5'));
  const pods = table(big, 'pods.csv');
  // Upstream: created bound to general-0 (never scheduled), refused by its kubelet's admission
  // (pkg/kubelet/lifecycle/predicate.go: OutOfcpu), deleted by the DaemonSet controller and made
  // again (podsShouldBeOnNode), the deletions held by failedPodsBackoff (1 s doubling, 15 min
  // cap): deleted 1, 2, 4, 8, 16, 32 s after the previous deletion; the 8th pod (refused at
  // 63.09 s) waits for 127 s, after the run.
  assert.deepEqual(pods.map((p) => [p['node'], p['phase'], p['attempts'], p['bound_s'] === p['created_s']]), Array.from({ length: 8 }, () => ['general-0', 'Failed', 0, true]));
  assert.deepEqual(pods.map((p) => p['created_s']), ['0.00538', '0.015389', '1.026318', '3.038439', '7.049361', '15.059282', '31.069439', '63.083328']);
  assert.deepEqual(pods.map((p) => p['finished_s']), ['0.008388', '0.019618', '1.029925', '3.042726', '7.051272', '15.06507', '31.072908', '63.087567']);
  assert.deepEqual(pods.map((p) => p['deletion_requested_s']), ['0.01129', '1.022459', '3.032417', '7.044992', '15.054944', '31.068036', '63.080499', '']);
  assert.deepEqual(table(big, 'placements.csv'), []);
  assert.deepEqual(big.warnings, [
    'DaemonSet default/agent ends with a node without its daemon: 1 pod failed, by reason: 1 "OutOfcpu: Pod was rejected: Node didn\'t have enough resource: cpu, requested: 5000, used: 0, capacity: 4000" (the DaemonSet controller deletes a failed daemon pod and makes another, waiting 1 s, 2 s, 4 s, ... up to 15 min between deletions on a node)',
  ]);
});

test('other kinds\' templates and bare pods still may not set nodeName (ksim schedules every pod they make)', () => {
  assert.throws(() => run(scenario('Deployment', 'general-1')), /spec\.template\.spec\.nodeName: expected no nodeName/);
});
