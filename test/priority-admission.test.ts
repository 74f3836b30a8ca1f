// Priority admission in a run: a PriorityClass from the scenario gives pods their priority; a
// pod naming a class that does not exist is refused by the API server, and the run says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, runScenario } from '../src/index.js';

const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 8Gi } }]
workload:
  - name: classes
    manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: high }, value: 1000 }
  - name: good
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: good }, spec: { priorityClassName: high, containers: [{ name: c, image: x }] } }
  - name: bad
    rate: { perMinute: 60, count: 3, process: fixed }
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: bad }, spec: { priorityClassName: missing, containers: [{ name: c, image: x }] } }
`;

test('pods naming a missing PriorityClass are refused and reported; the others get the class priority', () => {
  const r = runScenario(parseScenario(SCENARIO, 'admission.yaml'));
  assert.equal(r.summary['pods_submitted'], 1);
  assert.equal(r.summary['pods_bound'], 1);
  assert.deepEqual(r.warnings, ['3 create(s) refused by the API server, first default/bad-1: pods "bad-1" is forbidden: no PriorityClass with name missing was found']);
});

test('a pod with scheduling gates stays pending and never reaches the scheduler', () => {
  const s = SCENARIO.replace('spec: { priorityClassName: high, containers', 'spec: { priorityClassName: high, schedulingGates: [{ name: example.com/quota }], containers');
  const r = runScenario(parseScenario(s, 'gates.yaml'));
  assert.equal(r.summary['pods_submitted'], 1);
  assert.equal(r.summary['pods_bound'], 0);
  assert.equal(r.summary['pods_unbound_end'], 1);
  assert.equal(r.summary['sched_attempts'], 0);
});
