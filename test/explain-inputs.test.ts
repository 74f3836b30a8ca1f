// `ksim explain` with inputs as people have them: several --cluster files and directories, a
// workload as --pod (its pod template), `nodeName: ""` as unbound, a pod bound to a node the dump
// does not hold, the profile a pod's schedulerName selects, and config warnings on stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainFiles } from '../src/run/explain-files.js';
import { renderTable } from '../src/cli/explain-command.js';
import { tempDir } from '../src/testing/temp-dir.js';
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

test('--pod takes a rendered chart holding one workload among other kinds (empty documents and Lists as kubectl reads them); a pod of the dump is explained as if it were not there', async () => {
  const dir = tempDir('ksim-explain-chart-');
  const deployment = readFileSync(repoPath(`${FIX}/deployment-web.yaml`), 'utf8');
  writeFileSync(join(dir, 'chart.yaml'), `---\n# Source: web/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: b}\n---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}}\n---\n${deployment}---\n# Source: web/templates/NOTES (only a comment)\n`);
  const r = await explainFiles({ cluster: repoPath(`${FIX}/rollout-cluster.yaml`), pod: join(dir, 'chart.yaml') });
  assert.deepEqual([r.pod, r.selected], ['default/web', 'node-b']);
  // Two workloads: which one is not for ksim to guess.
  writeFileSync(join(dir, 'two.yaml'), `${deployment}---\n${deployment.replace('name: web,', 'name: api,')}`);
  await assert.rejects(explainFiles({ cluster: CLUSTER, pod: join(dir, 'two.yaml') }), /two\.yaml: expected exactly one Pod, .* got 2 objects: 2 Deployment; put the one to place in a file of its own/);
  // The dump's own pod on node-a: without it, node-a holds one pod of web-6d4b9c8f7, not two.
  const warnings: string[] = [];
  writeFileSync(join(dir, 'bound.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: web-6d4b9c8f7-aaaaa, namespace: default, labels: {app: web, pod-template-hash: 6d4b9c8f7}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6d4b9c8f7, uid: r1, controller: true}]}\nspec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]}\n');
  const again = await explainFiles({ cluster: repoPath(`${FIX}/rollout-cluster.yaml`), pod: join(dir, 'bound.yaml'), warnings });
  assert.deepEqual(warnings, [`${join(dir, 'bound.yaml')}: pod default/web-6d4b9c8f7-aaaaa is in the cluster on node-a: explained as if it were not there`]);
  assert.equal(again.selected, 'node-b');
});

test('the pod is explained as the API server would store it: a PriorityClass it names must exist, a LimitRange fills its requests, default tolerations let it onto a node tainted unreachable:NoExecute', async () => {
  const dir = tempDir('ksim-explain-admission-');
  const cluster = join(dir, 'cluster.yaml');
  writeFileSync(cluster, `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Node
    metadata: { name: node-a }
    spec: { taints: [{ key: node.kubernetes.io/unreachable, effect: NoExecute }] }
    status: { allocatable: { cpu: "4", memory: 8Gi, pods: "110" } }
  - apiVersion: v1
    kind: LimitRange
    metadata: { name: defaults, namespace: default }
    spec: { limits: [{ type: Container, defaultRequest: { cpu: 3 } }] }
`);
  const pod = join(dir, 'pod.yaml');
  writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: default }\nspec:\n  containers: [{ name: c, image: x }]\n');
  // DefaultTolerationSeconds tolerates the unreachable NoExecute taint for 300 s; LimitRanger's
  // 3 CPUs fit the 4 of node-a.
  const r = await explainFiles({ cluster, pod });
  assert.equal(r.selected, 'node-a');
  // Priority admission refuses a pod naming a class the cluster lacks: it never reaches the
  // scheduler (a run refuses it too).
  writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: default }\nspec:\n  priorityClassName: high\n  containers: [{ name: c, image: x }]\n');
  await assert.rejects(explainFiles({ cluster, pod }), (e: Error) => {
    assert.equal(e.message.replace(`${dir}/`, ''), 'pod.yaml:5:3: spec: expected a pod the API server admits in this cluster, got pods "web" is forbidden: no PriorityClass with name high was found');
    return true;
  });
  // The dump's own PriorityClass, RuntimeClass and LimitRange are admission's (explain skipped
  // them: every pod naming a class was refused, and the LimitRange's default went unapplied).
  // The LimitRange's 3 CPUs and the RuntimeClass's 1 CPU of overhead do not fit 4 CPUs minus the
  // 500m a pod holds: 3.5 left.
  writeFileSync(cluster, `${readFileSync(cluster, 'utf8')}  - { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: high }, value: 1000 }
  - { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: system-node-critical }, value: 2000001000 }
  - apiVersion: node.k8s.io/v1
    kind: RuntimeClass
    metadata: { name: gvisor }
    handler: runsc
    overhead: { podFixed: { cpu: "1" } }
  - apiVersion: v1
    kind: Pod
    metadata: { name: held, namespace: default }
    spec: { nodeName: node-a, containers: [{ name: c, image: x, resources: { requests: { cpu: 500m } } }] }
    status: { phase: Running }
`);
  writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: default }\nspec:\n  priorityClassName: high\n  containers: [{ name: c, image: x }]\n');
  assert.equal((await explainFiles({ cluster, pod })).selected, 'node-a');
  writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: default }\nspec:\n  priorityClassName: high\n  runtimeClassName: gvisor\n  containers: [{ name: c, image: x }]\n');
  // Priority 1000 preempts the held pod (priority 0): 4 CPUs then (a run's cycle nominates
  // node-a and deletes it). Before, explain's preemption read a PreFilter state the skipped
  // NodePorts never wrote.
  const r2 = await explainFiles({ cluster, pod });
  assert.equal(r2.selected, null);
  assert.equal(r2.reason, '0/1 nodes are available: 1 Insufficient cpu. preemption: would nominate node-a, evicting default/held');
  assert.deepEqual(r2.preemption, { node: 'node-a', victims: ['default/held'] });
  // Without the class (priority 0) nothing can be preempted.
  writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: default }\nspec:\n  runtimeClassName: gvisor\n  containers: [{ name: c, image: x }]\n');
  assert.equal((await explainFiles({ cluster, pod })).reason, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
});

