// Priority admission in a run: a PriorityClass from the scenario gives pods their priority; a
// pod naming a class that does not exist is refused by the API server, and the run says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, parseScenario, runScenario } from '../src/index.js';
import { prepareRun } from '../src/run/run-scenario.js';
import { explainFiles } from '../src/run/explain-files.js';
import { tempDir } from '../src/testing/temp-dir.js';

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

const ONE_NODE = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: a, count: 1, allocatable: { cpu: "1", memory: 16Gi, pods: 110 } }]
workload:
`;

test('a pod with its own spec.priority and no class is refused as upstream refuses it (0 or the globalDefault value computed), so it preempts nothing', () => {
  const entries = `  - name: victim
    at: 1s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: victim }, spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "1" } } }] } }
  - name: p
    at: 5s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { priority: 500, containers: [{ name: c, image: x, resources: { requests: { cpu: "1" } } }] } }
`;
  const run = prepareRun(parseScenario(ONE_NODE + entries, 'adm.yaml'));
  run.sim.run(run.endUs);
  const victim = run.cluster.pods.get('default/victim');
  assert.deepEqual([victim?.phase, victim?.preempted, run.cluster.pods.has('default/p')], ['Running', false, false]);
  assert.deepEqual(run.finish().warnings, ['1 create(s) refused by the API server, first default/p: pods "p" is forbidden: the integer value of priority (500) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name']);
  const dflt = '  - { name: pc, at: 0s, manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: def }, value: 200, globalDefault: true } }\n';
  const r2 = runScenario(parseScenario(ONE_NODE + dflt + entries, 'adm.yaml'));
  assert.deepEqual(r2.warnings, ['1 create(s) refused by the API server, first default/p: pods "p" is forbidden: the integer value of priority (500) must not be provided in pod spec; priority admission controller computed 200 from the given PriorityClass name']);
});

const pcEntry = (entry: string, at: string, name: string, value: number, extra = '') => `  - { name: ${entry}, at: ${at}, manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: ${name} }, value: ${value}${extra} } }\n`;

test('PriorityClasses of the scenario: a changed value or preemptionPolicy, or a second globalDefault class, is an error at load naming the field', () => {
  const err = (entries: string) => {
    try {
      parseScenario(ONE_NODE + entries, 'pc.yaml');
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  // Re-applied at 2s with a new value (upstream ValidatePriorityClassUpdate: immutable).
  assert.equal(
    err(pcEntry('pc1', '0s', 'd1', 10) + pcEntry('pc1b', '2s', 'd1', 99)),
    'pc.yaml:8:125: workload[1].manifest.value: expected 10, the value PriorityClass d1 has from workload entry "pc1" (a PriorityClass\'s value may not be changed in an update, as upstream\'s API server refuses it; give the new value a new class), got 99',
  );
  assert.match(err(pcEntry('pc1', '0s', 'd1', 10) + pcEntry('pc1b', '2s', 'd1', 10, ', preemptionPolicy: Never')), /workload\[1\]\.manifest\.preemptionPolicy: expected PreemptLowerPriority, the preemptionPolicy PriorityClass d1 has from workload entry "pc1" \(immutable/);
  // A second default, whichever comes first in the file: the later arrival is refused.
  const second = 'workload[0].manifest.globalDefault: expected false or absent: PriorityClass d1 (from workload entry "pc1") is already marked as default, and only one default can exist (upstream\'s Priority admission refuses a second one), got true';
  assert.ok(err(pcEntry('pc2', '1s', 'd2', 20, ', globalDefault: true') + pcEntry('pc1', '0s', 'd1', 10, ', globalDefault: true')).endsWith(second));
  // Allowed: the same class again unchanged (a description added), or a default after the
  // earlier one stopped being one.
  assert.equal(err(pcEntry('pc1', '0s', 'd1', 10, ', globalDefault: true') + pcEntry('pc1b', '2s', 'd1', 10, ', globalDefault: true, description: again')), 'no error');
  assert.equal(err(pcEntry('pc1', '0s', 'd1', 10, ', globalDefault: true') + pcEntry('pc1b', '2s', 'd1', 10) + pcEntry('pc2', '3s', 'd2', 20, ', globalDefault: true')), 'no error');
});

test('a second globalDefault PriorityClass made at run time (a rate entry) is refused by the API server with upstream\'s message, as a run warning', () => {
  const entries = `  - name: dflt
    rate: { perMinute: 60, count: 2, process: fixed }
    manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: dflt }, value: 5, globalDefault: true }
  - { name: p, at: 30s, manifest: { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { containers: [{ name: c, image: x }] } } }
