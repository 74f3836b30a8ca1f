// The Deployment controller: rolling updates within maxSurge / maxUnavailable, Recreate,
// scaling, and how a scenario expresses an update (a later entry with the same Deployment).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadScenario, parseScenario } from '../workload/scenario.js';
import { prepareRun } from '../run/run-scenario.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { DeploymentController, findNewReplicaSet, resolveFenceposts, scaledValue, scaleTargets } from './deployment.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectOf, WorkloadObject } from '../cluster/workload-object.js';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi } from '../controlplane/object-api.js';
import { makeNode, makePod } from '../testing/builders.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.js';

function deployment(opts: { replicas: number; image: string; strategy?: string }): string {
  return `{ apiVersion: apps/v1, kind: Deployment, metadata: { name: web }, spec: { replicas: ${opts.replicas}, ${opts.strategy ?? ''} selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: c, image: ${opts.image}, resources: { requests: { cpu: 100m } } }] } } } }`;
}

function scenario(entries: string[], duration = '10m'): string {
  return `
apiVersion: ksim/v1alpha1
kind: Scenario
duration: ${duration}
cluster:
  nodePools: [{ name: n, count: 4, allocatable: { cpu: "8", memory: 32Gi } }]
kubelet: { startupLatency: { uniform: { min: 1s, max: 6s } } }
workload:
${entries.map((e) => `  - ${e}`).join('\n')}
`;
}

interface Tally {
  active: number;
  running: number;
  byRs: Map<string, { active: number; running: number }>;
}

function tally(pods: Iterable<PodInfo>): Tally {
  const t: Tally = { active: 0, running: 0, byRs: new Map() };
  for (const p of pods) {
    if (p.ownerKind !== 'ReplicaSet' || !p.ownerName.startsWith('web-') || p.terminal || p.deleted || p.terminating) continue; // Terminating pods may exceed the surge, as upstream
    const rs = t.byRs.get(p.ownerName) ?? { active: 0, running: 0 };
    rs.active++;
    t.active++;
    // Available: Running and not Terminating (a Terminating pod is being stopped).
    if (p.phase === 'Running' && !p.terminating) {
      rs.running++;
      t.running++;
    }
    t.byRs.set(p.ownerName, rs);
  }
  return t;
}

/** Runs event by event; `check` sees the Deployment's pods after every event. */
function runChecked(text: string, check: (t: Tally, nowUs: number) => void) {
  const run = prepareRun(parseScenario(text, 'rollout.yaml'));
  while (!run.sim.run(run.endUs, 1)) check(tally(run.cluster.pods.values()), run.sim.now);
  const result = run.finish();
  return { run, result, end: tally(run.cluster.pods.values()) };
}

function rsReplicas(run: ReturnType<typeof prepareRun>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of run.cluster.objectsOfKind('ReplicaSet')) out[o.metadata.name] = o.spec?.replicas ?? 1;
  return out;
}

test('resolveFenceposts: maxSurge rounds up, maxUnavailable rounds down, defaults 25 %, 0/0 from rounding gives 1', () => {
  assert.deepEqual(resolveFenceposts({ replicas: 10 }), { maxSurge: 3, maxUnavailable: 2 });
  assert.deepEqual(resolveFenceposts({ replicas: 1 }), { maxSurge: 1, maxUnavailable: 0 });
  assert.deepEqual(resolveFenceposts({ replicas: 3, strategy: { rollingUpdate: { maxSurge: '0%', maxUnavailable: '10%' } } }), { maxSurge: 0, maxUnavailable: 1 });
  assert.deepEqual(resolveFenceposts({ replicas: 4, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 9 } } }), { maxSurge: 0, maxUnavailable: 4 });
  assert.equal(scaledValue('33%', 10, true), 4);
  assert.equal(scaledValue('33%', 10, false), 3);
});

test('a rolling update (10 replicas, maxSurge 3, maxUnavailable 2) keeps >= 8 pods Running and <= 13 pods, and ends with the new ReplicaSet at 10', () => {
  const strategy = 'strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } },';
  let ready = false;
  let maxActive = 0;
  let minRunning = Infinity;
  let overlap = 0;
  const { run, end } = runChecked(scenario([
    `name: web\n    manifest: ${deployment({ replicas: 10, image: 'v1', strategy })}`,
    `name: web-v2\n    at: 2m\n    manifest: ${deployment({ replicas: 10, image: 'v2', strategy })}`,
  ]), (t) => {
    assert.ok(t.active <= 13, `${t.active} pods exist, more than replicas + maxSurge = 13`);
    maxActive = Math.max(maxActive, t.active);
    if (t.running === 10) ready = true;
    if (!ready) return;
    assert.ok(t.running >= 8, `${t.running} pods available, fewer than replicas - maxUnavailable = 8`);
    minRunning = Math.min(minRunning, t.running);
    if (t.byRs.size === 2) overlap++;
  });
  const names = Object.keys(rsReplicas(run));
  assert.equal(names.length, 2);
  assert.equal(maxActive, 13); // the new ReplicaSet's first step is maxSurge = 3 pods
  assert.equal(minRunning, 8); // the old one's first step takes availability down to 8
  assert.ok(overlap > 0);
  // The v2 ReplicaSet is the one with pods; the v1 one is scaled to 0 and has none.
  const newRs = [...end.byRs.keys()];
  assert.equal(newRs.length, 1);
  const oldRs = names.find((n) => n !== newRs[0]) as string;
  assert.deepEqual(rsReplicas(run), { [newRs[0] as string]: 10, [oldRs]: 0 });
  assert.deepEqual(end.byRs.get(newRs[0] as string), { active: 10, running: 10 });
  const v2 = [...run.cluster.pods.values()].filter((p) => p.ownerName === newRs[0]);
  assert.equal(v2.length, 10);
  assert.ok(v2.every((p) => p.pod.spec?.containers[0]?.image === 'v2' && p.workload === 'web-v2'));
});