// A dump caught with preemption's inputs in it: PodDisruptionBudgets, pods' start times, and a
// pending pod a preemption nominated. Explain reads them as a run's cluster.file does, so its
// dry run names the victims a run's cycle evicts.
// n1, n2 (zone za) and n3 (zb), 4 CPUs each and full; the 2-CPU pod "hi" (priority 1000)
// must evict one pod. Node order (zones in turn): n1, n3, n2.
function preemptionDump(dir: string, pods: [name: string, node: string, priority: number, startTime: string][], pdb: boolean): string {
  const items: unknown[] = [
    ...[50, 100, 200, 1000].map((v) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: `p${v}` }, value: v })),
    ...[['n1', 'za'], ['n2', 'za'], ['n3', 'zb']].map(([name, zone]) => ({
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone } },
      status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } },
    })),
    ...pods.map(([name, node, priority, startTime]) => ({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: 'default', labels: { app: name } },
      spec: { nodeName: node, priorityClassName: `p${priority}`, priority, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '4', memory: '100Mi' } } }] },
      status: { phase: 'Running', startTime },
    })),
  ];
  // maxUnavailable 0: no disruption allowed (the disruption controller's rule, computed as a run does).
  if (pdb) items.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'a1', namespace: 'default' }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'a1' } } } });
  const file = join(dir, 'cluster.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  writeFileSync(join(dir, 'hi.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: hi, namespace: default}\nspec:\n  priorityClassName: p1000\n  containers: [{name: c, image: x, resources: {requests: {cpu: "2", memory: 100Mi}}}]\n');
  writeFileSync(join(dir, 'run.yaml'), `apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: pre}\nseed: 1\nduration: 1m\ncluster: {file: cluster.json}\nworkload: [{name: hi, at: 10s, file: hi.yaml}]\n`);
  return file;
}

