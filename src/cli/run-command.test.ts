// The run command's progress snapshot: what the live line counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareRun } from '../run/run-scenario.js';
import { parseScenario } from '../workload/scenario.js';
import { snapshot } from './run-command.js';

const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "1", memory: 4Gi } }]
workload:
  - name: short
    rate: { perMinute: 60, count: 3 }
    runDuration: 10s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: short }, spec: { restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: 400m } } }] } }
  - name: big
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: big }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "2" } } }] } }
`;

test('the progress snapshot counts live pods only: finished pods still in the store are neither bound nor pending', () => {
  const run = prepareRun(parseScenario(SCENARIO, 's.yaml'));
  run.sim.run(2 * 60 * 1_000_000);
  const s = snapshot(run);
  // The three 10-second pods have finished (Succeeded, kept until the pod GC's threshold); the
  // 2-CPU pod fits nowhere.
  assert.equal([...run.cluster.pods.values()].filter((p) => p.phase === 'Succeeded').length, 3);
  assert.equal(s.podsBound, 0);
  assert.equal(s.podsPending, 1);
});