test('Recreate scales the old ReplicaSet to 0 and creates the new one only when its pods are gone', () => {
  const strategy = 'strategy: { type: Recreate },';
  let sawNone = false;
  const { run, end } = runChecked(scenario([
    `name: web\n    manifest: ${deployment({ replicas: 6, image: 'v1', strategy })}`,
    `name: web-v2\n    at: 2m\n    manifest: ${deployment({ replicas: 6, image: 'v2', strategy })}`,
  ]), (t, now) => {
    assert.ok(t.byRs.size <= 1, `at ${now} µs pods of ${t.byRs.size} ReplicaSets exist at once`);
    if (now > 120_000_000 && t.active === 0) sawNone = true;
  });
  assert.ok(sawNone);
  assert.equal(end.active, 6);
  assert.equal(end.running, 6);
  assert.deepEqual(Object.values(rsReplicas(run)).sort(), [0, 6]);
  // Upstream SetReplicasAnnotations: max-replicas is replicas + maxSurge, and Recreate has none.
  for (const rs of run.cluster.objectsOfKind('ReplicaSet')) {
    assert.deepEqual([rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas']], ['6', '6']);
  }
});

test('an update that changes only replicas scales the ReplicaSet: no new ReplicaSet, no rollout', () => {
  const { run, end } = runChecked(scenario([
    `name: web\n    manifest: ${deployment({ replicas: 10, image: 'v1' })}`,
    `name: web-down\n    at: 2m\n    manifest: ${deployment({ replicas: 4, image: 'v1' })}`,
    `name: web-up\n    at: 4m\n    manifest: ${deployment({ replicas: 7, image: 'v1' })}`,
  ]), () => {});
  assert.deepEqual(Object.values(rsReplicas(run)), [7]);
  assert.equal(end.active, 7);
  assert.equal(end.running, 7);
  // The pods keep the first entry's workload (its run duration), as the template did not change.
  assert.ok([...run.cluster.pods.values()].every((p) => p.workload === 'web'));
});

test('a rollback (a later entry re-applying an earlier template) scales the earlier ReplicaSet back up instead of making a third (upstream getNewReplicaSet → FindNewReplicaSet, EqualIgnoreHash); its pods are the entry\'s that brought the template first', () => {
  // /tmp/h24/d5.yaml: 4 replicas, maxSurge 1, maxUnavailable 0; v1 at 0, v2 at 2m, v1 at 4m.
  const strategy = 'strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },';
  const text = scenario([
    `name: web\n    manifest: ${deployment({ replicas: 4, image: 'v1', strategy })}`,
    `name: web2\n    at: 2m\n    manifest: ${deployment({ replicas: 4, image: 'v2', strategy })}`,
    `name: web3\n    at: 4m\n    manifest: ${deployment({ replicas: 4, image: 'v1', strategy })}`,
  ]).replace('startupLatency: { uniform: { min: 1s, max: 6s } }', 'startupLatency: 2s');
  const seen: Record<string, Record<string, number>> = {};
  let maxActive = 0;
  const run = prepareRun(parseScenario(text, 'rollback.yaml'));
  while (!run.sim.run(run.endUs, 1)) {
    maxActive = Math.max(maxActive, tally(run.cluster.pods.values()).active);
    for (const at of [60, 180, 300]) if (run.sim.now <= at * 1e6) seen[at] = rsReplicas(run);
  }
  const result = run.finish();
  const end = tally(run.cluster.pods.values());
  const [v1, v2] = Object.keys(seen[60]!).concat(Object.keys(seen[180]!).filter((n) => !(n in seen[60]!)));
  assert.deepEqual(seen[60], { [v1!]: 4 });
  assert.deepEqual(seen[180], { [v1!]: 0, [v2!]: 4 });
  assert.deepEqual(seen[300], { [v1!]: 4, [v2!]: 0 }, 'two ReplicaSets, the first one back at 4');
  assert.deepEqual(rsReplicas(run), { [v1!]: 4, [v2!]: 0 });
  assert.equal(end.active, 4);
  assert.equal(end.running, 4);
  assert.equal(maxActive, 5, 'replicas + maxSurge');
  // Each rollout makes 4 pods: 12 in all, 8 of them the first ReplicaSet's, from its template
  // (the entry `web`'s), none of them counted to `web3`.
  const rows = result.tables.find((t) => t.file === 'pods.csv')!.rows;
  assert.equal(rows.length, 12);
  assert.deepEqual([rows.filter((r) => r['owner'] === v1 && r['workload'] === 'web').length, rows.filter((r) => r['owner'] === v2 && r['workload'] === 'web2').length], [8, 4]);
  assert.deepEqual(rows.filter((r) => r['owner'] === v1 && Number(r['created_s']) > 240).map((r) => r['workload']), ['web', 'web', 'web', 'web']);
});

test('minReadySeconds: a new pod counts as available only once Ready that long (upstream IsPodAvailable), so each step of a rollout waits ≥ 30 s; the ReplicaSet controller\'s requeue after minReadySeconds + 1 s wakes the Deployment', () => {
  // /tmp/h24/d1.yaml: 10 replicas, maxSurge 15 % (2), maxUnavailable 15 % (1), v2 at 2m.
  const dep = (image: string, minReady: number) => `{ apiVersion: apps/v1, kind: Deployment, metadata: { name: web }, spec: { replicas: 10, minReadySeconds: ${minReady}, strategy: { rollingUpdate: { maxSurge: "15%", maxUnavailable: "15%" } }, selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { terminationGracePeriodSeconds: 5, containers: [{ name: c, image: "web:${image}", resources: { requests: { cpu: 100m } } }] } } } }`;
  const oldReplicas = (minReady: number, times: number[]) => {
    const text = scenario([`name: web\n    manifest: ${dep('v1', minReady)}`, `name: web2\n    at: 2m\n    manifest: ${dep('v2', minReady)}`], '5m').replace('startupLatency: { uniform: { min: 1s, max: 6s } }', 'startupLatency: 2s');
    const run = prepareRun(parseScenario(text, 'd1.yaml'));
    let oldName = '';
    const out: number[] = [];
    let minAvailable = Infinity;
    for (const t of times) {
      while (run.sim.now < t * 1e6 && !run.sim.run(t * 1e6, 1)) {
        if (oldName === '' && run.sim.now < 100e6) oldName = Object.keys(rsReplicas(run))[0] ?? '';
        // Never fewer than replicas − maxUnavailable pods available (Ready minReadySeconds).
        if (run.sim.now > 100e6) minAvailable = Math.min(minAvailable, [...run.cluster.pods.values()].filter((p) => p.phase === 'Running' && !p.terminating && !p.deleted && (p.ownerName === oldName || p.startedUs + minReady * 1e6 <= run.sim.now)).length);
      }
      out.push(rsReplicas(run)[oldName]!);
    }
    run.finish();
    return { out, minAvailable };
  };
  // With minReadySeconds 30: the old ReplicaSet goes 10 → 9 at 120 s, then 3 at a time every
  // 33 s (the new pods Ready at 122 s are available at 152 s, the Deployment woken at 153 s).
  assert.deepEqual(oldReplicas(30, [121, 152, 154, 185, 187, 218, 220]), { out: [9, 9, 6, 6, 3, 3, 0], minAvailable: 9 });
  // Without it: done within seconds of the update.
  assert.deepEqual(oldReplicas(0, [121, 130]).out, [9, 0]);
});

test('a Deployment repeated at the same time is still a duplicate name; a later one is an update', () => {
  assert.throws(() => parseScenario(scenario([
    `name: web\n    manifest: ${deployment({ replicas: 1, image: 'v1' })}`,
    `name: web2\n    manifest: ${deployment({ replicas: 2, image: 'v1' })}`,
  ]), 'dup.yaml'), { message: /^dup\.yaml:\d+:\d+: workload\[1\]\.manifest\.metadata\.name: expected a name not already used by workload entry "web" at the same time or later \(a Deployment of the same name arriving later updates it\), got "web"$/ });
  const s = parseScenario(scenario([
    `name: web\n    manifest: ${deployment({ replicas: 1, image: 'v1' })}`,
    `name: web2\n    at: 1s\n    manifest: ${deployment({ replicas: 2, image: 'v2' })}`,
  ]), 'ok.yaml');
  assert.equal(s.workload.length, 2);
});

test('strategy validation names the field and what was expected', () => {
  const bad = (strategy: string) => {
    try {
      parseScenario(scenario([`name: web\n    manifest: ${deployment({ replicas: 1, image: 'v1', strategy })}`]), 's.yaml');
    } catch (e) {
      return (e as Error).message.replace(/^s\.yaml:\d+:\d+: /, '');
    }
    return 'no error';
  };
  assert.equal(bad('strategy: { type: Rolling },'), 'workload[0].manifest.spec.strategy.type: expected RollingUpdate or Recreate, got "Rolling"');
  assert.equal(bad('strategy: { type: Recreate, rollingUpdate: { maxSurge: 1 } },'), 'workload[0].manifest.spec.strategy.rollingUpdate: expected no rollingUpdate when the strategy type is Recreate');
  assert.equal(bad('strategy: { rollingUpdate: { maxSurge: -1 } },'), 'workload[0].manifest.spec.strategy.rollingUpdate.maxSurge: expected a non-negative integer or a percentage such as "25%", got -1');
  assert.equal(bad('strategy: { rollingUpdate: { maxSurge: "x%" } },'), 'workload[0].manifest.spec.strategy.rollingUpdate.maxSurge: expected a non-negative integer or a percentage such as "25%", got "x%"');
  assert.equal(bad('strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } },'), 'workload[0].manifest.spec.strategy.rollingUpdate.maxUnavailable: expected a value other than 0 when maxSurge is 0 (both may not be 0), got "0%"');
  assert.equal(bad('strategy: { rollingUpdate: { maxUnavailable: "150%" } },'), 'workload[0].manifest.spec.strategy.rollingUpdate.maxUnavailable: expected a percentage no larger than 100% (must not be greater than 100%), got "150%"');
  assert.equal(bad('strategy: { rollingUpdate: { maxSurge: "200%", maxUnavailable: 0 } },'), 'no error');
});

test('scenarios/rolling-update.yaml: 10 v1 pods, replaced by 10 v2 pods, then scaled to 14', () => {
  const run = prepareRun(loadScenario(fileURLToPath(new URL('../../../scenarios/rolling-update.yaml', import.meta.url))));
  run.sim.run(run.endUs);
  const result = run.finish();
  assert.equal(result.summary['pods_submitted'], 24);
  assert.equal(result.summary['pods_unbound_end'], 0);
  const rs = run.cluster.objectsOfKind('ReplicaSet').map((o) => o.spec?.replicas ?? 1).sort((a, b) => a - b);
  assert.deepEqual(rs, [0, 14]);
  const live = [...run.cluster.pods.values()];
  assert.equal(live.length, 14);
  assert.ok(live.every((p) => p.phase === 'Running' && p.pod.spec?.containers[0]?.image === 'shop/web:v2'));
});

test('the new ReplicaSet is the first whose pod template equals the Deployment\'s but for pod-template-hash (upstream FindNewReplicaSet, EqualIgnoreHash)', () => {
  const tmpl = (labels: Record<string, string>, image = 'nginx:1.27', extra: Record<string, unknown> = {}) => ({ metadata: { labels, ...extra }, spec: { containers: [{ name: 'web', image }] } });
  const rs = (name: string, template: PodTemplateSpec): ObjectOf<'ReplicaSet'> => ({ kind: 'ReplicaSet', metadata: { name, namespace: 'default' }, spec: { replicas: 1, template } });
  const cases: [string, ObjectOf<'ReplicaSet'>[], string | undefined][] = [
    ['a hash label of its own', [rs('web-old', tmpl({ app: 'web', 'pod-template-hash': 'a' }, 'nginx:1.26')), rs('web-7d9f8', tmpl({ app: 'web', 'pod-template-hash': '7d9f8' }))], 'web-7d9f8'],
    ['kubectl\'s null creationTimestamp', [rs('web-1', tmpl({ app: 'web', 'pod-template-hash': '1' }, 'nginx:1.27', { creationTimestamp: null }))], 'web-1'],
    ['the oldest of two equal ones', [rs('web-1', tmpl({ app: 'web', 'pod-template-hash': '1' })), rs('web-2', tmpl({ app: 'web', 'pod-template-hash': '2' }))], 'web-1'],
    ['another image', [rs('web-1', tmpl({ app: 'web', 'pod-template-hash': '1' }, 'nginx:1.26'))], undefined],
    ['another label', [rs('web-1', tmpl({ app: 'web', tier: 'x', 'pod-template-hash': '1' }))], undefined],
    // The rest of the metadata counts too (EqualIgnoreHash is a DeepEqual of the whole template).
    ['an annotation', [rs('web-1', tmpl({ app: 'web', 'pod-template-hash': '1' }, 'nginx:1.27', { annotations: { note: 'x' } }))], undefined],
    // ksim's own annotation (which workload entry the pods count to) is no part of the template.
    ['another ksim.io/workload', [rs('web-1', tmpl({ app: 'web', 'pod-template-hash': '1' }, 'nginx:1.27', { annotations: { 'ksim.io/workload': 'first' } }))], 'web-1'],
    ['a creationTimestamp that is set', [rs('web-1', tmpl({ app: 'web', 'pod-template-hash': '1' }, 'nginx:1.27', { creationTimestamp: '2026-01-01T00:00:00Z' }))], undefined],
    // Upstream compares stored templates, defaulted by the API server: a dump's ReplicaSet shows
    // the defaults the Deployment as written leaves out (api/template-defaults.ts).
    ['the API server\'s defaults written out', [rs('web-1', { metadata: { labels: { app: 'web', 'pod-template-hash': '1' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 } })], 'web-1'],
    ['a default overridden', [rs('web-1', { metadata: { labels: { app: 'web', 'pod-template-hash': '1' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], terminationGracePeriodSeconds: 60 } })], undefined],
  ];
  for (const [name, rss, want] of cases) assert.equal(findNewReplicaSet(rss, tmpl({ app: 'web' }))?.metadata.name, want, name);
});

// ---- One sync step from a given state (upstream pkg/controller/deployment/rolling_test.go).

interface RsCase {
  readonly replicas: number;
  /** Running (available) pods. */
  readonly ready: number;
  /** Pending pods (default: the rest of `replicas`). */
  readonly pending?: number;
}

/** A Deployment `foo` (template image v2) with an old ReplicaSet (image v1) and, when given, its
 * new one, committed as the start state with their pods; returns every ReplicaSet's replicas
 * after the controller's first sync (its writes committed, before it acts again). */
function firstStep(c: StartCase & { untilUs?: number; writes?: number[] }): Record<string, number> {
  const { sim, api, replicaSets } = startWith(c);
  sim.run(c.untilUs ?? 1000);
  c.writes?.push(api.writes);
  return replicaSets();
}

interface StartCase {
  replicas: number;
  maxSurge: number | string;
  maxUnavailable: number | string;
  old?: RsCase;
  older?: RsCase;
  new?: RsCase;
  recreate?: boolean;
  /** The new ReplicaSet's Running pods are on node n2, NotReady (its kubelet stopped posting). */
  newOnNotReadyNode?: boolean;
}

/** The start state of firstStep committed (the controller's first sync done, its writes not
 * yet committed), for tests that act on it afterwards. */
function startWith(c: StartCase) {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const objectApi = new ObjectApi(api);
  new DeploymentController(api, objectApi);
  const template = (image: string, hash?: string): PodTemplateSpec => ({ metadata: { labels: { app: 'foo', ...(hash === undefined ? {} : { 'pod-template-hash': hash }) } }, spec: { containers: [{ name: 'c', image }] } });
  const objects: WorkloadObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', namespace: '' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'foo', namespace: 'default' },
      spec: { replicas: c.replicas, selector: { matchLabels: { app: 'foo' } }, strategy: c.recreate === true ? { type: 'Recreate' } : { rollingUpdate: { maxSurge: c.maxSurge, maxUnavailable: c.maxUnavailable } }, template: template('v2') },
    },
  ];
  const pods: Pod[] = [];
  const addRs = (name: string, image: string, rs: RsCase, node = 'n1') => {
    objects.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'foo', uid: 'foo', controller: true }] }, spec: { replicas: rs.replicas, selector: { matchLabels: { app: 'foo', 'pod-template-hash': name } }, template: template(image, name) } });
    for (let i = 0; i < rs.ready + (rs.pending ?? rs.replicas - rs.ready); i++) {
      const p = makePod(`${name}-${i}`).owner('ReplicaSet', name).label('app', 'foo');
      pods.push((i < rs.ready ? p.node(node) : p).obj());
    }
  };
  // In creation order: the older first.
  if (c.older !== undefined) addRs('foo-older', 'v0', c.older);
  if (c.old !== undefined) addRs('foo-old', 'v1', c.old);
  if (c.new !== undefined) addRs('foo-new', 'v2', c.new, c.newOnNotReadyNode === true ? 'n2' : 'n1');
  const n2 = makeNode('n2').capacity({ cpu: '100', memory: '100Gi', pods: 200 }).with((n) => void (n.status!.conditions = [{ type: 'Ready', status: 'Unknown' }])).obj();
  assert.deepEqual(api.commitStartState({ nodes: [{ node: makeNode('n1').capacity({ cpu: '100', memory: '100Gi', pods: 200 }).obj(), pool: 'p' }, { node: n2, pool: 'p' }], objects, pods }), []);
  /** Every ReplicaSet's replicas (one the controller made is `created`). */
  const replicaSets = () => {
    const out: Record<string, number> = {};
    for (const o of cluster.objectsOfKind('ReplicaSet')) out[o.metadata.name.startsWith('foo-old') || o.metadata.name === 'foo-new' ? o.metadata.name : 'created'] = o.spec?.replicas ?? 1;
    return out;
  };
  /** The live pods of a ReplicaSet. */
  const podsOf = (rs: string) => [...cluster.pods.values()].filter((p) => p.ownerName === rs && !p.deleted);
  return { sim, cluster, api, objects: objectApi, replicaSets, podsOf };
}