/** The pod `ksim run` preempts on the same dump, and its node. */
function runVictim(dir: string): string {
  const r = spawnSync(process.execPath, [KSIM_BIN, 'run', join(dir, 'run.yaml'), '-o', join(dir, 'out'), '-q'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const rows = readFileSync(join(dir, 'out', 'placements.csv'), 'utf8').split('\n').filter((l) => l.includes(',preempted,'));
  return rows.map((l) => `${l.split(',')[1]} on ${l.split(',')[7]}`).join('; ');
}

test('explain reads the dump\'s PodDisruptionBudgets: preemption passes over a victim a PDB protects (pickOneNodeForPreemption: fewest PDB violations first), as a run does', async () => {
  const dir = tempDir('ksim-explain-pdb-');
  // a1 (priority 50) is the cheapest victim but its PDB allows no disruption; c1 (200) is not
  // protected; b1 (1000) cannot be preempted. Before, the PDB was skipped and a1 named.
  const cluster = preemptionDump(dir, [['a1', 'n1', 50, '2024-01-01T00:00:00Z'], ['b1', 'n2', 1000, '2024-01-01T00:00:00Z'], ['c1', 'n3', 200, '2024-01-01T00:00:00Z']], true);
  const warnings: string[] = [];
  const r = await explainFiles({ cluster, pod: join(dir, 'hi.yaml'), warnings });
  assert.deepEqual(r.preemption, { node: 'n3', victims: ['default/c1'] });
  assert.deepEqual(warnings, []);
  assert.equal(runVictim(dir), 'c1 on n3');
});

test('explain reads pods\' status.startTime: preemption prefers the node whose highest-priority victims started last, as a run does', async () => {
  const dir = tempDir('ksim-explain-start-');
  // Equal priorities and counts: the latest earliest-start-time wins, b1 (Jan 9) on n2, the
  // last node in order. Before, no pod had a start time: all tied and the first candidate won.
  const cluster = preemptionDump(dir, [['a1', 'n1', 100, '2024-01-01T00:00:00Z'], ['b1', 'n2', 100, '2024-01-09T00:00:00Z'], ['c1', 'n3', 100, '2024-01-02T00:00:00Z']], false);
  const r = await explainFiles({ cluster, pod: join(dir, 'hi.yaml') });
  assert.deepEqual(r.preemption, { node: 'n2', victims: ['default/b1'] });
  assert.equal(runVictim(dir), 'b1 on n2');
});

test('a pending pod\'s status.nominatedNodeName counts in the filters of pods of lower or equal priority (RunFilterPluginsWithNominatedPods), not of higher', async () => {
  const dir = tempDir('ksim-explain-nominated-');
  const cluster = join(dir, 'cluster.yaml');
  writeFileSync(cluster, `apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Node, metadata: {name: m1, labels: {kubernetes.io/hostname: m1}}, status: {allocatable: {cpu: "8", memory: 16Gi, pods: "110"}}}
- {apiVersion: v1, kind: Node, metadata: {name: m2, labels: {kubernetes.io/hostname: m2}}, status: {allocatable: {cpu: "4", memory: 16Gi, pods: "110"}}}
- {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: hi}, value: 1000}
- {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: top}, value: 2000}
- apiVersion: v1
  kind: Pod
  metadata: {name: nominated, namespace: default}
  spec: {priorityClassName: hi, priority: 1000, containers: [{name: c, image: x, resources: {requests: {cpu: "7"}}}]}
  status: {phase: Pending, nominatedNodeName: m1}
`);
  const pod = join(dir, 'pod.yaml');
  // Priority 0, 2 CPUs: m1's 8 CPUs hold the nominated pod's 7 first. Before, m1 was chosen
  // (LeastAllocated: 86 against m2's 74).
  writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: lo, namespace: default}\nspec:\n  containers: [{name: c, image: x, resources: {requests: {cpu: "2"}}}]\n');
  const r = await explainFiles({ cluster, pod });
  assert.deepEqual(r.nodes['m1']?.filter['NodeResourcesFit'], { code: 'Unschedulable', reason: 'Insufficient cpu' });
  assert.deepEqual(r.nodes['m2']?.filter['NodeResourcesFit'], { code: 'Success' });
  assert.equal(r.selected, 'm2');
  // A pod of higher priority than the nominated one does not wait for it.
  writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: lo, namespace: default}\nspec:\n  priorityClassName: top\n  containers: [{name: c, image: x, resources: {requests: {cpu: "2"}}}]\n');
  const top = await explainFiles({ cluster, pod });
  assert.deepEqual(top.nodes['m1']?.filter['NodeResourcesFit'], { code: 'Success' });
  assert.equal(top.selected, 'm1');
  // The nominated pod itself, explained again, is taken out of the cluster (and of the nominations).
  writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: nominated, namespace: default}\nspec:\n  priorityClassName: hi\n  containers: [{name: c, image: x, resources: {requests: {cpu: "7"}}}]\n');
  const warnings: string[] = [];
  const self = await explainFiles({ cluster, pod, warnings });
  assert.equal(self.selected, 'm1');
  assert.deepEqual(warnings, [`${pod}: pod default/nominated is in the cluster: explained as if it were not there`]);
});

