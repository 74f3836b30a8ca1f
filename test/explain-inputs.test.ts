// `ksim explain` with inputs as people have them: several --cluster files and directories, a
// workload as --pod (its pod template), `nodeName: ""` as unbound, a pod bound to a node the dump
// does not hold, the profile a pod's schedulerName selects, and config warnings on stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { explainFiles } from '../src/run/explain-files.js';
import { KSIM_BIN, REPO_ROOT, repoPath } from '../src/testing/repo-paths.js';

const CLUSTER = repoPath('examples/explain/cluster.yaml');
const POD = repoPath('examples/explain/pod.yaml');
const FIX = 'test/fixtures/explain';

test('--cluster takes several files and directories, read as one cluster', async () => {
  const r = await explainFiles({ cluster: [CLUSTER, repoPath(`${FIX}/more-nodes`)], pod: POD });
  assert.deepEqual(Object.keys(r.nodes), ['node-a', 'node-b', 'node-c', 'node-d']);
  assert.equal(r.selected, 'node-d');
});

test('--pod takes a Deployment: its pod template, named after it', async () => {
  const r = await explainFiles({ cluster: CLUSTER, pod: repoPath(`${FIX}/deployment.yaml`) });
  assert.equal(r.pod, 'default/web');
  assert.equal(r.selected !== null, true);
});

test('a pod with nodeName "" is unbound: it is scheduled', async () => {
  const r = await explainFiles({ cluster: CLUSTER, pod: repoPath(`${FIX}/pod-unbound.yaml`) });
  assert.equal(r.pod, 'default/pending');
  assert.equal(typeof r.selected, 'string');
});

test('a pod bound to a node the cluster does not hold is left out with a warning', async () => {
  const warnings: string[] = [];
  const r = await explainFiles({ cluster: repoPath(`${FIX}/pod-on-unknown-node.yaml`), pod: POD, warnings });
  assert.deepEqual(Object.keys(r.nodes), ['node-a', 'node-b']);
  assert.deepEqual(warnings.map((w) => w.replace(REPO_ROOT, '')), [
    'test/fixtures/explain/pod-on-unknown-node.yaml:16:17: items[2].spec.nodeName: pod default/web-0 is bound to node "node-c", which is not in the cluster: left out',
  ]);
});

test('a pod whose schedulerName names no profile is refused, naming the profiles', async () => {
  const config = repoPath(`${FIX}/bin-packing-config.yaml`);
  await assert.rejects(explainFiles({ cluster: CLUSTER, pod: POD, config }), (e: Error) => {
    assert.equal(e.message.replaceAll(REPO_ROOT, ''), 'examples/explain/pod.yaml:6:3: spec: expected the schedulerName of a profile of test/fixtures/explain/bin-packing-config.yaml (bin-packing): the pod has none, so it asks for default-scheduler');
    return true;
  });
});

test('ksim explain prints the config warnings as ksim run does, and refuses --pod given twice', () => {
  const r = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', 'examples/explain/cluster.yaml', '--cluster', 'test/fixtures/explain/more-nodes', '--pod', 'test/fixtures/explain/deployment.yaml',
    '--config', 'test/fixtures/scheduler-config/configmap.yaml'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^ksim: warning: test\/fixtures\/scheduler-config\/configmap.yaml:110:19: profiles\[0\]\.plugins\.multiPoint\.enabled\[8\]\.name: DynamicResources, NodeVolumeLimits, VolumeBinding, VolumeRestrictions, VolumeZone: accepted as no-ops/);
  const twice = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', 'examples/explain/cluster.yaml', '--pod', 'a.yaml', '--pod', 'b.yaml'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(twice.status, 2);
  assert.equal(twice.stderr, 'ksim: --pod: expected one file (--pod is the only one of its kind; --cluster is the option to repeat), got "a.yaml", "b.yaml"\n');
});

test('a node not Ready in the dump gets the NoSchedule taint the node lifecycle controller puts on it, as a scenario\'s cluster.file does: explain does not pick it', async () => {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tempDir } = await import('../src/testing/temp-dir.js');
  const node = (name: string, cpu: string, ready: string) => ({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: { allocatable: { cpu, memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: ready }] },
  });
  const file = join(tempDir('ksim-explain-notready-'), 'cluster.json');
  // The empty 16-CPU node would win LeastAllocated, but its kubelet stopped posting (Unknown).
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [node('up', '4', 'True'), node('lost', '16', 'Unknown'), node('broken', '16', 'False')] }));
  const warnings: string[] = [];
  const r = await explainFiles({ cluster: file, pod: POD, warnings });
  assert.equal(r.selected, 'up');
  assert.deepEqual(r.nodes['lost']?.filter['TaintToleration'], { code: 'UnschedulableAndUnresolvable', reason: 'node(s) had untolerated taint(s)' });
  assert.deepEqual(warnings.filter((w) => w.includes('not Ready')), [
    `${file}: node lost is not Ready (Ready Unknown): given the taint node.kubernetes.io/unreachable:NoSchedule the node lifecycle controller puts on it at once, which the dump lacks`,
    `${file}: node broken is not Ready (Ready False): given the taint node.kubernetes.io/not-ready:NoSchedule the node lifecycle controller puts on it at once, which the dump lacks`,
  ]);
});

test('--pod takes a Deployment as its ReplicaSet\'s pod: the cluster\'s current ReplicaSet (FindNewReplicaSet) owns it, so default spreading applies as in a run; without one, the ReplicaSet the controller would create', async () => {
  const cluster = repoPath(`${FIX}/rollout-cluster.yaml`);
  const r = await explainFiles({ cluster, pod: repoPath(`${FIX}/deployment-web.yaml`) });
  // PodTopologySpread scores (its system default constraints select web-6d4b9c8f7's pods: two on
  // node-a), so node-b wins though it holds 2 CPU more; owned by the Deployment it was skipped
  // and LeastAllocated chose node-a.
  assert.equal(r.preScore['PodTopologySpread'], undefined);
  assert.equal(r.selected, 'node-b');
  // Without the Deployment and its ReplicaSet in the cluster, the pod's ReplicaSet is the one the
  // Deployment controller would create (web-<hash of the template>): it selects none of the two
  // pods, whose hash differs.
  const bare = await explainFiles({ cluster: CLUSTER, pod: repoPath(`${FIX}/deployment-web.yaml`) });
  assert.equal(bare.preScore['PodTopologySpread'], undefined);
});