test('reconcileNewReplicaSet: the new ReplicaSet grows to replicas + maxSurge minus all replicas, and shrinks to replicas (upstream TestDeploymentController_reconcileNewReplicaSet)', () => {
  // maxUnavailable 0 there: with maxSurge 0 it becomes 1 (resolveFenceposts), and the old RS
  // then loses one replica in the same sync (reconcileOldReplicaSets).
  const cases: [string, number, RsCase, RsCase, Record<string, number>][] = [
    ['maxSurge 0: no scale up', 0, { replicas: 10, ready: 10 }, { replicas: 0, ready: 0 }, { 'foo-old': 9, 'foo-new': 0 }],
    ['maxSurge 2, old at 10: new to 2', 2, { replicas: 10, ready: 10 }, { replicas: 0, ready: 0 }, { 'foo-old': 10, 'foo-new': 2 }],
    ['maxSurge 2, old at 5: new to 7', 2, { replicas: 5, ready: 5 }, { replicas: 0, ready: 0 }, { 'foo-old': 5, 'foo-new': 7 }],
    ['maxSurge 2, old at 10, new at 2: no scale up (and none down: the new pods are not available)', 2, { replicas: 10, ready: 10 }, { replicas: 2, ready: 0 }, { 'foo-old': 10, 'foo-new': 2 }],
    ['new above replicas: down to 10', 2, { replicas: 2, ready: 2 }, { replicas: 11, ready: 11 }, { 'foo-old': 2, 'foo-new': 10 }],
  ];
  for (const [name, maxSurge, old, nu, want] of cases) assert.deepEqual(firstStep({ replicas: 10, maxSurge, maxUnavailable: 0, old, new: nu }), want, name);
});

