// A cluster dump's finished pods (phase Succeeded or Failed) are stored objects: a ResourceQuota's
// count/pods counts them (upstream PodUsageFunc: "object count quotas track all objects that are in
// storage", pkg/quota/v1/evaluator/core/pods.go), the terminated-pod garbage collector counts them
// toward its threshold and deletes them (oldest first, kubelet-evicted ones before), the garbage
// collector deletes them with their owner, and the DaemonSet controller deletes its own (upstream
// podsShouldBeOnNode deletes a Failed or Succeeded daemon pod, then fills the node); nothing else
// acts on them: no other controller counts them again, the scheduler and kubelets never see them,
// metrics do not count them as submitted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../src/index.js';
import { prepareRun } from '../src/run/run-scenario.js';
import { KSIM_BIN } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';
import { clusterFromSnapshot, readClusterSnapshot } from '../src/workload/cluster-snapshot.js';
import { checkQuota } from '../src/controlplane/resource-quota.js';
import type { Row } from '../src/metrics/collector.js';
import type { RunResult } from '../src/run/run-scenario.js';

function table(result: RunResult, file: string): readonly Row[] {
  const t = result.tables.find((x) => x.file === file);
  assert.ok(t !== undefined, file);
  return t.rows;
}

const node = (name: string) => [
  '- apiVersion: v1',
  '  kind: Node',
  `  metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}}}`,
  '  status:',
  '    allocatable: {cpu: "8", memory: 32Gi, pods: "110"}',
  '    conditions: [{type: Ready, status: "True", lastHeartbeatTime: "2026-11-30T10:00:00Z"}]',
];

/** A pod item: `phase` its status.phase; `extra` more metadata fields (", ownerReferences: ..."). */
const pod = (name: string, nodeName: string, phase: string, opts: { ns?: string; created?: string; extra?: string; reason?: string; cpu?: string; labels?: string } = {}) => [
  '- apiVersion: v1',
  '  kind: Pod',
  `  metadata: {name: ${name}, namespace: ${opts.ns ?? 'team-a'}, creationTimestamp: "${opts.created ?? '2026-11-30T09:00:00Z'}"${opts.labels === undefined ? '' : `, labels: ${opts.labels}`}${opts.extra ?? ''}}`,
  `  spec: {nodeName: ${nodeName}, restartPolicy: Never, containers: [{name: c, image: app${opts.cpu === undefined ? '' : `, resources: {requests: {cpu: ${opts.cpu}}}`}}]}`,
  `  status: {phase: ${phase}${opts.reason === undefined ? '' : `, reason: ${opts.reason}`}}`,
];

const quota = (name: string, spec: string, ns = 'team-a') => ['- apiVersion: v1', '  kind: ResourceQuota', `  metadata: {name: ${name}, namespace: ${ns}}`, `  spec: ${spec}`];

function writeDump(dir: string, items: readonly string[]): string {
  const file = join(dir, 'cluster.yaml');
  writeFileSync(file, ['apiVersion: v1', 'kind: List', 'items:', ...items.flat(), ''].join('\n'));
  return file;
}