`;
  const run = prepareRun(parseScenario(ONE_NODE + entries, 'pc.yaml'));
  run.sim.run(run.endUs);
  assert.deepEqual([run.cluster.objects.has('PriorityClass//dflt-1'), run.cluster.objects.has('PriorityClass//dflt-2')], [true, false]);
  assert.equal(run.cluster.pods.get('default/p')?.priority, 5);
  assert.deepEqual(run.finish().warnings, ['1 create(s) refused by the API server, first PriorityClass dflt-2: priorityclasses.scheduling.k8s.io "dflt-2" is forbidden: PriorityClass dflt-1 is already marked as default. Only one default can exist']);
});

test('the built-in system- PriorityClasses as a dump holds them (kubectl get priorityclass -o yaml) are the same objects: accepted in a run\'s cluster.file, in explain, and as a workload entry', async () => {
  const dir = tempDir('ksim-system-classes-');
  const builtIn = (name: string, value: number) => `  - apiVersion: scheduling.k8s.io/v1
    description: a built-in class
    kind: PriorityClass
    metadata: { creationTimestamp: "2024-01-01T00:00:00Z", generation: 1, name: ${name}, resourceVersion: "73", uid: 5c1f3c9a-3c1e-4a36-9e0b-6a2b8f5f0d21 }
    preemptionPolicy: PreemptLowerPriority
    value: ${value}
`;
  writeFileSync(join(dir, 'cluster.yaml'), `apiVersion: v1\nkind: List\nitems:\n${builtIn('system-cluster-critical', 2000000000)}${builtIn('system-node-critical', 2000001000)}  - { apiVersion: v1, kind: Node, metadata: { name: node1 }, status: { allocatable: { cpu: "4", memory: 8Gi, pods: "110" } } }\n`);
  const agent = '{ apiVersion: v1, kind: Pod, metadata: { name: agent, namespace: kube-system }, spec: { priorityClassName: system-node-critical, containers: [{ name: c, image: x }] } }';
  writeFileSync(join(dir, 'run.yaml'), `apiVersion: ksim/v1alpha1\nkind: Scenario\nduration: 10s\ncluster: { file: cluster.yaml }\nworkload:\n  - { name: again, at: 0s, manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: system-cluster-critical }, value: 2000000000 } }\n  - { name: agent, at: 1s, manifest: ${agent} }\n`);
  const run = prepareRun(loadScenario(join(dir, 'run.yaml')));
  run.sim.run(run.endUs);
  assert.equal(run.cluster.pods.get('kube-system/agent')?.priority, 2000001000);
  assert.deepEqual(run.finish().warnings, []);
  writeFileSync(join(dir, 'pod.yaml'), agent);
  assert.equal((await explainFiles({ cluster: join(dir, 'cluster.yaml'), pod: join(dir, 'pod.yaml') })).selected, 'node1');
  // Another system- name in the dump is refused, as upstream's API server refuses it.
  writeFileSync(join(dir, 'bad.yaml'), `apiVersion: v1\nkind: List\nitems:\n${builtIn('system-tenant-critical', 2000000000)}  - { apiVersion: v1, kind: Node, metadata: { name: node1 }, status: { allocatable: { cpu: "4", memory: 8Gi, pods: "110" } } }\n`);
  await assert.rejects(explainFiles({ cluster: join(dir, 'bad.yaml'), pod: join(dir, 'pod.yaml') }), /bad\.yaml:\d+:\d+: items\[0\]\.metadata\.name: expected a name without the 'system-' prefix: .*system-tenant-critical is not a known system priority class/);
});
