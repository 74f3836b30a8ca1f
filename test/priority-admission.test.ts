// Priority admission in a run: a PriorityClass from the scenario gives pods their priority; a
// pod naming a class that does not exist is refused by the API server, and the run says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, runScenario } from '../src/index.js';
import { prepareRun } from '../src/run/run-scenario.js';

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

/** SCENARIO plus a pod naming no class. */
const WITH_PLAIN = SCENARIO.replace('  - name: bad\n', '  - name: plain\n    manifest: { apiVersion: v1, kind: Pod, metadata: { name: plain }, spec: { containers: [{ name: c, image: x }] } }\n  - name: bad\n');

test('admitted pods carry the priority of their class; a pod without a class gets 0 (no globalDefault class)', () => {
  assert.notEqual(WITH_PLAIN, SCENARIO);
  const run = prepareRun(parseScenario(WITH_PLAIN, 'admission.yaml'));
  run.sim.run(run.endUs);
  const good = run.cluster.pods.get('default/good');
  const plain = run.cluster.pods.get('default/plain');
  assert.ok(good !== undefined && plain !== undefined);
  assert.deepEqual([good.priority, good.pod.spec?.priority, good.pod.spec?.priorityClassName, good.pod.spec?.preemptionPolicy], [1000, 1000, 'high', 'PreemptLowerPriority']);
  assert.deepEqual([plain.priority, plain.pod.spec?.priority], [0, 0]);
  // A globalDefault class (value 7) gives the plain pod its value; the class pod keeps 1000.
  const withDefault = WITH_PLAIN.replace('value: 1000 }', 'value: 1000 }\n  - name: dflt\n    manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: dflt }, value: 7, globalDefault: true }');
  const again = prepareRun(parseScenario(withDefault, 'admission.yaml'));
  again.sim.run(again.endUs);
  assert.equal(again.cluster.pods.get('default/plain')?.priority, 7);
  assert.equal(again.cluster.pods.get('default/good')?.priority, 1000);
});

test('a pod with scheduling gates stays pending and never reaches the scheduler', () => {
  const s = SCENARIO.replace('spec: { priorityClassName: high, containers', 'spec: { priorityClassName: high, schedulingGates: [{ name: example.com/quota }], containers');
  const r = runScenario(parseScenario(s, 'gates.yaml'));
  assert.equal(r.summary['pods_submitted'], 1);
  assert.equal(r.summary['pods_bound'], 0);
  assert.equal(r.summary['pods_unbound_end'], 1);
  assert.equal(r.summary['sched_attempts'], 0);
});
