// The DaemonSet rolling update (upstream pkg/controller/daemon/update.go rollingUpdate and
// daemon_controller.go podsShouldBeOnNode): a template changed at 60 s on 4 nodes, with a fixed
// 5 s startup and a 10 s termination grace period, and a control plane without latency, so every
// step falls on a whole second (the scheduler's own cycles add microseconds: times are compared
// to the centisecond).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1.js';
import { parseScenario } from '../workload/scenario.js';
import { prepareRun, type RunResult } from '../run/run-scenario.js';
import { toCsv } from '../metrics/csv-output.js';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi } from '../controlplane/object-api.js';
import { makeNode } from '../testing/builders.js';
import type { ObjectOf, WorkloadObject } from '../cluster/workload-object.js';
import { CONTROLLER_REVISION_HASH, DaemonSetController, daemonSetRevisionHash, rollingUpdateCounts } from './daemonset.js';

const ds = (image: string, extra = '') =>
  `{apiVersion: apps/v1, kind: DaemonSet, metadata: {name: agent}, spec: {${extra}selector: {matchLabels: {app: agent}}, template: {metadata: {labels: {app: agent}}, spec: {terminationGracePeriodSeconds: 10, containers: [{name: c, image: "${image}"}]}}}}`;

function scenario(extra: string, opts: { pools?: string; extraBefore?: string } = {}): string {
  return [
    'apiVersion: ksim/v1alpha1',
    'kind: Scenario',
    'metadata: {name: ds-rollout}',
    'seed: 1',
    'duration: 5m',
    'controlPlane: {apiWriteLatency: 0s, watchDelay: 0s, etcd: {followerRtt: 0s, fsync: 0s}}',
    'cluster:',
    '  nodePools:',
    '    - {name: p, count: 4, allocatable: {cpu: "4", memory: 8Gi}}',
    ...(opts.pools !== undefined ? [opts.pools] : []),
    'kubelet: {startupLatency: 5s}',
    'workload:',
    `  - {name: agent, manifest: ${ds('agent:1', opts.extraBefore ?? '')}}`,
    `  - {name: agent-v2, at: 60s, manifest: ${ds('agent:2', extra)}}`,
    '',
  ].join('\n');
}

interface Run extends RunResult {
  readonly cluster: ClusterState;
}

function run(extra: string, opts: { pools?: string; extraBefore?: string } = {}): Run {
  const prepared = prepareRun(parseScenario(scenario(extra, opts), 's.yaml'), { checkInvariants: true });
  prepared.sim.run(prepared.endUs);
  return { ...prepared.finish(), cluster: prepared.cluster };
}

/** placements.csv rows after t = 1 s with `result`, as "time node" (time to the centisecond). */
function rows(r: RunResult, result: string): string[] {
  const placements = r.tables.find((t) => t.file === 'placements.csv')?.rows ?? [];
  return placements.filter((x) => x['result'] === result && Number(x['time_s']) > 1).map((x) => `${Number(x['time_s']).toFixed(2)} ${String(x['node'])}`);
}

/** The live pods at the end: node → image, every one labelled with the new revision. */
function endState(r: Run): Record<string, string> {
  const out: Record<string, string> = {};
  const o = r.cluster.objects.get('DaemonSet/default/agent') as ObjectOf<'DaemonSet'> | undefined;
  const hash = o === undefined ? '?' : daemonSetRevisionHash(o);
  for (const p of r.cluster.pods.values()) {
    if (p.deleted) continue;
    assert.equal(p.pod.metadata?.labels?.[CONTROLLER_REVISION_HASH], hash, p.name);
    out[p.nodeName ?? '?'] = p.pod.spec?.containers[0]?.image ?? '?';
  }
  return out;
}

const ALL_NEW = { 'p-0': 'agent:2', 'p-1': 'agent:2', 'p-2': 'agent:2', 'p-3': 'agent:2' };

test('maxUnavailable 1 (the default): one node at a time; each old pod goes when the previous new one runs, its replacement once it is gone (10 s later)', () => {
  const r = run('');
  // 60: p-0's old pod deleted → gone 70, replacement bound 70, Running 75 → p-1's deleted 75 ...
  assert.deepEqual(rows(r, 'terminated'), ['70.00 p-0', '85.00 p-1', '100.00 p-2', '115.00 p-3']);
  assert.deepEqual(rows(r, 'bound'), ['70.00 p-0', '85.00 p-1', '100.00 p-2', '115.00 p-3']);
  assert.deepEqual(endState(r), ALL_NEW);
  assert.deepEqual(r.warnings.filter((w) => w.includes('template')), [], 'no template-change warning: it is rolled out');
});

