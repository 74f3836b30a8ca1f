// Malformed scenarios: each must be rejected with file:line:column, the field path and what was
// expected, exactly as below; through the CLI with exit code 2, no stack trace and no output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, loadScenario } from '../src/index.js';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

const DIR = 'test/bad-scenarios';

const CASES: [file: string, message: string][] = [
  ['count-not-integer.yaml', 'count-not-integer.yaml:8:14: cluster.nodePools[0].count: expected an integer, got "three"'],
  ['unknown-field-typo.yaml', 'unknown-field-typo.yaml:3:1: durration: expected one of the fields apiVersion, kind, metadata, seed, duration, cluster, controlPlane, scheduler, kubelet, metrics, workload, faults, got unknown field "durration" (did you mean "duration"?)'],
  ['bad-quantity.yaml', 'bad-quantity.yaml:7:27: cluster.nodePools[0].allocatable.cpu: expected a Kubernetes quantity such as 100m, 1.5, 2Gi, 1e3, got "4x"'],
  ['lognormal-missing-p99.yaml', 'lognormal-missing-p99.yaml:9:32: kubelet.startupLatency.lognormal: expected the required field "p99"'],
  ['selector-mismatch.yaml', 'selector-mismatch.yaml:18:31: workload[0].manifest.spec.template.metadata.labels: expected labels that match spec.selector (selector does not match template labels)'],
  ['negative-request.yaml', 'negative-request.yaml:18:43: workload[0].manifest.spec.containers[0].resources.requests.cpu: expected a non-negative quantity, got "-1"'],
  ['duplicate-workload-name.yaml', 'duplicate-workload-name.yaml:11:11: workload[1].name: expected a workload name not used by an earlier entry, got "web"'],
  ['bad-duration.yaml', 'bad-duration.yaml:3:11: duration: expected a Go-style duration such as 90s, 15m, 1h30m or 250ms, got "10 minutes"'],
  ['yaml-syntax-error.yaml', 'yaml-syntax-error.yaml:4:1: expected valid YAML, got BAD_INDENT: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ['wrong-api-version.yaml', 'wrong-api-version.yaml:1:13: apiVersion: expected "ksim/v1alpha1", got "ksim/v1"'],
  ['unsupported-kind.yaml', 'unsupported-kind.yaml:12:13: workload[0].manifest.kind: expected a supported kind: Pod (v1), Deployment (apps/v1), ReplicaSet (apps/v1), Namespace (v1), PriorityClass (scheduling.k8s.io/v1), PodDisruptionBudget (policy/v1), DaemonSet (apps/v1), Job (batch/v1), CronJob (batch/v1), StatefulSet (apps/v1), ResourceQuota (v1), Service (v1), LimitRange (v1), RuntimeClass (node.k8s.io/v1), HorizontalPodAutoscaler (autoscaling/v2, autoscaling/v1), got "ReplicationController"'],
  ['no-nodes.yaml', 'no-nodes.yaml:4:3: cluster: expected at least one node (nodePools, nodes or file)'],
  ['missing-manifest-file.yaml', 'missing-manifest-file.yaml:10:11: workload[0].file: expected a readable file or directory (paths are relative to the scenario), got "manifests/does-not-exist.yaml": no such file'],
  ['empty.yaml', 'empty.yaml: expected exactly one YAML document (a Scenario), got 0 documents'],
  ['container-without-image.yaml', 'container-without-image.yaml:16:13: workload[0].manifest.spec.containers[0].image: expected an image name, got nothing'],
  ['zero-rate.yaml', 'zero-rate.yaml:10:24: workload[0].rate.perMinute: expected a number >= 0.000001 and <= 1000000000, got 0'],
  ['error-in-manifest-file.yaml', 'manifests/bad-pod.yaml:9:19: metadata.name: expected a lowercase RFC 1123 name (a-z, 0-9, "-", "."; at most 253 characters), got "Not_A_Name"'],
  ['two-manifest-sources.yaml', 'two-manifest-sources.yaml:9:5: workload[0]: expected exactly one of manifest, manifests or file, got manifest and file'],
  ['pod-with-node-name.yaml', 'pod-with-node-name.yaml:10:85: workload[0].manifest.spec.nodeName: expected no nodeName (ksim schedules every pod; pin a pod with nodeSelector kubernetes.io/hostname)'],
  ['bad-label-selector-operator.yaml', 'bad-label-selector-operator.yaml:17:53: workload[0].manifest.spec.selector.matchExpressions[0].operator: expected one of In, NotIn, Exists, DoesNotExist, got "Within"'],
  ['pdb-both-bounds.yaml', 'pdb-both-bounds.yaml:14:13: workload[0].manifest.spec: expected exactly one of minAvailable or maxUnavailable'],
  ['fault-two-kinds.yaml', 'fault-two-kinds.yaml:6:5: faults[0]: expected exactly one field (one of nodeDown, partition, zoneOutage, etcdLeaderLoss, random, kubeletFlap), got 2 fields: nodeDown, zoneOutage'],
  ['fault-empty-nodes.yaml', 'fault-empty-nodes.yaml:6:24: faults[0].nodeDown.nodes: expected a non-empty list, got 0 items'],
  ['fault-negative-for.yaml', 'fault-negative-for.yaml:6:50: faults[0].nodeDown.for: expected a Go-style duration such as 90s, 15m, 1h30m or 250ms, not negative, got "-10m"'],
  ['fault-duplicate-node.yaml', 'fault-duplicate-node.yaml:6:24: faults[0].nodeDown.nodes: expected each item once, got "general-0" at [0] and again at [2]'],
  ['namespaced-priority-class.yaml', 'namespaced-priority-class.yaml:10:107: workload[0].manifest.metadata.namespace: expected no namespace (a PriorityClass is cluster-scoped)'],
  ['zero-grace-period.yaml', 'zero-grace-period.yaml:7:48: controlPlane.controllerManager.nodeMonitorGracePeriod: expected a positive duration, got "0s"'],
  ['unhealthy-zone-threshold-above-1.yaml', 'unhealthy-zone-threshold-above-1.yaml:8:29: controlPlane.controllerManager.unhealthyZoneThreshold: expected a number > 0 and <= 1, got 55'],
];

for (const [file, message] of CASES) {
  test(`${file} is rejected with its location and expectation`, () => {
    const path = `${REPO_ROOT}${DIR}/${file}`;
    assert.throws(() => loadScenario(path), (e: unknown) => {
      assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
      assert.equal(e.message, `${REPO_ROOT}${DIR}/${message}`);
      return true;
    });
  });
}

test('the CLI reports bad scenarios with exit code 2, one line, no stack trace and no output', () => {
  const out = join(tempDir('ksim-bad-'), 'out');
  for (const file of ['count-not-integer.yaml', 'yaml-syntax-error.yaml', 'error-in-manifest-file.yaml', 'empty.yaml', 'zero-grace-period.yaml']) {
    const r = spawnSync(process.execPath, [KSIM_BIN, 'run', `${DIR}/${file}`, '-o', out], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2, `${file}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^ksim: test\/bad-scenarios\/\S+\.yaml(:\d+:\d+)?: .*expected .*\n$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(existsSync(out), false, `${file} left output behind`);
  }
});

test('a --set override that names a missing field is bad input', () => {
  assert.throws(() => loadScenario(`${REPO_ROOT}scenarios/quickstart.yaml`, { set: ['cluster.nodePoolz[0].count=3'] }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.message, '--set cluster.nodePoolz[0].count=3: cluster.nodePoolz[0].count: expected an existing list item (cluster.nodePoolz is not in the scenario)');
    return true;
  });
  assert.throws(() => loadScenario(`${REPO_ROOT}scenarios/quickstart.yaml`, { set: ['cluster.nodePools[0].count=many'] }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /cluster\.nodePools\[0\]\.count: expected an integer, got "many"$/);
    return true;
  });
});

// Issue 14 item 4: --set makes the maps a path needs, and its errors name the --set argument.
const SET_ERRORS: [set: string, message: string][] = [
  ['duration=abc', '--set duration=abc: duration: expected a Go-style duration such as 90s, 15m, 1h30m or 250ms, got "abc"'],
  ['cluster.nodePools[0].count=many', '--set cluster.nodePools[0].count=many: cluster.nodePools[0].count: expected an integer, got "many"'],
  ['controlPlane.clients.scheduler.qps=abc', '--set controlPlane.clients.scheduler.qps=abc: controlPlane.clients.scheduler.qps: expected a number, got "abc"'],
  ['controlPlane.clients.scheduler.qpz=5', '--set controlPlane.clients.scheduler.qpz=5: controlPlane.clients.scheduler.qpz: expected one of the fields qps, burst, got unknown field "qpz" (did you mean "qps"?)'],
  ['metrics.foo.bar=1', '--set metrics.foo.bar=1: metrics.foo: expected one of the fields sampleInterval, groupBy, got unknown field "foo"'],
  ['cluster.nodePools[9].count=3', '--set cluster.nodePools[9].count=3: cluster.nodePools[9].count: expected an existing list item (cluster.nodePools has 2 items)'],
  ['seed.x=1', '--set seed.x=1: seed.x: expected a path into a map or list (seed is not a map)'],
  ['cluster.nodePools.x=1', '--set cluster.nodePools.x=1: cluster.nodePools.x: expected a path into a map or list (cluster.nodePools is not a map)'],
  ['nope', '--set: expected PATH=VALUE, e.g. cluster.nodePools[0].count=10, got "nope"'],
];
for (const [set, message] of SET_ERRORS) {
  test(`--set ${set} is refused naming the --set argument`, () => {
    assert.throws(() => loadScenario(`${REPO_ROOT}scenarios/quickstart.yaml`, { set: [set] }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, message);
      return true;
    });
  });
}

test('--set creates the missing maps on its path: one client limit alone keeps the other default', () => {
  const s = loadScenario(`${REPO_ROOT}scenarios/quickstart.yaml`, { set: ['controlPlane.clients.scheduler.qps=5000', 'controlPlane.clients.kubelet.burst=7'] });
  assert.deepEqual(s.controlPlane.clients.get('scheduler'), { qps: 5000, burst: 100 });
  assert.deepEqual(s.controlPlane.clients.get('kubelet'), { qps: 50, burst: 7 });
  assert.deepEqual(s.controlPlane.clients.get('controller-manager'), { qps: 20, burst: 30 });
});

test('--set reaches a key holding dots with ["key"] (an extended resource); a malformed path is bad input naming the form', () => {
  const s = loadScenario(`${REPO_ROOT}scenarios/quickstart.yaml`, { set: ['cluster.nodePools[0].allocatable["example.com/fpga"]=2', "cluster.nodePools[1].labels['team.example.com/owner']=ml"] });
  const general = s.nodes.find((n) => n.pool === 'general');
  assert.equal(general?.node.status?.allocatable?.['example.com/fpga'], 2);
  assert.equal(s.nodes.find((n) => n.pool === 'big')?.node.metadata?.labels?.['team.example.com/owner'], 'ml');
  assert.throws(() => loadScenario(`${REPO_ROOT}scenarios/quickstart.yaml`, { set: ['cluster.nodePools[0].allocatable["example.com/fpga=2'] }), {
    message: '--set cluster.nodePools[0].allocatable["example.com/fpga=2: expected a path such as cluster.nodePools[0].count, with ["key"] for a key holding dots (allocatable["nvidia.com/gpu"]), got "cluster.nodePools[0].allocatable[\\"example.com/fpga"',
  });
});

test('a fault naming what a --set took out of the cluster says the --set did it', () => {
  const cases: [set: string, message: RegExp][] = [
    ['cluster.nodePools[0].zones=[x]', /^scenarios\/zone-outage\.yaml:\d+:\d+: faults\[0\]\.zoneOutage\.zone: expected a zone some node is in, got "zone-a" \(the cluster is as --set cluster\.nodePools\[0\]\.zones=\[x\] left it\)$/],
  ];
  for (const [set, message] of cases) {
    assert.throws(() => loadScenario('scenarios/zone-outage.yaml', { set: [set] }), (e: unknown) => e instanceof InputError && message.test(e.message));
  }
  // Without a --set of the cluster the message is the file's alone.
  assert.throws(() => loadScenario('scenarios/zone-outage.yaml', { set: ['faults[0].zoneOutage.zone=zone-q'] }), (e: unknown) => e instanceof InputError && !e.message.includes('the cluster is as'));
});
