// Container failures (workload `failure:`): scenarios/jobs-with-failures.yaml end to end under
// the invariant checker, and the loader's positioned errors for the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InputError, loadScenario, parseScenario } from '../src/index.js';
import { prepareRun } from '../src/run/run-scenario.js';
import { RandomStreams } from '../src/engine/random.js';
import { REPO_ROOT } from '../src/testing/repo-paths.js';

const FILE = join(REPO_ROOT, 'scenarios/jobs-with-failures.yaml');

/** The outcome of each run end in a stream: F when the draw is below p (a failure). */
function draws(seed: number, entry: string, p: number, n: number): string {
  const r = new RandomStreams(seed).stream(`failures/${entry}`);
  let s = '';
  for (let i = 0; i < n; i++) s += r.next() < p ? 'F' : 's';
  return s;
}

test('the seeded failure streams of jobs-with-failures.yaml (seed 7)', () => {
  // These sequences explain the outcomes asserted below.
  assert.equal(draws(7, 'flaky', 0.8, 5), 'FsFsF');
  assert.equal(draws(7, 'render', 0.3, 10), 'sFsssssFss');
  assert.equal(draws(7, 'api', 0.5, 18), 'ssFsFFsFFFFsssFsss');
});

test('jobs-with-failures.yaml: render completes despite 2 failed pods, flaky fails with BackoffLimitExceeded, api restarts containers in place', () => {
  const s = loadScenario(FILE);
  assert.equal(s.seed, 7);
  const run = prepareRun(s, { checkInvariants: true });
  run.sim.run(run.endUs);
  const status = (name: string) => run.cluster.objects.get(`Job/default/${name}`)?.['status'] as { succeeded: number; failed: number; conditions: { type: string; reason: string }[] };
  // render: its 10 run ends draw sFsssssFss → 8 succeeded (completions 8), 2 failed ≤ backoffLimit 6.
  const render = status('render');
  assert.equal(render.succeeded, 8);
  assert.equal(render.failed, 2);
  assert.deepEqual(render.conditions.map((c) => [c.type, c.reason]), [['Complete', 'CompletionsReached']]);
  // flaky (one pod at a time): F s F s F → the third failure exceeds backoffLimit 2.
  const flaky = status('flaky');
  assert.equal(flaky.succeeded, 2);
  assert.equal(flaky.failed, 3);
  assert.deepEqual(flaky.conditions.map((c) => [c.type, c.reason]), [['Failed', 'BackoffLimitExceeded']]);
  const phases: Record<string, number> = {};
  for (const p of run.cluster.pods.values()) {
    const k = `${p.ownerKind === 'Job' ? p.ownerName : p.ownerKind}/${p.phase}`;
    phases[k] = (phases[k] ?? 0) + 1;
  }
  // api (restartPolicy Always): 18 run ends draw ssFsFFsFFFFsssFsss: 10 clean exits end their pod
  // (Succeeded, replaced by the ReplicaSet), 8 crashes restart the container in place; the 2
  // current pods are Running at the end. No api pod is ever Failed.
  assert.deepEqual(phases, { 'render/Succeeded': 8, 'render/Failed': 2, 'flaky/Succeeded': 2, 'flaky/Failed': 3, 'ReplicaSet/Succeeded': 10, 'ReplicaSet/Running': 2 });
  const r = run.finish();
  assert.equal(r.summary['container_restarts'], 8);
  assert.equal(r.summary['pods_submitted'], 27);
});

const BASE = `apiVersion: ksim/v1alpha1
kind: Scenario
cluster:
  nodePools: [{ name: p, count: 1, allocatable: { cpu: "4", memory: 8Gi } }]
workload:
  - name: w
`;
const POD = `    manifest: { apiVersion: v1, kind: Pod, metadata: { name: x }, spec: { containers: [{ name: c, image: i }] } }\n`;

function errorOf(text: string): string {
  try {
    parseScenario(text, 's.yaml');
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e.message;
  }
  assert.fail('expected an InputError');
}

test('failure: loaded as given, absent by default', () => {
  const s = parseScenario(`${BASE}    runDuration: 1m\n    failure: { probability: 0.25 }\n${POD}`, 's.yaml');
  assert.deepEqual(s.workload[0]?.failure, { probability: 0.25 });
  assert.equal(parseScenario(`${BASE}    runDuration: 1m\n${POD}`, 's.yaml').workload[0]?.failure, undefined);
});

test('failure: a probability above 1 is rejected at its position', () => {
  assert.match(errorOf(`${BASE}    runDuration: 1m\n    failure: { probability: 1.5 }\n${POD}`), /^s\.yaml:8:\d+: workload\[0\]\.failure\.probability: expected .*1/);
});

test('failure: without a runDuration is rejected (a container only fails when its run ends)', () => {
  assert.equal(errorOf(`${BASE}    failure: { probability: 0.5 }\n${POD}`), 's.yaml:7:14: workload[0].failure: expected a runDuration on the entry (a container can only fail when its run ends; with runDuration forever it never does)');
});

test('failure: an unknown field inside is rejected', () => {
  assert.match(errorOf(`${BASE}    runDuration: 1m\n    failure: { prob: 0.5 }\n${POD}`), /^s\.yaml:8:\d+: workload\[0\]\.failure/);
});