test('ksim import keeps a dump\'s finished pods (with their phase) and the run\'s quota counts them for count/pods: a ReplicaSet\'s 4th pod is refused at used 5 of 5', () => {
  const dir = tempDir('ksim-fin-import-');
  const rsRef = ', ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api, uid: uid-api, controller: true}]';
  writeDump(dir, [
    ...node('n-0'),
    ...node('n-1'),
    '- {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}',
    ...quota('compute', '{hard: {count/pods: "5"}}'),
    '- apiVersion: apps/v1',
    '  kind: ReplicaSet',
    '  metadata: {name: api, namespace: team-a, uid: uid-api}',
    '  spec: {replicas: 4, selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: app, resources: {requests: {cpu: 100m}}}]}}}',
    ...pod('api-aaaaa', 'n-0', 'Running', { labels: '{app: api}', extra: rsRef, cpu: '100m' }),
    ...pod('api-bbbbb', 'n-1', 'Running', { labels: '{app: api}', extra: rsRef, cpu: '100m' }),
    ...pod('api-ccccc', 'n-0', 'Running', { labels: '{app: api}', extra: rsRef, cpu: '100m' }),
    ...pod('migrate-1', 'n-0', 'Succeeded'),
    ...pod('migrate-2', 'n-1', 'Failed', { reason: 'Error' }),
  ]);
  const out = join(dir, 'prod.yaml');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'import', join(dir, 'cluster.yaml'), '-o', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /5 Pod \(3 bound, 0 pending, 2 finished\)/);
  assert.doesNotMatch(r.stdout, /finished pod\(s\)/);
  const scenario = loadScenario(out);
  assert.deepEqual((scenario.startFinishedPods ?? []).map((p) => `${p.metadata?.name} ${p.status?.phase} ${p.status?.reason ?? '-'}`), ['migrate-1 Succeeded -', 'migrate-2 Failed Error']);
  const run = prepareRun(loadScenario(out), { checkInvariants: true });
  // Stored apart: not among the live pods, not on their nodes' books.
  assert.deepEqual([...run.cluster.finishedAtStart.keys()], ['team-a/migrate-1', 'team-a/migrate-2']);
  assert.equal(run.cluster.pods.size, 3);
  assert.deepEqual(run.cluster.nodes.map((n) => `${n.name} ${n.pods.length}`), ['n-0 2', 'n-1 1']);
  run.sim.run(run.endUs);
  const result = run.finish();
  // Before: the finished pods were dropped, count/pods used 3, the 4th pod was created (4 of 4).
  assert.deepEqual(table(result, 'workloads.csv').map((w) => `${w['name']} ${w['desired']} ${w['ready']}`), ['api 4 3']);
  assert.ok(result.warnings.some((w) => w.includes('exceeded quota: compute, requested: count/pods=1, used: count/pods=5, limited: count/pods=5')), result.warnings.join('\n'));
  // The dump's history, not the run's: no pods.csv row, not submitted nor bound.
  assert.deepEqual(table(result, 'pods.csv').filter((p) => String(p['pod']).startsWith('migrate')), []);
  assert.deepEqual(['pods_submitted', 'pods_bound'].map((c) => String(result.summary[c])), ['0', '0']);
});

test('ksim explain --cluster counts a dump\'s finished pods for count/pods, as scopes match them: a pod stuck Terminating and 2 finished ones fill a quota of 4', () => {
  const dir = tempDir('ksim-fin-explain-');
  const file = writeDump(dir, [
    ...node('n-0'),
    '- {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}',
    ...quota('compute', '{hard: {count/pods: "4"}}'),
    ...pod('web-1', 'n-0', 'Running', { cpu: '100m' }),
    // Stuck Terminating for 2 h (grace 30 s): charged for count/pods only.
    ...pod('web-2', 'n-0', 'Running', { cpu: '100m', extra: ', deletionTimestamp: "2026-11-30T08:00:00Z", deletionGracePeriodSeconds: 30' }),
    ...pod('job-1', 'n-0', 'Succeeded'),
    ...pod('job-2', 'n-0', 'Failed', { cpu: '100m' }),
  ]);
  writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: adhoc, namespace: team-a}\nspec: {containers: [{name: app, image: app}]}\n');
  const r = spawnSync(process.execPath, [KSIM_BIN, 'explain', '--cluster', file, '--pod', join(dir, 'pod.yaml')], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stdout);
  assert.match(r.stderr, /pods "adhoc" is forbidden: exceeded quota: compute, requested: count\/pods=1, used: count\/pods=4, limited: count\/pods=4/);

  // A scoped quota counts the finished pods its scopes match: BestEffort matches job-1 (no
  // requests) and web-3, not job-2; so 2 of 2 are used and a BestEffort pod is refused.
  const scoped = writeDump(dir, [
    ...node('n-0'),
    ...quota('be', '{hard: {count/pods: "2"}, scopes: [BestEffort]}'),
    ...quota('everything', '{hard: {count/pods: "10"}}'),
    ...pod('web-3', 'n-0', 'Running'),
    ...pod('job-1', 'n-0', 'Succeeded'),
    ...pod('job-2', 'n-0', 'Failed', { cpu: '100m' }),
  ]);
  const cluster = clusterFromSnapshot(readClusterSnapshot(scoped));
  const bestEffort = { metadata: { name: 'p', namespace: 'team-a' }, spec: { containers: [{ name: 'c', image: 'app' }] } };
  assert.equal(checkQuota(cluster, bestEffort), 'exceeded quota: be, requested: count/pods=1, used: count/pods=2, limited: count/pods=2');
  // A pod with requests is charged by `everything` only: 3 stored pods of 10.
  const burstable = { metadata: { name: 'p', namespace: 'team-a' }, spec: { containers: [{ name: 'c', image: 'app', resources: { requests: { cpu: '100m' } } }] } };
  assert.equal(checkQuota(cluster, burstable), null);
  cluster.objects.set('ResourceQuota/team-a/everything', { kind: 'ResourceQuota', apiVersion: 'v1', metadata: { name: 'everything', namespace: 'team-a' }, spec: { hard: { 'count/pods': '3' } } });
  assert.equal(checkQuota(cluster, burstable), 'exceeded quota: everything, requested: count/pods=1, used: count/pods=3, limited: count/pods=3');
});