test('reconcileOldReplicaSets: unavailable old replicas go first, then available ones down to replicas - maxUnavailable (upstream TestDeploymentController_reconcileOldReplicaSets, cleanupUnhealthyReplicas)', () => {
  const cases: [string, number, RsCase, RsCase, number][] = [
    ['maxUnavailable 0 (1 with maxSurge 0), all ready: one goes', 0, { replicas: 10, ready: 10 }, { replicas: 0, ready: 0 }, 9],
    ['maxUnavailable 2, all ready: two go', 2, { replicas: 10, ready: 10 }, { replicas: 0, ready: 0 }, 8],
    ['the 2 unhealthy old replicas are cleaned up', 2, { replicas: 10, ready: 8 }, { replicas: 0, ready: 0 }, 8],
    ['1 unhealthy cleaned up, then 1 ready scaled down', 2, { replicas: 10, ready: 9 }, { replicas: 0, ready: 0 }, 8],
    ['unavailable new pods stop the scale down', 2, { replicas: 8, ready: 8 }, { replicas: 2, ready: 0 }, 8],
    // Worked by hand: maxScaledDown = 10 - 8 - 2 = 0, so the 2 unhealthy old replicas stay too.
    ['unavailable new pods also stop the cleanup of unhealthy old ones', 2, { replicas: 8, ready: 6 }, { replicas: 2, ready: 0 }, 8],
    // maxScaledDown = 10 - 7 - 0 = 3 caps the cleanup of 4 unhealthy; then available 6 - 7 < 0: no more.
    ['the cleanup is capped by maxScaledDown', 3, { replicas: 10, ready: 6 }, { replicas: 0, ready: 0 }, 7],
    // maxScaledDown = 12 - 8 - 0 = 4 > 1 unhealthy: cleanup 1 (old to 9); available 9 + 2 - 8 = 3 more: old to 6.
    ['available new pods count towards the minimum', 2, { replicas: 10, ready: 9 }, { replicas: 2, ready: 2 }, 6],
  ];
  for (const [name, maxUnavailable, old, nu, want] of cases) {
    assert.equal(firstStep({ replicas: 10, maxSurge: 0, maxUnavailable, old, new: nu })['foo-old'], want, name);
  }
});

