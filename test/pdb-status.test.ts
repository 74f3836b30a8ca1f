// What preemption reads of a cluster dump, as upstream's scheduler reads it: a
// PodDisruptionBudget's status as the disruption controller last wrote it (not recomputed from
// the pods), a pending pod's status.nominatedNodeName tried first, and every pending pod counted
// where the disruption controller and ResourceQuota count it. The dumps are `kubectl get -A -o
// json` Lists as a cluster prints them (status, managedFields), in test/fixtures/pdb-status.
//
// lagging-status.json: n1, n2 (eu-west-1a) and n3 (eu-west-1b), 4 CPUs each, full: queue
// (priority 50) on n1, api (1000) on n2, web (200) on n3; the pending 2-CPU pod report (1000)
// must evict one. PDB queue (minAvailable 1) was last written when queue had 2 ready replicas:
// disruptionsAllowed 1; with the one pod left the controller's next write says 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainFiles } from '../src/run/explain-files.js';
import { loadScenario } from '../src/workload/scenario.js';
import { prepareRun } from '../src/run/run-scenario.js';
import { objectKey } from '../src/cluster/workload-object.js';
import { renderTable } from '../src/cli/explain-command.js';
import { tempDir } from '../src/testing/temp-dir.js';
import { repoPath } from '../src/testing/repo-paths.js';

const FIX = repoPath('test/fixtures/pdb-status');
const LAGGING = join(FIX, 'lagging-status.json');
const REPORT = join(FIX, 'report.json');

interface ListJson {
  items: Array<{ kind: string; metadata: { name: string }; status?: unknown; spec?: Record<string, unknown> }>;
}

/** The dump with `change` applied to its items, written to a temporary file. */
function variant(dir: string, name: string, change: (items: ListJson['items']) => ListJson['items']): string {
  const list = JSON.parse(readFileSync(LAGGING, 'utf8')) as ListJson;
  list.items = change(list.items);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(list));
  return file;
}

/** Runs a scenario on `clusterFile` (plus workload entries) for `seconds`; the preempted pods
 * ("pod on node: reason") and the PDB's status at 1 ms and at the end. */
function runOn(dir: string, clusterFile: string, workload: string, seconds: number): { preempted: string[]; statusAt1ms: unknown; status: unknown } {
  const path = join(dir, `run-${seconds}.yaml`);
  writeFileSync(path, `apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: pdb}\nseed: 1\nduration: ${seconds}s\ncluster: {file: ${JSON.stringify(clusterFile)}}\n${workload}`);
  const run = prepareRun(loadScenario(path));
  const statusNow = () => run.cluster.objects.get(objectKey('PodDisruptionBudget', 'shop', 'queue'))?.['status'];
  run.sim.run(1000);
  const statusAt1ms = statusNow();
  run.sim.run(run.endUs);
  const status = statusNow();
  const placements = run.finish().tables.find((t) => t.file === 'placements.csv');
  const preempted = (placements?.rows ?? []).filter((r) => r['result'] === 'preempted').map((r) => `${String(r['pod'])} on ${String(r['node'])}: ${String(r['reason'])}`);
  return { preempted, statusAt1ms, status };
}

test('explain: preemption reads the dump\'s status.disruptionsAllowed (1) as upstream\'s filterPodsWithPDBViolation does, not the 0 the pods would give now: queue on n1 is evicted, not web on n3', async () => {
  const warnings: string[] = [];
  const r = await explainFiles({ cluster: LAGGING, pod: REPORT, warnings });
  // Before: the status was dropped and recomputed (0 allowed), queue counted as a violation and
  // web (n3) was named.
  assert.deepEqual(r.preemption, { node: 'n1', victims: ['shop/queue-6c8d5f7b9-x7k2p'] });
  assert.deepEqual(warnings, [`${REPORT}: pod shop/report is in the cluster: explained as if it were not there`]);

  // The same dump with the controller's next write (0 allowed) protects queue.
  const dir = tempDir('ksim-pdb-status-');
  const synced = variant(dir, 'synced.json', (items) => items.map((o) => (o.kind === 'PodDisruptionBudget' ? { ...o, status: { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 } } : o)));
  assert.deepEqual((await explainFiles({ cluster: synced, pod: REPORT })).preemption, { node: 'n3', victims: ['shop/web-7f9c8b6d5-m3n4b'] });
});