test('kubelet.imagePull: default 0s; at 20s each pod waits for the pulls its node lacks, serialized per node', () => {
  const base = loadScenario(FILE, { set: ['duration=10m'] });
  assert.deepEqual(base.imagePull, { kind: 'constant', value: 0 });
  const slow = loadScenario(FILE, { set: ['duration=10m', 'kubelet.imagePull=20s'] });
  assert.deepEqual(slow.imagePull, { kind: 'constant', value: 20_000_000 });
  const a = prepareRun(base, { checkInvariants: true });
  a.sim.run(a.endUs);
  const b = prepareRun(slow, { checkInvariants: true });
  b.sim.run(b.endUs);
  // The first five pods (same names, nodes and bind order in both runs): each waits for the
  // pulls its node does not have yet, serialized per node. render, flaky and the first api pod
  // (created in that order: etcd commits writes in the order they reach it) are the first pods of
  // their nodes (one 20 s pull each); render's second pod (its Job's second slow-start batch,
  // sent once the first create returned) lands on batch-0 behind flaky:1, and the second api pod
  // on batch-1 behind render:1, each then pulling its own: 40 s.
  // (Differences are rounded: the API's random latencies shift start times by microseconds.)
  const firstFive = (run: typeof a) => [...run.cluster.pods.values()].slice(0, 5).map((p) => ({ name: p.name, node: p.nodeName, startupUs: p.startedUs - p.boundUs }));
  const fa = firstFive(a);
  const fb = firstFive(b);
  assert.deepEqual(fb.map((p) => [p.name, p.node]), fa.map((p) => [p.name, p.node]));
  assert.deepEqual(fa.map((p) => p.node), ['batch-1', 'batch-0', 'batch-2', 'batch-0', 'batch-1']);
  assert.deepEqual(fb.map((p, i) => Math.round((p.startupUs - fa[i]!.startupUs) / 1_000_000)), [20, 20, 20, 40, 40]);
});

test('kubelet.imagePull: a bad distribution is rejected at its position', () => {
  assert.match(errorOf(`${BASE}${POD}kubelet:\n  imagePull: 3 apples\n`), /^s\.yaml:9:\d+: kubelet\.imagePull: expected /);
});

/** A scenario of OnFailure Jobs whose container always fails after 20 s (startup 1 s). */
function onFailureJobs(jobs: { name: string; backoffLimit: number; parallelism: number }[]): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 10m
kubelet: { startupLatency: 1s }
cluster:
  nodePools: [{ name: p, count: 2, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
${jobs.map((j) => `  - name: ${j.name}
    runDuration: 20s
    failure: { probability: 1 }
    manifest: { apiVersion: batch/v1, kind: Job, metadata: { name: ${j.name} }, spec: { backoffLimit: ${j.backoffLimit}, parallelism: ${j.parallelism}, template: { spec: { restartPolicy: OnFailure, containers: [{ name: c, image: i }] } } } }
`).join('')}`;
}

test('restartPolicy OnFailure: container restarts of the active pods, summed, fail the Job at backoffLimit (upstream pastBackoffLimitOnFailure)', () => {
  const run = prepareRun(parseScenario(onFailureJobs([
    { name: 'two', backoffLimit: 2, parallelism: 1 },
    { name: 'zero', backoffLimit: 0, parallelism: 1 },
    { name: 'sum', backoffLimit: 3, parallelism: 2 },
  ]), 's.yaml'), { checkInvariants: true });
  run.sim.run(run.endUs);
  const status = (name: string) => run.cluster.objects.get(`Job/default/${name}`)?.['status'] as { succeeded: number; failed: number; conditions: { type: string; reason: string; message: string; lastTransitionTime: string }[] };
  const failedAt = (name: string) => (Date.parse(status(name).conditions[0]?.lastTransitionTime ?? '') - Date.parse('2026-01-01T00:00:00Z')) / 1000;
  for (const name of ['two', 'zero', 'sum']) {
    assert.deepEqual(status(name).conditions.map((c) => [c.type, c.reason, c.message]), [['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit']], name);
  }
  // two: crashes at ~21 s (restarted at once: restartCount 1) and ~41 s (restarted after the 10 s
  // CrashLoopBackOff: 2 ≥ backoffLimit 2 at ~51 s); the Job fails one batch period (1 s) later.
  // Its one pod, deleted unfinished, counts in failed (upstream: every active pod of a failed Job).
  assert.equal(failedAt('two'), 52);
  assert.equal(status('two').failed, 1);
  // zero: backoffLimit 0 fails at the first restart (restartCount 1 > 0).
  assert.equal(failedAt('zero'), 22);
  assert.equal(status('zero').failed, 1);
  // sum: two pods restart at ~21 s (sum 2 < 3) and at ~51 s (sum 4 ≥ 3): the sum over pods
  // counts, though neither pod alone reached 3.
  assert.equal(failedAt('sum'), 52);
  assert.equal(status('sum').failed, 2);
  // The failed Jobs' pods were deleted (gone after their 30 s grace period): 2 + 1 + 2 × 2 restarts.
  assert.equal(run.cluster.pods.size, 0);
  const r = run.finish();
  assert.equal(r.summary['container_restarts'], 7);
});