test('new pods on a NotReady node are not available (upstream MarkPodsNotReady): they do not let the old ReplicaSet scale down', () => {
  // maxScaledDown = 10 - 8 - 2 unavailable new = 0: the old ReplicaSet stays at 8. Counted as
  // available, the 2 new pods let it go to 6 (8 + 2 - 8 = 2 more), leaving 6 pods that serve.
  assert.deepEqual(firstStep({ replicas: 10, maxSurge: 0, maxUnavailable: 2, old: { replicas: 8, ready: 8 }, new: { replicas: 2, ready: 2 }, newOnNotReadyNode: true }), { 'foo-old': 8, 'foo-new': 2 });
  assert.deepEqual(firstStep({ replicas: 10, maxSurge: 0, maxUnavailable: 2, old: { replicas: 8, ready: 8 }, new: { replicas: 2, ready: 2 } }), { 'foo-old': 6, 'foo-new': 2 });
});

test('a Deployment with no new ReplicaSet creates it at replicas + maxSurge minus the old replicas; Recreate first scales the old one to 0', () => {
  assert.deepEqual(firstStep({ replicas: 10, maxSurge: 3, maxUnavailable: 0, old: { replicas: 8, ready: 8 } }), { 'foo-old': 8, created: 5 });
  assert.deepEqual(firstStep({ replicas: 10, maxSurge: 3, maxUnavailable: 0, old: { replicas: 14, ready: 14 } }), { 'foo-old': 14, created: 0 });
  assert.deepEqual(firstStep({ replicas: 4, maxSurge: 0, maxUnavailable: 1 }), { created: 4 });
  assert.deepEqual(firstStep({ replicas: 4, maxSurge: 0, maxUnavailable: 1, recreate: true, old: { replicas: 3, ready: 3 } }), { 'foo-old': 0 });
  // Even with no old pod to wait for, the new ReplicaSet comes in a later sync than the scale down.
  assert.deepEqual(firstStep({ replicas: 4, maxSurge: 0, maxUnavailable: 1, recreate: true, old: { replicas: 3, ready: 0, pending: 0 } }), { 'foo-old': 0 });
  assert.deepEqual(firstStep({ replicas: 4, maxSurge: 0, maxUnavailable: 1, recreate: true, new: { replicas: 2, ready: 2 } }), { 'foo-new': 4 });
});

test('with two old ReplicaSets, the older loses its unavailable replicas first, then its available ones (worked by hand from upstream reconcileOldReplicaSets)', () => {
  const cases: [string, number, RsCase, RsCase, Record<string, number>][] = [
    // maxScaledDown = 10 - 8 - 0 = 2: the older has no unhealthy replica, the old loses its 2.
    ['the unhealthy ones of the younger', 2, { replicas: 6, ready: 6 }, { replicas: 4, ready: 2 }, { 'foo-older': 6, 'foo-old': 2 }],
    // maxScaledDown 2: older loses its 1 unhealthy, old 1 of its 2; available 5 + 2 < 8: no more.
    ['the cleanup shares maxScaledDown, oldest first', 2, { replicas: 6, ready: 5 }, { replicas: 4, ready: 2 }, { 'foo-older': 5, 'foo-old': 3 }],
    // minAvailable 6, 10 available: 4 go, the older's 2 first, then 2 of the old's 8.
    ['the scale down goes oldest first', 4, { replicas: 2, ready: 2 }, { replicas: 8, ready: 8 }, { 'foo-older': 0, 'foo-old': 6 }],
  ];
  for (const [name, maxUnavailable, older, old, want] of cases) {
    assert.deepEqual(firstStep({ replicas: 10, maxSurge: 0, maxUnavailable, older, old, new: { replicas: 0, ready: 0 } }), { ...want, 'foo-new': 0 }, name);
  }
});

test('an old ReplicaSet with more available pods than replicas has nothing to clean up and is never scaled up (upstream cleanupUnhealthyReplicas refuses a negative scale down)', () => {
  // replicas 8, maxUnavailable 2: maxScaledDown = 8 - 6 - 0 = 2. The older (2 replicas, 4
  // Running) is skipped; the old one loses 2 of its 3 unavailable replicas (to 4); then
  // available min(4, 2) + min(3, 4) = 5 < 6: nothing more.
  assert.deepEqual(
    firstStep({ replicas: 8, maxSurge: 0, maxUnavailable: 2, older: { replicas: 2, ready: 4, pending: 0 }, old: { replicas: 6, ready: 3 }, new: { replicas: 0, ready: 0 } }),
    { 'foo-older': 2, 'foo-old': 4, 'foo-new': 0 },
  );
});

test('each write of the controller makes it sync again when it commits: with no pod ever changing, a rollout goes as far as availability allows, then stops writing', () => {
  // replicas 4, maxSurge 1, maxUnavailable 1, 4 old pods Running, none of the new ever starts
  // (no scheduler): new RS created at 1; old to 3 (4 available - 3); then 3 old + 1 new unavailable
  // leave nothing to scale (maxScaledDown = 4 - 3 - 1 = 0).
  const writes: number[] = [];
  assert.deepEqual(firstStep({ replicas: 4, maxSurge: 1, maxUnavailable: 1, old: { replicas: 4, ready: 4 }, untilUs: 1_000_000, writes }), { 'foo-old': 3, created: 1 });
  assert.deepEqual(writes, [2]);
  // Recreate with its new ReplicaSet at replicas: nothing to do, no write.
  assert.deepEqual(firstStep({ replicas: 2, maxSurge: 0, maxUnavailable: 1, recreate: true, new: { replicas: 2, ready: 2 }, untilUs: 1_000_000, writes }), { 'foo-new': 2 });
  assert.deepEqual(writes, [2, 0]);
});

test('the new ReplicaSet selects the Deployment\'s labels plus its pod-template-hash', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new DeploymentController(api, new ObjectApi(api));
  api.createObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'foo', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: 'foo' } }, template: { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } } } });
  sim.run(10_000);
  const [rs] = cluster.objectsOfKind('ReplicaSet');
  const hash = rs?.metadata.labels?.['pod-template-hash'] ?? '';
  assert.ok(hash.length > 0);
  assert.deepEqual(rs?.spec?.selector, { matchLabels: { app: 'foo', 'pod-template-hash': hash } });
  assert.deepEqual(rs?.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'foo', controller: true, blockOwnerDeletion: true }]);
});

test('Recreate waits for Terminating old pods to be gone before making the new ReplicaSet', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new DeploymentController(api, new ObjectApi(api));
  const d = (image: string): WorkloadObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'foo', namespace: 'default' }, spec: { replicas: 2, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'foo' } }, template: { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image }] } } } });
  const old: WorkloadObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'foo-old', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'foo', uid: 'foo', controller: true }] }, spec: { replicas: 0, selector: { matchLabels: { app: 'foo' } }, template: { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } } } };
  const pods = ['a', 'b'].map((n) => makePod(`foo-old-${n}`).owner('ReplicaSet', 'foo-old').label('app', 'foo').node('n1').obj());
  api.commitStartState({ nodes: [{ node: makeNode('n1').capacity({ cpu: '8', pods: 10 }).obj(), pool: 'p' }], objects: [d('v2'), old], pods });
  for (const p of [...cluster.pods.values()]) api.deletePod(p, 'by hand'); // Terminating: no kubelet ends them
  sim.run(100_000);
  assert.deepEqual(cluster.objectsOfKind('ReplicaSet').map((o) => o.metadata.name), ['foo-old']);
  for (const p of [...cluster.pods.values()]) api.deletePod(p, 'gone', true);
  sim.run(200_000);
  assert.equal(cluster.objectsOfKind('ReplicaSet').length, 2);
});

