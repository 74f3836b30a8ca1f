// The disruption controller keeps PodDisruptionBudget status current.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../workload/scenario.js';
import { prepareRun } from '../run/run-scenario.js';
import { objectKey } from '../cluster/workload-object.js';

const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
cluster:
  nodePools: [{ name: n, count: 3, allocatable: { cpu: "8", memory: 32Gi } }]
kubelet: { startupLatency: 2s }
workload:
  - name: guard
    manifest: { apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: { name: web }, spec: { minAvailable: 4, selector: { matchLabels: { app: web } } } }
  - name: pct
    manifest: { apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: { name: web-pct }, spec: { maxUnavailable: "40%", selector: { matchLabels: { app: web } } } }
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 5
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
`;

test('PDB status follows the pods: nothing allowed while they start, then healthy − desired', () => {
  const run = prepareRun(parseScenario(SCENARIO, 'pdb.yaml'));
  const status = (name: string) => run.cluster.objects.get(objectKey('PodDisruptionBudget', 'default', name))?.['status'];
  run.sim.run(1_000_000); // 1 s: pods created and bound, none Running yet (startup 2 s)
  assert.deepEqual(status('web'), { currentHealthy: 0, desiredHealthy: 4, disruptionsAllowed: 0, expectedPods: 5 });
  run.sim.run(run.endUs);
  // minAvailable 4 of 5 healthy → 1; maxUnavailable 40 % of 5 replicas = 2 (rounded up) → desired 3 → 2.
  assert.deepEqual(status('web'), { currentHealthy: 5, desiredHealthy: 4, disruptionsAllowed: 1, expectedPods: 5 });
  assert.deepEqual(status('web-pct'), { currentHealthy: 5, desiredHealthy: 3, disruptionsAllowed: 2, expectedPods: 5 });
});