test('maxUnavailable 2 (and "50%" of 4 nodes): two nodes at a time', () => {
  for (const v of ['2', '"50%"']) {
    const r = run(`updateStrategy: {rollingUpdate: {maxUnavailable: ${v}}}, `);
    assert.deepEqual(rows(r, 'terminated'), ['70.00 p-0', '70.00 p-1', '85.00 p-2', '85.00 p-3'], v);
    assert.deepEqual(rows(r, 'bound'), ['70.00 p-0', '70.00 p-1', '85.00 p-2', '85.00 p-3'], v);
    assert.deepEqual(endState(r), ALL_NEW);
  }
});

test('maxSurge 1, maxUnavailable 0: the new pod starts beside the old one, which is deleted once the new one is available; then the next node', () => {
  const r = run('updateStrategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}, ');
  // 60: new pod on p-0, Running 65 → p-0's old deleted (gone 75) and a new pod on p-1 ...
  assert.deepEqual(rows(r, 'bound'), ['60.00 p-0', '65.00 p-1', '70.00 p-2', '75.00 p-3']);
  assert.deepEqual(rows(r, 'terminated'), ['75.00 p-0', '80.00 p-1', '85.00 p-2', '90.00 p-3']);
  assert.deepEqual(endState(r), ALL_NEW);
});

test('maxSurge "50%" of 4 nodes (2, rounded up): two nodes at a time', () => {
  const r = run('updateStrategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: "50%"}}, ');
  assert.deepEqual(rows(r, 'bound'), ['60.00 p-0', '60.00 p-1', '65.00 p-2', '65.00 p-3']);
  assert.deepEqual(rows(r, 'terminated'), ['75.00 p-0', '75.00 p-1', '80.00 p-2', '80.00 p-3']);
});

test('minReadySeconds 20: a new pod counts as available 20 s after it runs, so each step waits 20 s more', () => {
  const r = run('minReadySeconds: 20, ', { extraBefore: 'minReadySeconds: 20, ' });
  // p-0's replacement runs at 75, available at 95 → p-1's old pod deleted 95, gone 105 ...
  assert.deepEqual(rows(r, 'terminated'), ['70.00 p-0', '105.00 p-1', '140.00 p-2', '175.00 p-3']);
  assert.deepEqual(rows(r, 'bound'), ['70.00 p-0', '105.00 p-1', '140.00 p-2', '175.00 p-3']);
});

test('updateStrategy OnDelete: nothing is replaced', () => {
  const r = run('updateStrategy: {type: OnDelete}, ');
  assert.deepEqual(rows(r, 'terminated'), []);
  assert.deepEqual(rows(r, 'bound'), []);
  assert.deepEqual(r.warnings.filter((w) => w.includes('template')), []);
});

test('a node that joins mid-rollout (80 s) gets the new template at once; the rollout goes on as without it', () => {
  const r = run('', { pools: '    - {name: q, count: 1, joinAt: 80s, allocatable: {cpu: "4", memory: 8Gi}}' });
  // q-0's pod is created when it joins (bound at 80, Running at 85: unavailable meanwhile, as p-1's
  // terminating pod is, so nothing more is deleted before 85).
  assert.deepEqual(rows(r, 'bound'), ['70.00 p-0', '80.00 q-0', '85.00 p-1', '100.00 p-2', '115.00 p-3']);
  assert.deepEqual(endState(r), { ...ALL_NEW, 'q-0': 'agent:2' });
});

test('a rollout is deterministic: two runs write identical bytes', () => {
  for (const extra of ['', 'updateStrategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}, minReadySeconds: 7, ']) {
    const a = run(extra).tables.map(toCsv);
    const b = run(extra).tables.map(toCsv);
    assert.deepEqual(a, b);
  }
});