// A DaemonSet (200m CPU, Linux nodes) on seven nodes: cp-0 has the control-plane taint, w-1 is
// cordoned, w-2 has 1 CPU with 900m taken, w-3 memory pressure, w-4 a dedicated=gpu taint, w-5 is
// Ready False (the not-ready:NoSchedule taint added), win-1 is Windows.
const DS = 'examples/explain/daemonset';

test('--pod takes a DaemonSet as its controller makes its pods: one per node it finds eligible (NodeShouldRunDaemonPod), with the daemon tolerations, pinned to that node', async () => {
  const r = await explainFiles({ cluster: repoPath(`${DS}/cluster.json`), pod: repoPath(`${DS}/agent.yaml`) });
  assert.equal(r.selected, null, 'no single scored choice');
  // The unschedulable toleration lets the pod onto cordoned w-1, memory-pressure onto w-3; w-2
  // gets a pod that does not fit.
  assert.deepEqual(r.daemonSet, {
    name: 'kube-system/agent',
    placed: ['w-1', 'w-3'],
    unschedulable: { 'w-2': "0/7 nodes are available: 1 Insufficient cpu, 6 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/7 nodes are available: 1 No preemption victims found for incoming pod, 6 Preemption is not helpful for scheduling." },
    notCreated: {
      'cp-0': 'untolerated taint node-role.kubernetes.io/control-plane:NoSchedule',
      'w-4': 'untolerated taint dedicated=gpu:NoSchedule',
      'w-5': 'untolerated taint node.kubernetes.io/not-ready:NoSchedule',
      'win-1': "the node doesn't match the template's nodeSelector",
    },
  });
  // Each created pod's verdicts on its own node, every filter; no scores (one feasible node).
  assert.deepEqual(Object.keys(r.nodes), ['w-1', 'w-2', 'w-3']);
  assert.deepEqual(r.nodes['w-1']?.filter['NodeUnschedulable'], { code: 'Success' });
  assert.deepEqual(r.nodes['w-2']?.filter['NodeResourcesFit'], { code: 'Unschedulable', reason: 'Insufficient cpu' });
  assert.equal(r.nodes['w-3']?.score, undefined);
  assert.deepEqual(r.preScore, {});
  assert.deepEqual(Object.keys(r.preFilter), ['NodePorts', 'PodTopologySpread', 'InterPodAffinity']);
  // --nodes: only those nodes are looked at.
  const some = await explainFiles({ cluster: repoPath(`${DS}/cluster.json`), pod: repoPath(`${DS}/agent.yaml`), nodes: ['w-2', 'win-1'] });
  assert.deepEqual([some.daemonSet?.placed, Object.keys(some.daemonSet?.unschedulable ?? {}), Object.keys(some.daemonSet?.notCreated ?? {})], [[], ['w-2'], ['win-1']]);
  await assert.rejects(explainFiles({ cluster: repoPath(`${DS}/cluster.json`), pod: repoPath(`${DS}/agent.yaml`), scoreAllNodes: true }), /--score-all-nodes: expected a --pod other than a DaemonSet/);
});

test('a DaemonSet pod of system-node-critical priority that does not fit its node: preemption there would evict the 900m pod, as a run\'s cycle would', async () => {
  const dir = tempDir('ksim-explain-ds-crit-');
  const file = join(dir, 'agent.yaml');
  writeFileSync(file, readFileSync(repoPath(`${DS}/agent.yaml`), 'utf8').replace('      nodeSelector', '      priorityClassName: system-node-critical\n      nodeSelector'));
  const r = await explainFiles({ cluster: repoPath(`${DS}/cluster.json`), pod: file });
  assert.deepEqual(r.daemonSet?.unschedulable, { 'w-2': "0/7 nodes are available: 1 Insufficient cpu, 6 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: would nominate w-2, evicting default/batch-1" });
  assert.deepEqual(r.daemonSet?.preemption, { 'w-2': ['default/batch-1'] });
  // The victims first: a long verdict is cut at 70 characters (-o json has it whole).
  assert.match(renderTable(r), /\nw-2    unschedulable  preemption would evict default\/batch-1; NodeResourcesFit: Insufficien…\n/);
});