test('a ReplicaSet no Deployment owns is none of the Deployment controller\'s business', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const objects = new ObjectApi(api);
  new DeploymentController(api, objects);
  const rs = (replicas: number): WorkloadObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'alone', namespace: 'default' }, spec: { replicas, selector: { matchLabels: { app: 'x' } } } });
  api.createObject(rs(1));
  sim.run(10_000);
  objects.updateObject(rs(2));
  sim.run(20_000);
  assert.equal(api.writes, 2);
  assert.equal(cluster.objectsOfKind('ReplicaSet')[0]?.spec?.replicas, 2);
});

// ---- Watch events that must make the controller act (upstream deployment_controller.go
// updateReplicaSet / deleteReplicaSet / deleteDeployment handlers, and the syncs they lead to).

test('a ReplicaSet of a settled Deployment scaled by someone else is scaled back to the Deployment\'s replicas', () => {
  const h = startWith({ replicas: 3, maxSurge: 1, maxUnavailable: 0, new: { replicas: 3, ready: 3 } });
  h.sim.run(10_000);
  const rs = h.cluster.objectsOfKind('ReplicaSet')[0] as ObjectOf<'ReplicaSet'>;
  h.objects.updateObject({ ...rs, spec: { ...rs.spec, replicas: 5 } });
  h.sim.run(20_000); // the update commits at 11 ms, the controller's scale back at 12 ms
  assert.deepEqual(h.replicaSets(), { 'foo-new': 3 });
  assert.equal(h.api.writes, 2);
});

test('a deleted new ReplicaSet is made again, at the Deployment\'s replicas', () => {
  const h = startWith({ replicas: 3, maxSurge: 1, maxUnavailable: 0, new: { replicas: 3, ready: 3 } });
  h.sim.run(10_000);
  h.objects.deleteObject('ReplicaSet', 'default', 'foo-new');
  h.sim.run(20_000);
  // Its pods are the garbage collector's (none runs here): the new ReplicaSet starts at
  // replicas + maxSurge - 0 replicas of the others, capped at replicas.
  assert.deepEqual(h.replicaSets(), { created: 3 });
});

test('pods of a deleted Deployment\'s ReplicaSet that change are ignored', () => {
  const h = startWith({ replicas: 2, maxSurge: 1, maxUnavailable: 0, new: { replicas: 2, ready: 2 } });
  h.sim.run(10_000);
  h.objects.deleteObject('Deployment', 'default', 'foo');
  h.sim.run(20_000);
  for (const p of h.podsOf('foo-new')) h.api.setPodPhase(p, 'Succeeded');
  h.sim.run(30_000);
  assert.deepEqual(h.replicaSets(), { 'foo-new': 2 });
  assert.equal(h.api.writes, 3);
});

test('Terminating pods of an old ReplicaSet do not hold back the new one: once they terminate, it grows to replicas', () => {
  // replicas 4, maxSurge 1: the old ReplicaSet is at 0 with its 4 pods still Running (their
  // deletion not sent yet), so the first sync takes the new one to 4 + 1 - 4 = 1. Then the 4
  // pods become Terminating: they no longer count (upstream FilterActivePods), and the next
  // sync takes the new one to 4.
  const h = startWith({ replicas: 4, maxSurge: 1, maxUnavailable: 0, old: { replicas: 0, ready: 4, pending: 0 }, new: { replicas: 0, ready: 0 } });
  for (const p of h.podsOf('foo-old')) h.api.deletePod(p, 'scaled down');
  h.sim.run(900);
  assert.deepEqual(h.replicaSets(), { 'foo-old': 0, 'foo-new': 0 });
  h.sim.run(10_000);
  assert.ok(h.podsOf('foo-old').every((p) => p.terminating));
  assert.deepEqual(h.replicaSets(), { 'foo-old': 0, 'foo-new': 4 });
});

test('a new ReplicaSet below replicas whose surplus pods were still there grows once they are deleted', () => {
  // replicas 4, maxSurge 1: the new ReplicaSet is at 2 with 6 pods (a scale down not carried out
  // yet), 6 > 4 + 1, so it does not grow; the deletion of 4 of them lets it grow to 4.
  const h = startWith({ replicas: 4, maxSurge: 1, maxUnavailable: 0, new: { replicas: 2, ready: 6, pending: 0 } });
  h.sim.run(10_000);
  assert.deepEqual(h.replicaSets(), { 'foo-new': 2 });
  for (const p of h.podsOf('foo-new').slice(0, 4)) h.api.deletePod(p, 'scaled down', true);
  h.sim.run(20_000);
  assert.deepEqual(h.replicaSets(), { 'foo-new': 4 });
});

test('available pods of an old ReplicaSet beyond its replicas (a scale down not carried out yet) do not count as available', () => {
  // replicas 10, maxUnavailable 2: old at 8 with 10 Running pods, new at 2 with 2 Running.
  // Available: 2 + min(10, 8) = 10, so 10 - 8 = 2 old replicas go (to 6), not 4.
  assert.deepEqual(firstStep({ replicas: 10, maxSurge: 0, maxUnavailable: 2, old: { replicas: 8, ready: 10, pending: 0 }, new: { replicas: 2, ready: 2 } }), { 'foo-old': 6, 'foo-new': 2 });
});

test('Recreate: the commit of the old ReplicaSet\'s scale down makes the controller sync again and create the new one', () => {
  // No pod ever changes here: only the write's own commit can lead to the second step.
  assert.deepEqual(firstStep({ replicas: 4, maxSurge: 0, maxUnavailable: 1, recreate: true, old: { replicas: 3, ready: 0, pending: 0 }, untilUs: 1_000_000 }), { 'foo-old': 0, created: 4 });
});

test('a Deployment deleted while its ReplicaSet\'s create is in flight: the create\'s commit finds no Deployment and nothing more is written', () => {
  // Upstream syncDeployment: a Deployment not found "has been deleted", nothing to do. The
  // Deployment commits at 1 ms and its sync sends the ReplicaSet's create (committing at 2 ms);
  // the deletion sent at 0.5 ms commits at 1.5 ms, before it.
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new DeploymentController(api, new ObjectApi(api));
  api.createObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'foo', namespace: 'default' }, spec: { replicas: 2, selector: { matchLabels: { app: 'foo' } }, template: { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } } } });
  sim.run(500);
  api.deleteObject('Deployment', 'default', 'foo');
  sim.run(100_000);
  assert.equal(cluster.objectsOfKind('Deployment').length, 0);
  assert.deepEqual(cluster.objectsOfKind('ReplicaSet').map((o) => o.spec?.replicas), [2]);
  assert.equal(api.writes, 3);
});