test('explain: a PDB without a status (a hand-written file) gets the one the disruption controller would write; disruptedPods are read; a bad status is bad input', async () => {
  const dir = tempDir('ksim-pdb-nostatus-');
  const noStatus = (spec: Record<string, unknown>) => variant(dir, `nostatus-${JSON.stringify(spec).length}.json`, (items) => items.map((o) => {
    if (o.kind !== 'PodDisruptionBudget') return o;
    const { status: _dropped, ...rest } = o;
    return { ...rest, spec: { ...o.spec, ...spec } };
  }));
  // minAvailable 1 over the one ready queue pod: 0 allowed → web on n3.
  assert.deepEqual((await explainFiles({ cluster: noStatus({}), pod: REPORT })).preemption, { node: 'n3', victims: ['shop/web-7f9c8b6d5-m3n4b'] });
  // minAvailable 0: 1 allowed → queue on n1 (a status of 0 for want of one would keep it).
  assert.deepEqual((await explainFiles({ cluster: noStatus({ minAvailable: 0 }), pod: REPORT })).preemption, { node: 'n1', victims: ['shop/queue-6c8d5f7b9-x7k2p'] });

  // An eviction the API server already processed (status.disruptedPods) spends no budget.
  const disrupted = variant(dir, 'disrupted.json', (items) => items.map((o) => (o.kind === 'PodDisruptionBudget' ? { ...o, status: { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1, disruptedPods: { 'queue-6c8d5f7b9-x7k2p': '2024-05-01T11:59:58Z' } } } : o)));
  assert.deepEqual((await explainFiles({ cluster: disrupted, pod: REPORT })).preemption, { node: 'n1', victims: ['shop/queue-6c8d5f7b9-x7k2p'] });

  const bad = variant(dir, 'bad.json', (items) => items.map((o) => (o.kind === 'PodDisruptionBudget' ? { ...o, status: { disruptionsAllowed: -1 } } : o)));
  await assert.rejects(explainFiles({ cluster: bad, pod: REPORT }), { message: /bad\.json:\d+:\d+: items\[12\]\.status\.disruptionsAllowed: expected a whole number >= 0, got -1$/ });
});

test('run: the dump\'s PDB status stands until the disruption controller first writes its own (3.2 ms in); a preemption after that reads the computed 0', () => {
  const dir = tempDir('ksim-pdb-run-');
  // report, pending in the dump, is scheduled at t = 0, before the controller's write lands.
  const atStart = runOn(dir, LAGGING, '', 1);
  assert.deepEqual(atStart.preempted, ['queue-6c8d5f7b9-x7k2p on n1: preempted by shop/report on node n1']);
  assert.deepEqual(atStart.statusAt1ms, { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 }, 'the dump\'s counts (its conditions are not kept)');
  // Then the controller's: queue terminating (not healthy) and its replacement pending (counted
  // in expectedPods, as upstream's getPodsForPdb lists every matching pod).
  assert.deepEqual(atStart.status, { currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 2 });
  // Without report in the dump, it comes at 10 s: queue is protected, web goes (before this
  // change both runs recomputed the budget and evicted web).
  const later = variant(dir, 'no-report.json', (items) => items.filter((o) => o.metadata.name !== 'report'));
  const afterSync = runOn(dir, later, `workload: [{name: report, at: 10s, file: ${JSON.stringify(REPORT)}}]\n`, 11);
  assert.equal(afterSync.preempted[0], 'web-7f9c8b6d5-m3n4b on n3: preempted by shop/report on node n3');
});

test('run: the dump\'s status.disruptedPods are read as explain reads them (an eviction already processed spends no budget), and the disruption controller keeps them until 2 min after the eviction (upstream DeletionTimeout), the pod not healthy meanwhile', () => {
  const dir = tempDir('ksim-pdb-disrupted-');
  // queue's eviction was processed at 11:59:58, 2 s before the dump's time (t = 0).
  const disrupted = (items: ListJson['items']) => items.map((o) => (o.kind === 'PodDisruptionBudget' ? { ...o, status: { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 2, disruptedPods: { 'queue-6c8d5f7b9-x7k2p': '2024-05-01T11:59:58Z' } } } : o));
  // report, pending in the dump, preempts at t = 0: queue on n1 is no violation, as explain says
  // (before, a run dropped disruptedPods and evicted web on n3).
  const atStart = runOn(dir, variant(dir, 'disrupted.json', disrupted), '', 1);
  assert.deepEqual(atStart.preempted, ['queue-6c8d5f7b9-x7k2p on n1: preempted by shop/report on node n1']);
  // Without report: the controller's first write keeps the entry and does not count queue as
  // healthy (0 of 1 desired); at 118 s + 1 µs (11:59:58 + 2 min) it drops it, queue healthy again.
  const calm = variant(dir, 'disrupted-no-report.json', (items) => disrupted(items).filter((o) => o.metadata.name !== 'report'));
  const before = runOn(dir, calm, '', 118);
  assert.deepEqual(before.status, { currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1, disruptedPods: { 'queue-6c8d5f7b9-x7k2p': '2024-05-01T11:59:58Z' } });
  const after = runOn(dir, calm, '', 119);
  assert.deepEqual(after.status, { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 });
});

// nominated.json: a preemption half-way. report (2 CPUs, priority 1000) was nominated to m2 (4
// CPUs; its victim is gone); m1 (8 CPUs) is emptier and a search scores it higher (454 to 436).
const NOMINATED = join(FIX, 'nominated.json');
const REPORT_NOMINATED = join(FIX, 'report-nominated.json');