test('explain of a DaemonSet agrees with ksim run on the same dump: bound on w-1 and w-3, w-2 unschedulable with the same message', () => {
  const dir = tempDir('ksim-explain-ds-run-');
  const scenario = join(dir, 's.yaml');
  writeFileSync(scenario, `apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: ds}\nduration: 30s\ncluster: {file: ${repoPath(`${DS}/cluster.json`)}}\nworkload: [{name: agent, at: 0s, file: ${repoPath(`${DS}/agent.yaml`)}}]\n`);
  const run = spawnSync(process.execPath, [KSIM_BIN, 'run', scenario, '-o', join(dir, 'out'), '-q'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const rows = readFileSync(join(dir, 'out', 'placements.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  assert.deepEqual(rows.filter((c) => c[6] === 'bound').map((c) => c[7]).sort(), ['w-1', 'w-3']);
  assert.deepEqual(rows.filter((c) => c[6] === 'unschedulable').length, 1);
  const csv = readFileSync(join(dir, 'out', 'placements.csv'), 'utf8');
  assert.ok(csv.includes(`"0/7 nodes are available: 1 Insufficient cpu, 6 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption:`), csv);
});

test('ksim explain of a DaemonSet prints one row per node: placed, unschedulable (the failing filters), not created (the controller\'s reason)', () => {
  const r = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', `${DS}/cluster.json`, '--pod', `${DS}/agent.yaml`], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `DaemonSet kube-system/agent, profile default-scheduler: a pod per node, pinned to it
daemon pods placed on 2 of 7 node(s) (1 unschedulable, 4 not created by the DaemonSet controller)
  PreFilter NodePorts: Skip
  PreFilter PodTopologySpread: Skip
  PreFilter InterPodAffinity: Skip

node   daemon pod     why not
w-1    placed
w-3    placed
w-2    unschedulable  NodeResourcesFit: Insufficient cpu
cp-0   not created    untolerated taint node-role.kubernetes.io/control-plane:NoSchedule
w-4    not created    untolerated taint dedicated=gpu:NoSchedule
w-5    not created    untolerated taint node.kubernetes.io/not-ready:NoSchedule
win-1  not created    the node doesn't match the template's nodeSelector

daemon pods placed on 2 of 7 node(s) (1 unschedulable, 4 not created by the DaemonSet controller)
`);
  const json = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', `${DS}/cluster.json`, '--pod', `${DS}/agent.yaml`, '-o', 'json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const parsed = JSON.parse(json.stdout) as { selected: unknown; daemonSet: { placed: string[] } };
  assert.deepEqual([parsed.selected, parsed.daemonSet.placed], [null, ['w-1', 'w-3']]);
});

test('a DaemonSet\'s pods in the dump are explained as if they were not there (with a warning): the 3.9-CPU agent pod on w-1 does not keep its successor out', async () => {
  const dir = tempDir('ksim-explain-ds-own-');
  const own = join(dir, 'agent-pod.yaml');
  writeFileSync(own, 'apiVersion: v1\nkind: Pod\nmetadata: {name: agent-x7k2p, namespace: kube-system, labels: {app: agent}, ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: u1, controller: true}]}\nspec: {nodeName: w-1, containers: [{name: a, image: "agent:1", resources: {requests: {cpu: 3900m}}}]}\nstatus: {phase: Running}\n');
  const warnings: string[] = [];
  const r = await explainFiles({ cluster: [repoPath(`${DS}/cluster.json`), own], pod: repoPath(`${DS}/agent.yaml`), warnings });
  assert.deepEqual(r.daemonSet?.placed, ['w-1', 'w-3']);
  assert.deepEqual(warnings.filter((w) => w.includes('DaemonSet')), [`${repoPath(`${DS}/agent.yaml`)}: 1 pod(s) of DaemonSet kube-system/agent are in the cluster (kube-system/agent-x7k2p): explained as if they were not there`]);
});