test('the new ReplicaSet keeps the matchExpressions of the Deployment\'s selector (upstream CloneSelectorAndAddLabel)', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new DeploymentController(api, new ObjectApi(api));
  const matchExpressions = [{ key: 'tier', operator: 'In', values: ['web', 'edge'] }];
  api.createObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'foo', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: 'foo' }, matchExpressions }, template: { metadata: { labels: { app: 'foo', tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } } } });
  sim.run(10_000);
  const [rs] = cluster.objectsOfKind('ReplicaSet');
  const hash = rs?.metadata.labels?.['pod-template-hash'] ?? '';
  assert.deepEqual(rs?.spec?.selector, { matchLabels: { app: 'foo', 'pod-template-hash': hash }, matchExpressions });
});

test('a pod change heard while the controller\'s scale is in flight does not make it send the scale again', () => {
  // Settled at 3; the Deployment is scaled to 5 (committing at 11 ms, the ReplicaSet's scale sent
  // then, committing at 12 ms); a pod fails at 11.5 ms, while that scale is in flight.
  const h = startWith({ replicas: 3, maxSurge: 1, maxUnavailable: 0, new: { replicas: 3, ready: 3 } });
  h.sim.run(10_000);
  const d = h.cluster.objectsOfKind('Deployment')[0] as ObjectOf<'Deployment'>;
  h.objects.updateObject({ ...d, spec: { ...d.spec, replicas: 5 } });
  h.sim.run(10_500);
  h.api.setPodPhase(h.podsOf('foo-new')[0]!, 'Failed');
  h.sim.run(20_000);
  assert.deepEqual(h.replicaSets(), { 'foo-new': 5 });
  assert.equal(h.api.writes, 3, 'the Deployment update, the pod phase and one scale');
});

/** web with an optional nodeSelector (a label no node has keeps the new pods Pending). */
function deploymentOn(opts: { replicas: number; image: string; strategy: string; paused?: boolean; nodeSelector?: string }): string {
  const selector = opts.nodeSelector === undefined ? '' : `nodeSelector: { ${opts.nodeSelector} }, `;
  return `{ apiVersion: apps/v1, kind: Deployment, metadata: { name: web }, spec: { replicas: ${opts.replicas}, ${opts.paused === true ? 'paused: true, ' : ''}${opts.strategy} selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { ${selector}containers: [{ name: c, image: ${opts.image}, resources: { requests: { cpu: 100m } } }] } } } }`;
}

/** ReplicaSet sizes by the image of their template. */
function sizesByImage(run: ReturnType<typeof prepareRun>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of run.cluster.objectsOfKind('ReplicaSet')) out[o.spec?.template?.spec?.containers[0]?.image ?? ''] = o.spec?.replicas ?? 1;
  return out;
}

test('scaled in mid-rollout, a Deployment shares the new replicas among its ReplicaSets in proportion (upstream docs: 10 → 15 with maxSurge 3, maxUnavailable 2 gives the old 3 and the new 2)', () => {
  // The docs' example: a rollout to an image that never becomes available stops at 8 old and
  // 5 new; scaling to 15 adds 3 to the old ReplicaSet (8 → 11) and 2 to the new one (5 → 7).
  const strategy = 'strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } },';
  const stuck = { image: 'v2', strategy, nodeSelector: 'disk: none' };
  const run = prepareRun(parseScenario(scenario([
    `name: web\n    manifest: ${deploymentOn({ replicas: 10, image: 'v1', strategy })}`,
    `name: web-v2\n    at: 1m\n    manifest: ${deploymentOn({ replicas: 10, ...stuck })}`,
    `name: web-15\n    at: 2m\n    manifest: ${deploymentOn({ replicas: 15, ...stuck })}`,
  ], '3m'), 'proportional.yaml'));
  run.sim.run(110_000_000);
  assert.deepEqual(sizesByImage(run), { v1: 8, v2: 5 }, 'the rollout is stuck');
  run.sim.run(run.endUs);
  // Before: the rolling steps gave all 5 to the new ReplicaSet (v2: 10).
  assert.deepEqual(sizesByImage(run), { v1: 11, v2: 7 });
  const rs = run.cluster.objectsOfKind('ReplicaSet').find((o) => o.spec?.template?.spec?.containers[0]?.image === 'v1');
  assert.deepEqual([rs?.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], rs?.metadata.annotations?.['deployment.kubernetes.io/max-replicas']], ['15', '18']);
});

test('a paused Deployment rolls nothing out (no new ReplicaSet for a new template) but is still scaled', () => {
  const strategy = 'strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } },';
  const run = prepareRun(parseScenario(scenario([
    `name: web\n    manifest: ${deploymentOn({ replicas: 4, image: 'v1', strategy })}`,
    `name: web-v2\n    at: 1m\n    manifest: ${deploymentOn({ replicas: 6, image: 'v2', strategy, paused: true })}`,
  ], '3m'), 'paused.yaml'));
  run.sim.run(run.endUs);
  assert.deepEqual(sizesByImage(run), { v1: 6 });
  const pods = [...run.cluster.pods.values()].filter((p) => !p.deleted && !p.terminal);
  assert.deepEqual([pods.length, pods.every((p) => p.pod.spec?.containers[0]?.image === 'v1')], [6, true]);
});

test('scaleTargets: upstream TestScale\'s cases (pkg/controller/deployment/sync_test.go): the sizes a scaling event gives each ReplicaSet', () => {
  // newDeployment there: RollingUpdate, maxSurge 0 unless given; each ReplicaSet annotated with
  // the old Deployment's replicas (desired) and replicas + maxSurge (max). Sizes oldest first.
  const cases: { name: string; from: number; to: number; surgeFrom?: number; surgeTo?: number; sizes: number[]; hasNew?: boolean; want: number[]; available?: number }[] = [
    { name: 'normal scaling event: 10 -> 12', from: 10, to: 12, sizes: [10], want: [12] },
    { name: 'normal scaling event: 10 -> 5', from: 10, to: 5, sizes: [10], want: [5] },
    { name: 'proportional scaling: 5 -> 10', from: 5, to: 10, sizes: [3, 2], want: [6, 4] },
    { name: 'proportional scaling: 5 -> 3', from: 5, to: 3, sizes: [3, 2], want: [2, 1] },
    { name: 'proportional scaling: 9 -> 4', from: 9, to: 4, sizes: [1, 8], want: [0, 4] },
    { name: 'proportional scaling: 7 -> 10', from: 7, to: 10, sizes: [2, 3, 2], want: [3, 4, 3] },
    { name: 'proportional scaling: 13 -> 8', from: 13, to: 8, sizes: [3, 8, 2], want: [2, 5, 1] },
    { name: 'leftover distribution: 3 -> 4', from: 3, to: 4, sizes: [1, 1, 1], want: [1, 1, 2] },
    { name: 'leftover distribution: 3 -> 2', from: 3, to: 2, sizes: [1, 1, 1], want: [0, 1, 1] },
    { name: 'proportional scaling (no new rs): 4 -> 5', from: 4, to: 5, sizes: [2, 2], hasNew: false, want: [2, 3] },
    { name: 'proportional scaling: 6 -> 0', from: 6, to: 0, sizes: [1, 2, 3], want: [0, 0, 0] },
    { name: 'proportional scaling: 0 -> 6', from: 6, to: 6, sizes: [0, 0, 0], want: [0, 0, 6] },
    { name: 'deployment with surge pods', from: 10, to: 20, surgeFrom: 2, surgeTo: 2, sizes: [6, 6], want: [11, 11] },
    { name: 'change both surge and size', from: 10, to: 50, surgeFrom: 3, surgeTo: 6, sizes: [8, 5], want: [34, 22] },
    { name: 'change both size and template', from: 10, to: 14, sizes: [3, 7], hasNew: false, want: [4, 10] },
    { name: 'saturated but broken new replica set does not affect old pods', from: 2, to: 2, surgeFrom: 1, surgeTo: 1, sizes: [1, 2], available: 0, want: [1, 2] },
  ];
  for (const c of cases) {
    const strategy = (surge: number) => ({ type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: 0 } });
    const all = c.sizes.map((n, i): ObjectOf<'ReplicaSet'> => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `foo-v${i + 1}`, namespace: 'default', annotations: { 'deployment.kubernetes.io/desired-replicas': String(c.from), 'deployment.kubernetes.io/max-replicas': String(c.from + (c.surgeFrom ?? 0)) } },
      spec: { replicas: n },
    }));
    const newRS = c.hasNew === false ? undefined : all[all.length - 1];
    const writes = scaleTargets({ replicas: c.to, strategy: strategy(c.surgeTo ?? 0) }, all, newRS, (rs) => c.available ?? rs.spec?.replicas ?? 0, c.sizes.reduce((a, b) => a + b, 0));
    const got = all.map((rs) => writes.find(([w]) => w === rs)?.[1] ?? rs.spec?.replicas);
    assert.deepEqual(got, c.want, c.name);
  }
});