test('rollingUpdateCounts: upstream defaults (maxUnavailable 1, maxSurge 0), percentages of the desired nodes rounded up, OnDelete none', () => {
  const o = (updateStrategy?: unknown) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x', namespace: 'default' }, spec: { ...(updateStrategy !== undefined ? { updateStrategy } : {}) } }) as ObjectOf<'DaemonSet'>;
  assert.deepEqual(rollingUpdateCounts(o(), 10), { maxSurge: 0, maxUnavailable: 1 });
  assert.deepEqual(rollingUpdateCounts(o({ rollingUpdate: { maxUnavailable: '25%' } }), 10), { maxSurge: 0, maxUnavailable: 3 }); // 2.5 → 3
  assert.deepEqual(rollingUpdateCounts(o({ rollingUpdate: { maxUnavailable: '10%' } }), 1), { maxSurge: 0, maxUnavailable: 1 });
  assert.deepEqual(rollingUpdateCounts(o({ rollingUpdate: { maxUnavailable: 0, maxSurge: '30%' } }), 5), { maxSurge: 2, maxUnavailable: 0 }); // 1.5 → 2
  assert.equal(rollingUpdateCounts(o({ type: 'OnDelete' }), 5), null);
});

// Ported from upstream update_test.go with the unit harness (no kubelet: pods never run, so
// none is available).
function harness(n: number) {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const nodes: Node[] = Array.from({ length: n }, (_, i) => makeNode(`n${i}`).obj());
  for (const node of nodes) cluster.addNode(node, 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new DaemonSetController(sim, api, new RandomStreams(1).stream('names'), new ObjectApi(api));
  return { sim, cluster, api };
}

function dsObject(image: string, updateStrategy?: unknown): WorkloadObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: { ...(updateStrategy !== undefined ? { updateStrategy } : {}), selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image }] } } },
  };
}

function images(cluster: ClusterState): string[] {
  return [...cluster.pods.values()].filter((p) => !p.deleted).map((p) => p.pod.spec?.containers[0]?.image ?? '?').sort();
}

test('upstream TestDaemonSetUpdatesAllOldPodsNotReady: old pods not available are all replaced at once, whatever maxUnavailable', () => {
  const { sim, cluster, api } = harness(5);
  api.createObject(dsObject('a:1', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } }));
  sim.run(1_000_000);
  assert.deepEqual(images(cluster), ['a:1', 'a:1', 'a:1', 'a:1', 'a:1']);
  api.updateObject(dsObject('a:2', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } }));
  sim.run(1_010_000);
  assert.deepEqual(images(cluster), ['a:2', 'a:2', 'a:2', 'a:2', 'a:2']);
});

test('upstream TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge: with maxSurge, a new pod goes beside every old pod not available at once, and the old ones go', () => {
  const { sim, cluster, api } = harness(5);
  const strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
  api.createObject(dsObject('a:1', strategy));
  sim.run(1_000_000);
  let created = 0;
  api.watch({ podAdded: () => created++ });
  api.updateObject(dsObject('a:2', strategy));
  sim.run(1_010_000);
  assert.equal(created, 5);
  assert.deepEqual(images(cluster), ['a:2', 'a:2', 'a:2', 'a:2', 'a:2']);
});

test('upstream TestDaemonSetUpdatesNoTemplateChanged: an update that keeps the template (here: only the strategy) replaces nothing; a rollback to the old template makes its pods current again', () => {
  const { sim, cluster, api } = harness(3);
  api.createObject(dsObject('a:1'));
  sim.run(1_000_000);
  const before = [...cluster.pods.keys()].sort();
  api.updateObject(dsObject('a:1', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } }));
  sim.run(2_000_000);
  assert.deepEqual([...cluster.pods.keys()].sort(), before);
  // a:2 then straight back to a:1 before a sync: nothing of the a:1 pods is old.
  api.updateObject(dsObject('a:2'));
  api.updateObject(dsObject('a:1'));
  sim.run(3_000_000);
  assert.deepEqual([...cluster.pods.keys()].sort(), before);
});

test('OnDelete: nothing is replaced; a deleted pod\'s replacement has the new template and revision', () => {
  const { sim, cluster, api } = harness(3);
  api.createObject(dsObject('a:1', { type: 'OnDelete' }));
  sim.run(1_000_000);
  const o2 = dsObject('a:2', { type: 'OnDelete' });
  api.updateObject(o2);
  sim.run(2_000_000);
  assert.deepEqual(images(cluster), ['a:1', 'a:1', 'a:1']);
  const victim = [...cluster.pods.values()][1]!;
  api.deletePod(victim, 'test');
  sim.run(3_000_000);
  assert.deepEqual(images(cluster), ['a:1', 'a:1', 'a:2']);
  const fresh = [...cluster.pods.values()].find((p) => !p.deleted && p.pod.spec?.containers[0]?.image === 'a:2')!;
  assert.equal(fresh.pod.metadata?.labels?.[CONTROLLER_REVISION_HASH], daemonSetRevisionHash(o2 as ObjectOf<'DaemonSet'>));
});