test('the terminated-pod garbage collector counts a dump\'s finished pods toward its threshold and deletes the surplus at its first check (20 s): the evicted one, then the oldest; the quota then lets a pod in', () => {
  const dir = tempDir('ksim-fin-podgc-');
  writeDump(dir, [
    ...node('n-0'),
    ...quota('compute', '{hard: {count/pods: "3"}}'),
    ...pod('old', 'n-0', 'Succeeded', { created: '2026-11-30T07:00:00Z' }),
    ...pod('middle', 'n-0', 'Failed', { created: '2026-11-30T08:00:00Z' }),
    ...pod('evicted', 'n-0', 'Failed', { created: '2026-11-30T09:00:00Z', reason: 'Evicted' }),
  ]);
  const bare = '{apiVersion: v1, kind: Pod, metadata: {name: late, namespace: team-a}, spec: {containers: [{name: c, image: app}]}}';
  const early = '{apiVersion: v1, kind: Pod, metadata: {name: early, namespace: team-a}, spec: {containers: [{name: c, image: app}]}}';
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nduration: 1m\ncluster:\n  file: cluster.yaml\ncontrolPlane:\n  terminatedPodGCThreshold: 1\nworkload:\n  - {name: early, at: 5s, manifest: ${early}}\n  - {name: late, at: 30s, manifest: ${bare}}\n`);
  const run = prepareRun(loadScenario(join(dir, 's.yaml')), { checkInvariants: true });
  run.sim.run(19_000_000);
  assert.deepEqual([...run.cluster.finishedAtStart.keys()].sort(), ['team-a/evicted', 'team-a/middle', 'team-a/old']);
  run.sim.run(21_000_000);
  // Upstream byEvictionAndCreationTimestamp: evicted first, then by creationTimestamp.
  assert.deepEqual([...run.cluster.finishedAtStart.keys()], ['team-a/middle']);
  run.sim.run(run.endUs);
  const result = run.finish();
  // At 5 s the quota is full (3 stored pods of 3); at 30 s one of 3 is left.
  assert.ok(result.warnings.some((w) => w.includes('team-a/early') && w.includes('used: count/pods=3, limited: count/pods=3')), result.warnings.join('\n'));
  assert.deepEqual(table(result, 'placements.csv').map((p) => `${p['pod']} ${p['result']}`), ['late bound']);
  assert.deepEqual(['pods_submitted', 'pods_bound'].map((c) => String(result.summary[c])), ['1', '1']);
});

test('a dump\'s Job with finished pods goes on from its status without counting them again or recreating them; a finished Job deleted by its TTL takes its finished pods with it', () => {
  const dir = tempDir('ksim-fin-job-');
  const job = (name: string, spec: string, status: string) => [
    '- apiVersion: batch/v1',
    '  kind: Job',
    `  metadata: {name: ${name}, namespace: team-a, uid: uid-${name}}`,
    `  spec: {${spec}template: {spec: {restartPolicy: Never, containers: [{name: c, image: j, resources: {requests: {cpu: 100m}}}]}}}`,
    `  status: ${status}`,
  ];
  const of = (j: string) => `, labels: {job-name: ${j}}, ownerReferences: [{apiVersion: batch/v1, kind: Job, name: ${j}, uid: uid-${j}, controller: true}]`;
  writeDump(dir, [
    ...node('n-0'),
    // 2 of 4 done, 2 at a time: 2 more pods.
    ...job('migrate', 'completions: 4, parallelism: 2, ', '{startTime: "2026-11-30T09:00:00Z", succeeded: 2}'),
    ...pod('migrate-aaaaa', 'n-0', 'Succeeded', { extra: of('migrate'), cpu: '100m' }),
    ...pod('migrate-bbbbb', 'n-0', 'Succeeded', { extra: of('migrate'), cpu: '100m' }),
    // Finished 09:59 with a 2-minute TTL: deleted at t = 60 s, with its pod.
    ...job('cleanup', 'ttlSecondsAfterFinished: 120, ', '{startTime: "2026-11-30T09:58:30Z", completionTime: "2026-11-30T09:59:00Z", succeeded: 1, conditions: [{type: SuccessCriteriaMet, status: "True", lastTransitionTime: "2026-11-30T09:59:00Z"}, {type: Complete, status: "True", reason: CompletionsReached, lastTransitionTime: "2026-11-30T09:59:00Z"}]}'),
    ...pod('cleanup-ccccc', 'n-0', 'Succeeded', { extra: of('cleanup'), cpu: '100m' }),
  ]);
  writeFileSync(join(dir, 's.yaml'), 'apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nduration: 3m\ncluster:\n  file: cluster.yaml\n');
  const run = prepareRun(loadScenario(join(dir, 's.yaml')), { checkInvariants: true });
  run.sim.run(59_000_000);
  assert.deepEqual([...run.cluster.finishedAtStart.keys()].sort(), ['team-a/cleanup-ccccc', 'team-a/migrate-aaaaa', 'team-a/migrate-bbbbb']);
  run.sim.run(62_000_000);
  assert.deepEqual([...run.cluster.finishedAtStart.keys()].sort(), ['team-a/migrate-aaaaa', 'team-a/migrate-bbbbb']);
  run.sim.run(run.endUs);
  const result = run.finish();
  assert.deepEqual(table(result, 'placements.csv').map((r) => `${r['owner']} ${r['result']}`), ['migrate bound', 'migrate bound']);
  assert.deepEqual(table(result, 'jobs.csv').map((r) => `${r['name']} ${r['condition']} ${r['succeeded']} ${r['failed']}`), ['cleanup Complete 1 0', 'migrate Running 2 0']);
});

test("a dump's finished DaemonSet pods are deleted by the DaemonSet controller at its first sync (upstream podsShouldBeOnNode), and a node left without a daemon pod gets one once they are gone", () => {
  const dir = tempDir('ksim-fin-ds-');
  const dsRef = ', ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: uid-agent, controller: true}]';
  const daemonPod = (name: string, nodeName: string, phase: string, reason?: string) => pod(name, nodeName, phase, { ns: 'kube-system', labels: '{app: agent}', extra: dsRef, cpu: '100m', ...(reason === undefined ? {} : { reason }) });
  writeDump(dir, [
    ...node('n-0'),
    ...node('n-1'),
    ...node('n-2'),
    '- apiVersion: apps/v1',
    '  kind: DaemonSet',
    '  metadata: {name: agent, namespace: kube-system, uid: uid-agent}',
    '  spec: {selector: {matchLabels: {app: agent}}, template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: c, image: app, resources: {requests: {cpu: 100m}}}]}}}',
    ...daemonPod('agent-run-0', 'n-0', 'Running'),
    ...daemonPod('agent-old-0', 'n-0', 'Failed', 'OutOfcpu'),
    ...daemonPod('agent-evicted-1', 'n-1', 'Failed', 'Evicted'),
    ...daemonPod('agent-run-2', 'n-2', 'Running'),
    ...daemonPod('agent-done-2', 'n-2', 'Succeeded'),
  ]);
  const scenario = join(dir, 's.yaml');
  writeFileSync(scenario, 'apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nduration: 1m\ncluster:\n  file: cluster.yaml\n');
  const run = prepareRun(loadScenario(scenario), { checkInvariants: true });
  assert.deepEqual([...run.cluster.finishedAtStart.keys()], ['kube-system/agent-old-0', 'kube-system/agent-evicted-1', 'kube-system/agent-done-2']);
  // All three deleted by the first sync (the first Failed pod of a node is not held by the
  // backoff) and gone by 8 ms; n-1, left with none, gets a new pod only then (at 8.141 ms).
  run.sim.run(8_000);
  assert.deepEqual([[...run.cluster.finishedAtStart.keys()], run.cluster.pods.size], [[], 2]);
  run.sim.run(run.endUs);
  const result = run.finish();
  const pods = table(result, 'pods.csv').map((p) => `${p['name']} ${p['node']} ${p['phase']} ${p['created_s']}`);
  assert.deepEqual(pods.map((p) => p.replace(/^agent-[b-z2-9]{5} /, 'agent-xxxxx ')), ['agent-xxxxx n-1 Running 0.008141', 'agent-run-0 n-0 Running 0', 'agent-run-2 n-2 Running 0']);
  assert.deepEqual(result.warnings, []);
});