test('re-applying a snapshot\'s Deployment with other replicas, written without the defaults its dump shows, scales its ReplicaSet: no rollout', () => {
  const dir = tempDir('ksim-deploy-reapply-');
  const template = (hash: string | null) => ({
    metadata: { creationTimestamp: null, labels: { app: 'web', ...(hash === null ? {} : { 'pod-template-hash': hash }) } },
    spec: {
      containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '200m', memory: '128Mi' } }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30,
    },
  });
  const owner = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true, blockOwnerDeletion: true }];
  const pod = (name: string) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'prod', labels: { app: 'web', 'pod-template-hash': '6d4cf56db6' }, ownerReferences: owner('ReplicaSet', 'web-6d4cf56db6'), managedFields: [{ manager: 'kube-controller-manager', operation: 'Update' }] },
    spec: { ...template('6d4cf56db6').spec, nodeName: 'n-0' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const dump = {
    apiVersion: 'v1', kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n-0', labels: { 'kubernetes.io/hostname': 'n-0' } }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod', uid: 'uid-web', generation: 1 }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template(null) }, status: { replicas: 2, readyReplicas: 2 } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-6d4cf56db6', namespace: 'prod', uid: 'uid-web-6d4cf56db6', labels: { app: 'web', 'pod-template-hash': '6d4cf56db6' }, ownerReferences: owner('Deployment', 'web') }, spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '6d4cf56db6' } }, template: template('6d4cf56db6') }, status: { replicas: 2 } },
      pod('web-6d4cf56db6-p0'),
      pod('web-6d4cf56db6-p1'),
    ],
  };
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify(dump));
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster: { file: cluster.json }
workload:
  - name: scale
    at: 1m
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web, namespace: prod }
      spec:
        replicas: 3
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: "nginx:1.27", resources: { requests: { cpu: 200m, memory: 128Mi } } }] }
`);
  const run = prepareRun(loadScenario(join(dir, 's.yaml')));
  run.sim.run(run.endUs);
  run.finish();
  assert.deepEqual(run.cluster.objectsOfKind('ReplicaSet').map((o) => [o.metadata.name, o.spec?.replicas]), [['web-6d4cf56db6', 3]]);
  const pods = [...run.cluster.pods.values()].map((p) => p.name).sort();
  assert.equal(pods.length, 3);
  assert.deepEqual(pods.slice(0, 2), ['web-6d4cf56db6-p0', 'web-6d4cf56db6-p1'], 'the snapshot pods stay');
  assert.match(pods[2]!, /^web-6d4cf56db6-[a-z0-9]{5}$/);
});

test('a rollback to one of a snapshot\'s old ReplicaSets (an entry re-applying its template) scales that ReplicaSet back up: no third ReplicaSet, and its pods are the snapshot\'s (no workload entry), as its template', () => {
  const dir = tempDir('ksim-deploy-rollback-');
  const template = (image: string, hash: string | null) => ({
    metadata: { creationTimestamp: null, labels: { app: 'web', ...(hash === null ? {} : { 'pod-template-hash': hash }) } },
    spec: {
      containers: [{ name: 'web', image, imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '200m' } }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30,
    },
  });
  const owner = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true, blockOwnerDeletion: true }];
  const rs = (name: string, image: string, replicas: number, created: string) => ({
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, namespace: 'prod', uid: `uid-${name}`, creationTimestamp: created, labels: { app: 'web', 'pod-template-hash': name.slice(4) }, ownerReferences: owner('Deployment', 'web'), annotations: { 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3' } },
    spec: { replicas, selector: { matchLabels: { app: 'web', 'pod-template-hash': name.slice(4) } }, template: template(image, name.slice(4)) },
    status: { replicas },
  });
  const pod = (name: string) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'prod', labels: { app: 'web', 'pod-template-hash': '222' }, ownerReferences: owner('ReplicaSet', 'web-222') },
    spec: { ...template('img:2', '222').spec, nodeName: 'n-0' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const dump = {
    apiVersion: 'v1', kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n-0', labels: { 'kubernetes.io/hostname': 'n-0' } }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod', uid: 'uid-web', generation: 2 }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('img:2', null), strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }, status: { replicas: 2, readyReplicas: 2 } },
      rs('web-111', 'img:1', 0, '2026-01-01T00:00:00Z'),
      rs('web-222', 'img:2', 2, '2026-01-02T00:00:00Z'),
      pod('web-222-p0'),
      pod('web-222-p1'),
    ],
  };
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify(dump));
  writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster: { file: cluster.json }
kubelet: { startupLatency: 2s }
workload:
  - name: back
    at: 1m
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web, namespace: prod }
      spec:
        replicas: 2
        selector: { matchLabels: { app: web } }
        strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: "img:1", resources: { requests: { cpu: 200m } } }] }
`);
  const run = prepareRun(loadScenario(join(dir, 's.yaml')));
  run.sim.run(run.endUs);
  const rows = run.finish().tables.find((t) => t.file === 'pods.csv')!.rows;
  assert.deepEqual(run.cluster.objectsOfKind('ReplicaSet').map((o) => [o.metadata.name, o.spec?.replicas]).sort(), [['web-111', 2], ['web-222', 0]]);
  const revived = rows.filter((r) => r['owner'] === 'web-111');
  assert.equal(revived.length, 2);
  assert.deepEqual(revived.map((r) => [r['workload'], Number(r['started_s']) > 60]), [['', true], ['', true]]);
  assert.deepEqual(rows.filter((r) => r['owner'] === 'web-222').map((r) => r['deleted_s'] !== ''), [true, true]);
});
