// The Deployment controller: rolling updates within maxSurge / maxUnavailable, Recreate,
// scaling, and how a scenario expresses an update (a later entry with the same Deployment).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadScenario, parseScenario } from '../workload/scenario.js';
import { prepareRun } from '../run/run-scenario.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { findNewReplicaSet, resolveFenceposts, scaledValue } from './deployment.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectOf } from '../cluster/workload-object.js';

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
  assert.equal(bad('strategy: { rollingUpdate: { maxUnavailable: "150%" } },'), 'workload[0].manifest.spec.strategy.rollingUpdate.maxUnavailable: expected a percentage no larger than 100%, got "150%"');
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
  ];
  for (const [name, rss, want] of cases) assert.equal(findNewReplicaSet(rss, tmpl({ app: 'web' }))?.metadata.name, want, name);
});