test('explain: a pending pod\'s status.nominatedNodeName is filtered first and taken when it passes (upstream evaluateNominatedNode), as a run binds it', async () => {
  const r = await explainFiles({ cluster: NOMINATED, pod: REPORT_NOMINATED });
  // Before: the nomination was not tried and m1, the best score, was selected.
  assert.equal(r.selected, 'm2');
  assert.equal(r.nominatedNode, 'm2');
  assert.deepEqual([r.nodes['m1']?.total, r.nodes['m2']?.total], [454, 436], 'the search\'s scores are still shown');
  const table = renderTable(r);
  assert.match(table, /^selected: m2 \(the pod's nominated node: it passes every filter, so the scheduler takes it without searching or scoring\)$/m);
  // The --pod file without its status: the dump's copy of the pod holds the nomination.
  const dir = tempDir('ksim-nominated-');
  const bare = JSON.parse(readFileSync(REPORT_NOMINATED, 'utf8')) as { status?: unknown };
  delete bare.status;
  writeFileSync(join(dir, 'report.json'), JSON.stringify(bare));
  assert.equal((await explainFiles({ cluster: NOMINATED, pod: join(dir, 'report.json') })).selected, 'm2');

  // A run of the dump binds it there too (its queue hands the nomination to the scheduler).
  const path = join(dir, 'run.yaml');
  writeFileSync(path, `apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: {name: nominated}\nseed: 1\nduration: 5s\ncluster: {file: ${JSON.stringify(NOMINATED)}}\n`);
  const run = prepareRun(loadScenario(path));
  run.sim.run(run.endUs);
  assert.equal(run.cluster.pods.get('shop/report')?.nodeName, 'm2');
});

test('explain: a nominated node that fails a filter sends the scheduler through every node, and the table says so', async () => {
  const dir = tempDir('ksim-nominated-full-');
  // A 3-CPU pod bound to m2 since: the 2-CPU pod no longer fits there.
  const list = JSON.parse(readFileSync(NOMINATED, 'utf8')) as { items: unknown[] };
  list.items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late', namespace: 'shop' }, spec: { nodeName: 'm2', priority: 2000, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '3' } } }] }, status: { phase: 'Running', startTime: '2024-05-01T11:59:59Z' } });
  const cluster = join(dir, 'cluster.json');
  writeFileSync(cluster, JSON.stringify(list));
  const r = await explainFiles({ cluster, pod: REPORT_NOMINATED });
  assert.deepEqual([r.selected, r.nominatedNode], ['m1', 'm2']);
  assert.deepEqual(r.nodes['m2']?.filter['NodeResourcesFit'], { code: 'Unschedulable', reason: 'Insufficient cpu' });
  assert.match(renderTable(r), /^the pod's nominated node m2 fails a filter: the scheduler searched every node$/m);
  // A candidate list without the nominated node: it is not tried.
  const only = await explainFiles({ cluster: NOMINATED, pod: REPORT_NOMINATED, nodes: ['m1'] });
  assert.deepEqual([only.selected, only.nominatedNode], ['m1', undefined]);
});

// pending-replicas.json: d1 holds db-0 (StatefulSet db, 1 replica, priority 100), d2 cache-0
// (200), 4 CPUs each, full. StatefulSet db-replica (2 replicas) has one pod, pending. PDB db
// (maxUnavailable 1, written by hand: no status) selects the pods of both StatefulSets. backup
// (2 CPUs, priority 1000) must evict one.
const PENDING = join(FIX, 'pending-replicas.json');
const BACKUP = join(FIX, 'backup.json');

test('explain counts a PDB\'s pending pods as upstream\'s disruption controller does: db-replica-0\'s StatefulSet adds its 2 replicas to the expected pods, so db-0 is protected', async () => {
  // Upstream getExpectedScale: db (1) + db-replica (2) = 3 expected, maxUnavailable 1 → 2
  // desired, 1 ready → 0 allowed: d1 holds a violation, d2 none → cache-0. Before, pending pods
  // without a nomination were not read: 1 expected, 0 desired, 1 allowed → db-0 on d1.
  const r = await explainFiles({ cluster: PENDING, pod: BACKUP });
  assert.deepEqual(r.preemption, { node: 'd2', victims: ['data/cache-0'] });
});

test('explain counts pending pods in the namespace\'s ResourceQuota, as upstream\'s quota usage does', async () => {
  const dir = tempDir('ksim-pending-quota-');
  const list = JSON.parse(readFileSync(PENDING, 'utf8')) as { items: unknown[] };
  list.items.push({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods', namespace: 'data' }, spec: { hard: { pods: '3' } }, status: { hard: { pods: '3' }, used: { pods: '3' } } });
  const cluster = join(dir, 'cluster.json');
  writeFileSync(cluster, JSON.stringify(list));
  // db-0, cache-0 and the pending db-replica-0 use the 3 pods: backup is refused (before, 2).
  await assert.rejects(explainFiles({ cluster, pod: BACKUP }), { message: /exceeded quota: pods, requested: pods=1, used: pods=3, limited: pods=3/ });
});
