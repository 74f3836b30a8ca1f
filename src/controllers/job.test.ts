// The Job controller: parallelism and completions, the work-queue form, failure backoff and
// backoffLimit, and the status it writes. Pod phases are driven through the API (no kubelet).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi } from '../controlplane/object-api.js';
import { makeNode } from '../testing/builders.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { JobController, jobBackoffUs, jobFinished } from './job.js';
import { prepareRun, runScenario } from '../run/run-scenario.js';
import { loadScenario, parseScenario } from '../workload/scenario.js';
import { createSends } from '../testing/create-sends.js';
import { tempDir } from '../testing/temp-dir.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const S = 1_000_000;

function harness() {
  const sim = new Simulation();
  const cluster = new ClusterState();
  cluster.addNode(makeNode('a').obj(), 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const jobs = new JobController(sim, api, new RandomStreams(1).stream('names'), new ObjectApi(api));
  const active = () => [...cluster.pods.values()].filter((p) => !p.terminal && !p.deleted).sort((a, b) => a.createdUs - b.createdUs || (a.key < b.key ? -1 : 1));
  const stored = () => cluster.objects.get('Job/default/work');
  const status = () => stored()?.['status'] as { succeeded: number; failed: number; conditions: { type: string; reason: string }[]; completionTime?: string } | undefined;
  return { sim, cluster, api, jobs, active, status };
}

function job(spec: Record<string, unknown>): WorkloadObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'work', namespace: 'default' },
    spec: { ...spec, template: { metadata: { labels: { app: 'work' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
  };
}

function finishAll(api: ApiServer, pods: PodInfo[], phase: 'Succeeded' | 'Failed'): void {
  for (const p of pods) api.setPodPhase(p, phase);
}

test('failure backoff: 10 s doubling per failure since the last success, capped at 10 minutes', () => {
  assert.deepEqual([0, 1, 2, 3, 6, 7, 20].map((n) => jobBackoffUs(n) / S), [0, 10, 20, 40, 320, 600, 600]);
});

test('completions 3, parallelism 2: two pods, then one more, then Complete with succeeded 3', () => {
  const h = harness();
  h.api.createObject(job({ completions: 3, parallelism: 2 }));
  h.sim.run(S);
  const first = h.active();
  assert.equal(first.length, 2);
  assert.match(first[0]!.name, /^work-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(first[0]!.labels['batch.kubernetes.io/job-name'], 'work');
  assert.equal(first[0]!.ownerKind, 'Job');
  finishAll(h.api, first, 'Succeeded');
  h.sim.run(2 * S);
  const second = h.active();
  assert.equal(second.length, 1, 'only completions − succeeded = 1 more pod');
  assert.equal(h.status(), undefined);
  finishAll(h.api, second, 'Succeeded');
  h.sim.run(3 * S);
  assert.equal(h.active().length, 0);
  assert.equal(h.cluster.podsCreated, 3);
  const st = h.status();
  assert.equal(st?.succeeded, 3);
  assert.equal(st?.failed, 0);
  assert.deepEqual(st?.conditions.map((c) => `${c.type}/${c.reason}`), ['Complete/CompletionsReached']);
  assert.equal(st?.completionTime, '2026-01-01T00:00:02Z');
});

test('work queue (completions unset, parallelism 3): after one success no new pod; Complete once all ended', () => {
  const h = harness();
  h.api.createObject(job({ parallelism: 3 }));
  h.sim.run(S);
  const pods = h.active();
  assert.equal(pods.length, 3);
  h.api.setPodPhase(pods[0]!, 'Succeeded');
  h.sim.run(2 * S);
  assert.equal(h.active().length, 2, 'the other two keep running, none is added');
  assert.equal(h.status(), undefined);
  // The other two commit Succeeded at 2.001 s; the sync their events queue comes 1 s later
  // (upstream syncJobBatchPeriod), at 3.001 s: Complete then.
  finishAll(h.api, pods.slice(1), 'Succeeded');
  h.sim.run(3 * S);
  assert.equal(h.status(), undefined, 'not before the batched sync at 3.001 s');
  h.sim.run(4 * S);
  assert.equal(h.cluster.podsCreated, 3);
  assert.equal(h.status()?.succeeded, 3);
  assert.equal(h.status()?.conditions[0]?.type, 'Complete');
});

test('failed pods are replaced after 10 s, 20 s, ... and the Job Fails when failures exceed backoffLimit', () => {
  const h = harness();
  h.api.createObject(job({ backoffLimit: 2 }));
  h.sim.run(S);
  const created: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [p] = h.active();
    assert.ok(p !== undefined, `pod ${i + 1} exists`);
    created.push(p.createdUs);
    h.api.setPodPhase(p, 'Failed'); // commits 1 ms later
    h.sim.run(h.sim.now + 100 * S);
  }
  // Each failure commits 1 ms after it is set (1.001 s, 101.001 s); the backoff counts from its
  // whole second (1 s, 101 s: metav1.Time has no fraction, upstream getFinishedTime), so the
  // next pod's create is sent at 11 s, then at 121 s, and commits 1 ms after that.
  assert.deepEqual(created.map((t) => t / S), [0.002, 11.001, 121.001]);
  assert.equal(h.active().length, 0);
  assert.equal(h.cluster.podsCreated, 3, 'no fourth pod: 3 failures > backoffLimit 2');
  const st = h.status();
  assert.equal(st?.failed, 3);
  assert.deepEqual(st?.conditions.map((c) => `${c.type}/${c.reason}`), ['Failed/BackoffLimitExceeded']);
  assert.equal(st?.completionTime, undefined);
});

test('a success resets the backoff; a pod deleted while running counts as a failure', () => {
  const h = harness();
  h.api.createObject(job({ completions: 3 }));
  h.sim.run(S);
  h.api.deletePod(h.active()[0]!, 'test');
  h.sim.run(5 * S);
  assert.equal(h.active().length, 0, 'waiting out the 10 s backoff');
  h.sim.run(20 * S);
  assert.equal(h.active().length, 1);
  // The success commits at 20.001 s; the sync its event queues runs 1 s later (upstream
  // syncJobBatchPeriod), at 21.001 s, and creates the next pod at once (it commits at 21.002 s),
  // not after the 20 s a second failure's backoff would be.
  h.api.setPodPhase(h.active()[0]!, 'Succeeded');
  h.sim.run(20 * S + 5000);
  assert.equal(h.active().length, 0, 'the batched sync is 1 s after the success');
  h.sim.run(21 * S + 5000);
  assert.equal(h.active().length, 1, 'after a success the next pod comes without backoff');
  assert.deepEqual(h.jobs.status('default', 'work'), { succeeded: 1, failed: 1, active: 1 });
});

test('the failure backoff compares finish times in whole seconds (upstream newBackoffRecord, getFinishedTime): failures in the second of a success are not counted; the delay counts from the failure\'s whole second', () => {
  // completions 4, parallelism 3: a, b, c commit at 2, 3, 4 ms (their adds' sync, at 1.002 s,
  // has nothing to do). a succeeds (committed 1.601 s), b and c fail (committed 1.901 s): one
  // sync (2.601 s, 1 s after a's event) sees all three; their finish times are all in second 1,
  // none of the failures is After the success, so nothing is held back: the three pods left go
  // out at that sync (slow start: 1 committed at 2.602 s, then 2 at 2.603 s), not 20 s after the failures (21.902 s,
  // when they were compared to the microsecond and counted 2 failures after the success).
  {
    const h = harness();
    h.api.createObject(job({ completions: 4, parallelism: 3 }));
    h.sim.run(1.6 * S);
    const [a, b, c] = h.active();
    h.api.setPodPhase(a!, 'Succeeded');
    h.sim.run(1.9 * S);
    finishAll(h.api, [b!, c!], 'Failed');
    h.sim.run(30 * S);
    assert.deepEqual(h.active().map((p) => p.createdUs / S), [2.602, 2.603, 2.603]);
    assert.deepEqual(h.jobs.status('default', 'work'), { succeeded: 1, failed: 2, active: 3 });
  }
  // a succeeds in second 1 (1.501 s), b fails in second 2 (2.201 s), one sync (2.501 s) sees
  // both: one failure after the success, 10 s from its whole second 2: the next pods' creates
  // are sent at 12 s (committed 12.001 s, 12.002 s), not at 12.201 s.
  {
    const h = harness();
    h.api.createObject(job({ completions: 3, parallelism: 2 }));
    h.sim.run(1.5 * S);
    const [a, b] = h.active();
    h.api.setPodPhase(a!, 'Succeeded');
    h.sim.run(2.2 * S);
    h.api.setPodPhase(b!, 'Failed');
    h.sim.run(11.9 * S);
    assert.equal(h.active().length, 0, 'held back by the 10 s backoff');
    h.sim.run(30 * S);
    assert.deepEqual(h.active().map((p) => p.createdUs / S), [12.001, 12.002]);
  }
});

test('an Indexed Job whose index 0 succeeds and indexes 1, 2 fail in the same second replaces them at the next sync, without backoff', () => {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 9
duration: 1h
cluster:
  nodePools: [{ name: batch, count: 2, allocatable: { cpu: "4", memory: 16Gi, pods: 110 } }]
kubelet:
  startupLatency: 1s
workload:
  - name: idx
    runDuration: 60s
    failure: { probability: 0.4 }
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: indexed-job }
      spec:
        completions: 5
        parallelism: 3
        completionMode: Indexed
        template: { spec: { restartPolicy: Never, containers: [{ name: worker, image: busybox }] } }
`;
  const rows = runScenario(parseScenario(text, 'c-indexed.yaml')).tables.find((t) => t.file === 'pods.csv')?.rows ?? [];
  const at = (prefix: string, i = 0) => rows.filter((x) => String(x['name']).startsWith(prefix)).map((x) => [Number(x['created_s']), Number(x['finished_s']), x['phase']] as const).sort((a, b) => a[0] - b[0])[i];
  // Index 0 succeeds at 61.014 s, indexes 1 and 2 fail at 61.024 s and 61.032 s: the sync 1 s
  // after the first of them (62.014 s) reads all three in second 61, no failure after the
  // success, and makes indexes 1, 2 and 3 at once (before: 2 failures, 20 s, at 81.04 s).
  assert.deepEqual(at('indexed-job-0-')?.slice(1), [61.014441, 'Succeeded']);
  assert.deepEqual([at('indexed-job-1-')?.[2], at('indexed-job-2-')?.[2]], ['Failed', 'Failed']);
  for (const ix of [1, 2, 3]) near(at(`indexed-job-${ix}-`, ix === 3 ? 0 : 1)?.[0], 62.01, `index ${ix} made`);
});

test('a Job pod: template labels plus the job-name labels, owned by the Job as controller', () => {
  const h = harness();
  h.api.createObject({ ...job({}), metadata: { name: 'work', namespace: 'default', uid: 'u-work' } });
  h.sim.run(S);
  const [p] = h.active();
  assert.deepEqual(p?.pod.metadata?.labels, { app: 'work', 'batch.kubernetes.io/job-name': 'work', 'job-name': 'work' });
  assert.deepEqual(p?.pod.metadata?.annotations, {});
  assert.deepEqual(p?.pod.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: 'u-work', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(p?.pod.spec?.containers, [{ name: 'c', image: 'x' }]);
});

test('two pods evicted at the same instant count together (upstream syncJobBatchPeriod): backoffLimit 1 fails the Job with failed 2 and no replacement', () => {
  // A tester's case: completions 2, parallelism 2, backoffLimit 1, both pods on a-0 (preferred
  // zone), which is lost at 100 s; the taint manager evicts both at once (~455 s: NotReady, the
  // NoExecute taint, the default 300 s toleration). Upstream's pod events queue one sync 1 s
  // later (enqueueSyncJobBatched) which sees both failures: 2 > backoffLimit 1, Failed at
  // ~456 s, nothing created. Before, the first eviction's sync ran before the second was heard:
  // it created a replacement (bound on b-0), which the second's sync deleted as the Job failed:
  // failed 4 (the tester's run with more Jobs: failed 3).
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 5
duration: 20m
cluster:
  nodePools:
    - { name: a, count: 1, zones: [zone-a], allocatable: { cpu: "8", memory: 32Gi } }
    - { name: b, count: 1, zones: [zone-b], allocatable: { cpu: "8", memory: 32Gi } }
workload:
  - name: fragile
    runDuration: 30m
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: fragile }
      spec:
        completions: 2
        parallelism: 2
        backoffLimit: 1
        template:
          spec:
            restartPolicy: Never
            affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [zone-a] }] } }] } }
            containers: [{ name: c, image: c:1, resources: { requests: { cpu: "1", memory: 1Gi } } }]
faults:
  - nodeDown: { nodes: [a-0], at: 100s }
`;
  const r = runScenario(parseScenario(text, 'fragile.yaml'), { checkInvariants: true });
  const rows = r.tables.find((t) => t.file === 'placements.csv')?.rows ?? [];
  const evicted = rows.filter((x) => x['result'] === 'evicted').map((x) => Number(x['time_s']));
  assert.equal(evicted.length, 2);
  assert.equal(evicted[0], evicted[1], 'evicted at the same instant');
  assert.ok(evicted[0]! > 455 && evicted[0]! < 455.1, String(evicted[0]));
  assert.deepEqual(rows.filter((x) => x['result'] === 'bound').map((x) => x['node']), ['a-0', 'a-0'], 'no replacement');
  assert.equal((r.tables.find((t) => t.file === 'pods.csv')?.rows ?? []).length, 2, 'two pods ever');
  const job = r.tables.find((t) => t.file === 'jobs.csv')?.rows[0];
  assert.deepEqual([job?.['condition'], job?.['reason'], job?.['failed'], job?.['succeeded']], ['Failed', 'BackoffLimitExceeded', 2, 0]);
  assert.ok(Number(job?.['finished_s']) > 456 && Number(job?.['finished_s']) < 456.1, String(job?.['finished_s']));
});

test('pods the Job deletes when it fails count as failures (upstream: every non-terminated pod of a finished Job is considered failed)', () => {
  // parallelism 2, backoffLimit 0: the first failure fails the Job, the other pod is deleted.
  const h = harness();
  h.api.createObject(job({ parallelism: 2, completions: 2, backoffLimit: 0 }));
  h.sim.run(S);
  const [first, second] = h.active();
  const reasons: string[] = [];
  h.api.watch({ podDeleted: (p, reason) => { if (p === second) reasons.push(reason); } }); // unbound: deleted at once
  h.api.setPodPhase(first!, 'Failed');
  h.sim.run(60 * S);
  assert.deepEqual(reasons, ['job failed']);
  assert.equal(second!.deleted, true);
  assert.deepEqual(h.jobs.status('default', 'work'), { succeeded: 0, failed: 2, active: 0 });
  assert.equal(h.status()?.failed, 2);
  // A finished Job is not synced again (upstream syncJob returns early for IsJobFinished): the
  // deletion of the other pod, heard after the Job failed, writes no second status.
  assert.equal(h.api.writes, 6, 'the Job, its 2 pods, the test\'s Failed phase, the other pod\'s deletion and one status write');
});

test('a Job with more active pods than parallelism at the start deletes the newest ones', () => {
  const h = harness();
  const pod = (name: string): Pod => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'work' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: 'work', controller: true }] },
    spec: { nodeName: 'a', restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] },
  });
  h.api.commitStartState({ nodes: [], objects: [job({ parallelism: 1, completions: 3 })], pods: [pod('work-b'), pod('work-c'), pod('work-a')] });
  h.sim.run(S);
  // All three created at t = 0 (start-state pods): newest first, the same time by name: a and b go.
  assert.deepEqual(h.active().filter((p) => !p.terminating).map((p) => p.name), ['work-c']);
});

test('a Terminating pod is not active: it counts as failed at once (upstream isPodFailed) and is replaced after the failure backoff, without waiting for it to go', () => {
  for (const policy of [undefined, 'TerminatingOrFailed', 'Failed'] as const) {
    const h = harness();
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'work-a', namespace: 'default', labels: { app: 'work' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: 'work', controller: true }] }, spec: { nodeName: 'a', restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } };
    h.api.commitStartState({ nodes: [], objects: [job({ parallelism: 1, completions: 1, ...(policy !== undefined ? { podReplacementPolicy: policy } : {}) })], pods: [pod] });
    h.api.deletePod(h.cluster.pods.get('default/work-a')!, 'by hand'); // bound: Terminating, no kubelet to end it
    h.sim.run(S);
    assert.equal(h.cluster.pods.get('default/work-a')?.terminating, true);
    const replacements = () => h.active().filter((p) => !p.terminating).length;
    if (policy === 'Failed') {
      // Upstream onlyReplaceFailedPods: neither a failure nor replaced while it is Terminating.
      h.sim.run(60 * S);
      assert.equal(replacements(), 0, policy);
      assert.deepEqual(h.jobs.status('default', 'work'), { succeeded: 0, failed: 0, active: 0 }, policy);
      continue;
    }
    assert.deepEqual(h.jobs.status('default', 'work'), { succeeded: 0, failed: 1, active: 0 }, String(policy));
    assert.equal(replacements(), 0, 'the 10 s backoff from the deletion');
    h.sim.run(11 * S);
    assert.equal(replacements(), 1, 'one replacement');
    assert.deepEqual(h.jobs.status('default', 'work'), { succeeded: 0, failed: 1, active: 1 }, String(policy));
  }
});

test('a Job whose pods are evicted from nodes lost for good fails when the failures exceed backoffLimit, though the pods stay Terminating; a replacement\'s backoff counts from when its node went NotReady', () => {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 20m
cluster:
  nodePools: [{ name: n, count: 3, zones: [zone-a, zone-b, zone-c], allocatable: { cpu: "4", memory: 16Gi } }]
workload:
  - name: job
    runDuration: 10m
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: job }
      spec:
        parallelism: 3
        completions: 3
        backoffLimit: 1
        template:
          spec:
            restartPolicy: Never
            tolerations: [{ key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5 }]
            containers: [{ name: w, image: x, resources: { requests: { cpu: "1", memory: 1Gi } } }]
faults:
  - nodeDown: { nodes: [n-0], at: 2m }
  - nodeDown: { nodes: [n-1], at: 4m }
`;
  const r = runScenario(parseScenario(text, 'job-evict.yaml'));
  const rows = r.tables.find((t) => t.file === 'placements.csv')?.rows ?? [];
  const evicted = rows.filter((x) => x['result'] === 'evicted').map((x) => Number(x['time_s']));
  // n-0 goes NotReady at 175 s (the first 5-s monitor tick 50 s after its last renewal), gets its
  // NoExecute taint at the next tick (180 s), and its pod is evicted 5 s later; n-1 likewise at
  // 290, 295 and 300 s.
  assert.equal(evicted.length, 2);
  assert.ok(evicted[0]! > 185 && evicted[0]! < 185.1 && evicted[1]! > 300 && evicted[1]! < 300.1, evicted.join(' '));
  // The first eviction's replacement: its 10 s backoff counts from when its pod's Ready turned
  // False with its node (175 s), so it is over at 185 s, not 10 s after the eviction (195 s); the
  // eviction's sync comes 1 s after it (upstream syncJobBatchPeriod): created and bound at ~186 s.
  const bound = rows.filter((x) => x['result'] === 'bound').map((x) => Number(x['time_s']));
  assert.equal(bound.length, 4);
  assert.ok(bound[3]! > 186 && bound[3]! < 186.1, String(bound[3]));
  // The second eviction is the second failure: more than backoffLimit 1, so the Job fails at the
  // sync 1 s after it (~301 s), while both evicted pods are still Terminating on their lost nodes.
  const jobRow = r.tables.find((t) => t.file === 'jobs.csv')?.rows[0];
  assert.equal(jobRow?.['condition'], 'Failed');
  assert.equal(jobRow?.['reason'], 'BackoffLimitExceeded');
  // failed: the 2 evicted pods and the 2 still running, which the failed Job deletes (upstream
  // counts every non-terminated pod of a finished Job as failed).
  assert.equal(jobRow?.['failed'], 4);
  assert.ok(Number(jobRow?.['finished_s']) > 301 && Number(jobRow?.['finished_s']) < 301.1, String(jobRow?.['finished_s']));
});

test('with podFailurePolicy or podReplacementPolicy Failed, a pod of a crashed node counts as failed when the node comes back and deletes it, its finish time that of its Ready condition\'s turn to False (upstream getFinishedTime): the replacement is not held back', () => {
  const text = (policy: string) => `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 15m
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
  - name: job
    runDuration: 10m
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: job }
      spec:
        parallelism: 2
        completions: 2
        ${policy}
        template:
          spec:
            restartPolicy: Never
            tolerations: [{ key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5 }]
            containers: [{ name: w, image: x, resources: { requests: { cpu: "3" } } }]
faults:
  - nodeDown: { nodes: [n-0], at: 2m, for: 5m }
`;
  for (const policy of ['podFailurePolicy: { rules: [{ action: Ignore, onPodConditions: [{ type: DisruptionTarget }] }] }', 'podReplacementPolicy: Failed']) {
    const r = runScenario(parseScenario(text(policy), 'crash.yaml'));
    const pods = (r.tables.find((t) => t.file === 'pods.csv')?.rows ?? []).map((x) => [Number(x['created_s']), Number(x['deleted_s']), x['evicted']] as const).sort((a, b) => a[0] - b[0]);
    // n-0 goes NotReady at 175 s (its pod's Ready condition turns False then), its pod is evicted
    // at ~185 s and stays Terminating (neither counted nor replaced) until n-0 comes back at 420 s
    // and its kubelet, the containers gone, deletes it (~420 s). Upstream's getFinishedTime reads
    // no container finishedAt (a vanished container's state is ContainerStatusUnknown, without
    // one) and takes the Ready=False condition's lastTransitionTime, 175 s: the 10 s backoff is
    // long over, and the replacement is made at the sync 1 s after the deletion (~421 s), not
    // 10 s after the deletion (~430 s).
    assert.equal(pods.length, 3, policy);
    assert.equal(pods[0]![2] === 'true' || pods[1]![2] === 'true', true, policy);
    const gone = Math.max(...pods.slice(0, 2).map((x) => (Number.isNaN(x[1]) ? 0 : x[1])));
    near(gone, 420, `${policy}: the evicted pod deleted`);
    near(pods[2]![0], 421, `${policy}: replacement created`);
  }
});

test('pods that finish within the second after the first pod event are seen by one sync (upstream syncJobBatchPeriod)', () => {
  // completions 4, parallelism 2. A commits at 2 ms and B, the second slow-start batch, at 3 ms;
  // A's add queues the Job's sync for 1.002 s (upstream addPod: enqueueSyncJobBatched, 1 s; B's
  // and the finishes' later times do not move it). A Succeeds at 4 ms, B at 4.5 ms: no sync
  // until 1.002 s, which sees both and sends C and D (committing at 1.003 and 1.004 s).
  const h = harness();
  h.api.createObject(job({ completions: 4, parallelism: 2 }));
  h.sim.run(3000);
  const [a, b] = h.active();
  h.api.setPodPhase(a!, 'Succeeded');
  h.sim.run(3500);
  h.api.setPodPhase(b!, 'Succeeded');
  h.sim.run(S);
  assert.equal(h.cluster.podsCreated, 2);
  h.sim.run(2 * S);
  assert.deepEqual(h.active().map((p) => p.createdUs), [1_003_000, 1_004_000]);
  assert.deepEqual(h.jobs.status('default', 'work'), { succeeded: 2, failed: 0, active: 2 });
});

test('a sync asked for while the Job\'s creates are in flight runs once they commit (the queue\'s dirty set)', () => {
  // completions 4, parallelism 2: A sent at 1 ms (commits 2 ms), B at 2 ms (commits 3 ms). The
  // parallelism raised to 4 commits at 2.5 ms, while B is in flight: a spec change syncs at once
  // (upstream updateJob: enqueueSyncJobImmediately), and that sync waits for the one in progress
  // (the key is dirty while processed), then runs at 3 ms: C and D commit at 4 and 5 ms, not at
  // the batched sync of A's add (1.002 s).
  const h = harness();
  h.api.createObject(job({ completions: 4, parallelism: 2 }));
  h.sim.run(1500);
  h.api.updateObject(job({ completions: 4, parallelism: 4 }));
  h.sim.run(10_000);
  assert.deepEqual(h.active().map((p) => p.createdUs), [2_000, 3_000, 4_000, 5_000]);
});

test('a Job deleted at the instant it was created gets no pod', () => {
  // Both writes commit at 1 ms: the deletion is heard before the sync the creation queued.
  const h = harness();
  h.api.createObject(job({ parallelism: 2, completions: 2 }));
  h.api.deleteObject('Job', 'default', 'work');
  h.sim.run(S);
  assert.equal(h.cluster.objects.get('Job/default/work'), undefined);
  assert.equal(h.cluster.podsCreated, 0);
});

test('jobFinished: a Complete or Failed condition with status True (upstream IsJobFinished)', () => {
  const withConditions = (conditions: { type: string; status: string }[]): WorkloadObject => ({ ...job({}), status: { conditions } });
  assert.equal(jobFinished(withConditions([{ type: 'Complete', status: 'True' }])), 'Complete');
  assert.equal(jobFinished(withConditions([{ type: 'Suspended', status: 'True' }, { type: 'Failed', status: 'True' }])), 'Failed');
  assert.equal(jobFinished(withConditions([{ type: 'Complete', status: 'False' }, { type: 'Failed', status: 'Unknown' }])), null);
  assert.equal(jobFinished(withConditions([])), null);
  assert.equal(jobFinished(job({})), null);
});

test('pod creates refused by a ResourceQuota are retried 1 s, 2 s, 4 s ... up to 1 min apart (upstream Job queue: ItemExponentialFailureRateLimiter(1 s, 1 min))', () => {
  const h = harness();
  const refused: number[] = [];
  h.api.watch({ writeRejected: () => refused.push(h.sim.now) });
  h.api.createObject({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods', namespace: 'default' }, spec: { hard: { pods: '2' } } });
  h.api.createObject(job({ parallelism: 3, completions: 3 }));
  h.sim.run(180 * S);
  // Slow start: one create at 1 ms commits at 2 ms; the batch of 2 commits at 3 ms: 1 pod, 1
  // refused (failure 1: AddRateLimited 1 s, 1.003 s). The first pod's add queued the batched
  // sync for 1.002 s (upstream addPod, syncJobBatchPeriod), the earlier, so the Job's one waiting
  // entry: that sync's create is refused at 1.003 s (failure 2: 2 s, 3.003 s). Then retries only,
  // the n-th failure waiting 1 s · 2^(n−1), at most 60 s.
  assert.deepEqual(refused, [3_000, 1_003_000, 3_004_000, 7_005_000, 15_006_000, 31_007_000, 63_008_000, 123_009_000]);
  assert.equal(h.active().length, 2);
  // The quota raised: nothing syncs the Job until its next retry, 60 s on, at 183.009 s.
  h.api.updateObject({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods', namespace: 'default' }, spec: { hard: { pods: '3' } } });
  h.sim.run(183 * S);
  assert.equal(h.active().length, 2);
  h.sim.run(184 * S);
  assert.deepEqual(h.active().map((p) => p.createdUs), [2_000, 3_000, 183_010_000]);
});

test('a Job creates its pods in slow-start batches of 1, 2, 4, each sent when the previous batch was answered (upstream manageJob)', () => {
  const h = harness();
  const sent = createSends(h.sim, h.api);
  h.api.createObject(job({ parallelism: 7, completions: 7 }));
  h.sim.run(S);
  // The Job commits at 1 ms; every write takes 1 ms: 1 create sent at 1 ms, 2 at 2 ms, 4 at 3 ms.
  assert.deepEqual(sent, [1_000, 2_000, 2_000, 3_000, 3_000, 3_000, 3_000]);
  assert.deepEqual(h.active().map((p) => p.createdUs), [2_000, 3_000, 3_000, 4_000, 4_000, 4_000, 4_000]);
});

test('a Job sync stops at the batch with a refused create: 3 creates sent of the 7 (upstream skippedPods, break)', () => {
  const h = harness();
  const sent = createSends(h.sim, h.api);
  h.api.createObject({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods', namespace: 'default' }, spec: { hard: { pods: '2' } } });
  h.api.createObject(job({ parallelism: 7, completions: 7 }));
  h.sim.run(2_999);
  // Batch 1 commits at 2 ms; batch 2 (2 creates sent at 2 ms) at 3 ms: 1 pod, 1 refused, and
  // the 4 pods left are not sent. The next sync is the batched one the first pod's add queued
  // (upstream addPod: 1 s on, 1.002 s; the refusal's 1 s retry, 1.003 s, is later): a batch of 1.
  assert.deepEqual(sent, [1_000, 2_000, 2_000]);
  h.sim.run(1_001_999);
  assert.deepEqual(sent, [1_000, 2_000, 2_000]);
  h.sim.run(1_002_999);
  assert.deepEqual(sent, [1_000, 2_000, 2_000, 1_002_000]);
  assert.equal(h.active().length, 2);
});

test('at most MaxPodCreateDeletePerSync (500) creates per sync: parallelism 600 gets 500 pods in batches 1 ... 128, 245, then 100', () => {
  const h = harness();
  h.api.createObject(job({ parallelism: 600, completions: 600 }));
  // The first sync's 500 commit from 2 to 10 ms; the next sync is the batched one of the first
  // pod's add (upstream addPod, syncJobBatchPeriod 1 s): 1.002 s, its 100 committing from 1.003 s.
  h.sim.run(2 * S);
  const perMs = new Map<number, number>();
  for (const p of h.active()) perMs.set(p.createdUs / 1000, (perMs.get(p.createdUs / 1000) ?? 0) + 1);
  assert.deepEqual([...perMs.entries()], [
    [2, 1], [3, 2], [4, 4], [5, 8], [6, 16], [7, 32], [8, 64], [9, 128], [10, 245], // 500
    [1003, 1], [1004, 2], [1005, 4], [1006, 8], [1007, 16], [1008, 32], [1009, 37], // 100
  ]);
});

test('pods that finish together are counted before any pod is added: a Job of 16 completions and 16 in parallel creates exactly 16 pods', () => {
  // Before, a sync between a pod's finish (in the store) and its watch event saw it neither
  // active nor succeeded and created a 17th pod, deleted again as surplus (seed 1: j-qztr2 at
  // 41.18 s); the bundled alibaba-2017 replay made 31 such pods.
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: jobplain }
seed: 1
duration: 5m
cluster:
  nodePools:
  - { name: n, count: 4, allocatable: { cpu: "64", memory: 256Gi } }
workload:
- name: j
  at: 0s
  runDuration: 40s
  manifest:
    apiVersion: batch/v1
    kind: Job
    metadata: { name: j }
    spec:
      completions: 16
      parallelism: 16
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers: [{ name: c, image: c:1, resources: { requests: { cpu: 500m, memory: 1Gi } } }]
`;
  const r = runScenario(parseScenario(text, 'job.yaml'), { checkInvariants: true });
  assert.deepEqual(['pods_submitted', 'pods_bound'].map((c) => String(r.summary[c])), ['16', '16']);
  const jobs = r.tables.find((t) => t.file === 'jobs.csv')?.rows ?? [];
  assert.deepEqual(jobs.map((j) => `${j['name']} ${j['condition']} ${j['succeeded']} ${j['failed']}`), ['j Complete 16 0']);
});

/** A scenario of one 4-CPU node, 1 s startups, and the given workload entries. */
function scenarioText(workload: string, duration = '10m'): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: ${duration}
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 16Gi } }]
kubelet:
  startupLatency: 1s
workload:
${workload}`;
}

/** A Job entry `name` at `at` with the given extra spec lines (flow-style YAML). */
function jobEntry(entry: string, at: string, spec: string, runDuration = '5m', name = 'batch'): string {
  return `  - name: ${entry}
    at: ${at}
    runDuration: ${runDuration}
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: ${name} }
      spec: { ${spec}, template: { spec: { restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: "1" } } }] } } }
`;
}

const near = (v: unknown, want: number, what: string) => assert.ok(Number(v) >= want && Number(v) < want + 0.1, `${what}: ${String(v)}, want ${want} (+ < 0.1 s of API latency)`);

test('suspend (upstream manageJob/syncJob): suspending deletes the running pods without counting them, resuming starts new ones and resets startTime; a Job created suspended creates no pod', () => {
  const text = scenarioText(
    jobEntry('batch', '0s', 'completions: 2, parallelism: 2') +
    jobEntry('pause', '60s', 'completions: 2, parallelism: 2, suspend: true') +
    jobEntry('resume', '120s', 'completions: 2, parallelism: 2, suspend: false') +
    jobEntry('held', '0s', 'suspend: true', '5m', 'held'),
  );
  const run = prepareRun(parseScenario(text, 'suspend.yaml'), { checkInvariants: true });
  run.sim.run(run.endUs);
  const status = run.cluster.objects.get('Job/default/batch')?.['status'] as { startTime: string; failed: number; succeeded: number; conditions: { type: string; status: string; reason: string }[] };
  // Resumed at 120 s: startTime is the resume's second, not the creation's (00:00:00).
  assert.equal(status.startTime, '2026-01-01T00:02:00Z');
  assert.deepEqual(status.conditions.map((c) => `${c.type}/${c.status}/${c.reason}`), ['JobSuspended/False/JobResumed', 'Complete/True/CompletionsReached']);
  const held = run.cluster.objects.get('Job/default/held')?.['status'] as { startTime?: string; conditions: { type: string; status: string; reason: string }[] };
  assert.equal(held.startTime, undefined, 'never started: no startTime');
  assert.deepEqual(held.conditions.map((c) => `${c.type}/${c.status}/${c.reason}`), ['JobSuspended/True/JobSuspended']);
  const r = run.finish();
  const rows = r.tables.find((t) => t.file === 'jobs.csv')?.rows ?? [];
  const batch = rows.find((x) => x['name'] === 'batch')!;
  // Pods at ~0 s, Running at ~1 s, deleted at 60 s (not failures: failed 0); two new pods at
  // ~120 s run 5 min from ~121 s, end at ~421 s, and the sync their ends queue comes 1 s later
  // (upstream syncJobBatchPeriod): Complete at ~422 s with succeeded 2.
  near(batch['started_s'], 0, 'started_s (its first pod)');
  near(batch['finished_s'], 422, 'finished_s');
  assert.deepEqual([batch['succeeded'], batch['failed'], batch['condition'], batch['reason'], batch['workload']], [2, 0, 'Complete', 'CompletionsReached', 'batch']);
  const heldRow = rows.find((x) => x['name'] === 'held')!;
  assert.deepEqual([heldRow['started_s'], heldRow['finished_s'], heldRow['succeeded'], heldRow['failed'], heldRow['condition']], ['', '', 0, 0, 'Suspended']);
  const pods = r.tables.find((t) => t.file === 'pods.csv')?.rows ?? [];
  assert.equal(pods.filter((p) => p['owner'] === 'batch').length, 4, '2 before the suspension, 2 after the resume');
  assert.equal(pods.filter((p) => p['owner'] === 'held').length, 0);
});

test('a Job updated by a later entry may change suspend, parallelism, activeDeadlineSeconds, backoffLimit, ttlSecondsAfterFinished only (upstream ValidateJobSpecUpdate)', () => {
  const text = scenarioText(jobEntry('batch', '0s', 'completions: 2') + jobEntry('more', '60s', 'completions: 3'));
  assert.throws(() => parseScenario(text, 'immutable.yaml'), /workload\[1\]\.manifest\.spec\.completions: expected the same completions as workload entry "batch" \(a Job's spec\.completions is immutable/);
});

test('activeDeadlineSeconds (upstream pastActiveDeadline): the Job fails with DeadlineExceeded that long after its startTime, its pods deleted; a resume restarts the count; a CronJob\'s Jobs carry it', () => {
  const text = scenarioText(
    jobEntry('dl', '0s', 'completions: 2, parallelism: 2, activeDeadlineSeconds: 90', '5m', 'dl') +
    jobEntry('rs', '0s', 'activeDeadlineSeconds: 100', '5m', 'rs') +
    jobEntry('rs-pause', '60s', 'activeDeadlineSeconds: 100, suspend: true', '5m', 'rs') +
    jobEntry('rs-resume', '120s', 'activeDeadlineSeconds: 100, suspend: false', '5m', 'rs') +
    `  - name: cj
    at: 0s
    runDuration: 5m
    manifest:
      apiVersion: batch/v1
      kind: CronJob
      metadata: { name: cj }
      spec:
        schedule: "*/2 * * * *"
        concurrencyPolicy: Forbid
        jobTemplate: { spec: { activeDeadlineSeconds: 30, template: { spec: { restartPolicy: Never, containers: [{ name: c, image: x }] } } } }
`, '5m');
  const run = prepareRun(parseScenario(text, 'deadline.yaml'), { checkInvariants: true });
  run.sim.run(run.endUs);
  const rsStatus = run.cluster.objects.get('Job/default/rs')?.['status'] as { startTime: string; conditions: { type: string; status: string; reason: string }[] };
  assert.equal(rsStatus.startTime, '2026-01-01T00:02:00Z');
  assert.deepEqual(rsStatus.conditions.map((c) => `${c.type}/${c.status}/${c.reason}`), ['JobSuspended/False/JobResumed', 'Failed/True/DeadlineExceeded']);
  const r = run.finish();
  const rows = r.tables.find((t) => t.file === 'jobs.csv')?.rows ?? [];
  const row = (name: string) => rows.find((x) => x['name'] === name)!;
  // dl: startTime at its first sync (~0 s) + 90 s; its two 5-minute pods were still running,
  // and are deleted, counted as failed (upstream trackJobStatusAndRemoveFinalizers: every
  // non-terminated pod of a finished Job).
  near(row('dl')['finished_s'], 90, 'dl finished_s');
  assert.deepEqual([row('dl')['condition'], row('dl')['reason'], row('dl')['succeeded'], row('dl')['failed']], ['Failed', 'DeadlineExceeded', 0, 2]);
  // rs: active 0–60 s (60 s of its 100), suspended until 120 s; the count starts again at the
  // resume: 120 + 100 = 220 s, not 100 s.
  near(row('rs')['finished_s'], 220, 'rs finished_s');
  assert.equal(row('rs')['reason'], 'DeadlineExceeded');
  // cj: Jobs at 120.1 and 240.1 s (every 2 minutes after its creation at 0 s, 100 ms late as
  // upstream's nextScheduleDelta; 5-minute run), each failing 30 s later (~1 ms after its
  // create, when the Job controller saw it), not running its
  // 5 minutes: Forbid starts the next on schedule because the one before has failed by then.
  const cj = rows.filter((x) => x['workload'] === 'cj');
  assert.equal(cj.length, 2);
  cj.forEach((x, i) => {
    near(x['finished_s'], 120 * (i + 1) + 30.1, `cj job ${i} finished_s`);
    assert.equal(x['reason'], 'DeadlineExceeded');
  });
  const pods = r.tables.find((t) => t.file === 'pods.csv')?.rows ?? [];
  assert.equal(pods.filter((p) => p['owner'] === 'dl').length, 2, 'no pod after the deadline');
});

test('podFailurePolicy on DisruptionTarget (upstream pod_failure_policy.go): a preempted pod is Ignored (replaced, not counted) or fails the Job (FailJob, reason PodFailurePolicy); onExitCodes warns at load', () => {
  const scenario = (action: string) => scenarioText(`  - name: pcs
    at: 0s
    manifests:
      - { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: low }, value: 10 }
      - { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: high }, value: 1000 }
  - name: train
    at: 0s
    runDuration: 3m
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: train }
      spec:
        backoffLimit: 0
        podFailurePolicy: { rules: [{ action: ${action}, onPodConditions: [{ type: DisruptionTarget }] }] }
        template: { spec: { priorityClassName: low, restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: "3" } } }] } }
  - name: hi
    at: 30s
    runDuration: 1m
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: hi }, spec: { priorityClassName: high, restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: "4" } } }] } }
`);
  const jobRow = (action: string) => (runScenario(parseScenario(scenario(action), 'pfp.yaml'), { checkInvariants: true }).tables.find((t) => t.file === 'jobs.csv')?.rows ?? [])[0]!;
  // hi (4 CPU) preempts train's pod at ~30 s; the victim Terminates for its 30 s grace period and
  // is gone at ~60 s; the Job (with a podFailurePolicy, upstream onlyReplaceFailedPods) judges it
  // at the sync that queues, 1 s later (~61 s, upstream syncJobBatchPeriod): it has
  // DisruptionTarget (PreemptionByScheduler).
  // Ignore: not counted (failed 0, though backoffLimit is 0); the replacement comes after the 10 s
  // backoff from its end (~70 s), waits for hi (Running ~61 s to ~121 s), runs 3 min from ~122 s,
  // ends ~302 s: Complete at the sync 1 s later, ~303 s.
  const ignored = jobRow('Ignore');
  assert.deepEqual([ignored['condition'], ignored['succeeded'], ignored['failed']], ['Complete', 1, 0]);
  near(ignored['finished_s'], 303, 'Ignore: finished_s');
  // FailJob: the Job fails at the sync after the pod is gone (~61 s), counted (failed 1).
  const failed = jobRow('FailJob');
  assert.deepEqual([failed['condition'], failed['reason'], failed['failed']], ['Failed', 'PodFailurePolicy', 1]);
  near(failed['finished_s'], 61, 'FailJob: finished_s');
  // Count: as without a policy, 1 failure > backoffLimit 0 (at the sync after the pod is gone, ~61 s).
  const counted = jobRow('Count');
  assert.deepEqual([counted['condition'], counted['reason'], counted['failed']], ['Failed', 'BackoffLimitExceeded', 1]);
  near(counted['finished_s'], 61, 'Count: finished_s');
  // onExitCodes cannot be evaluated: one load-time warning naming the field.
  const exitCodes = scenarioText(jobEntry('ec', '0s', 'podFailurePolicy: { rules: [{ action: FailJob, onExitCodes: { operator: NotIn, values: [0] } }] }'));
  const w = parseScenario(exitCodes, 'ec.yaml').warnings;
  assert.equal(w.filter((x) => x.includes('onExitCodes')).length, 1);
  assert.match(w.find((x) => x.includes('onExitCodes'))!, /ec\.yaml:\d+:\d+: workload\[0\]\.manifest\.spec\.podFailurePolicy\.rules\[0\]\.onExitCodes: is not simulated: ksim's container failures have no exit code/);
  // Upstream: a podFailurePolicy needs restartPolicy Never.
  assert.throws(() => parseScenario(exitCodes.replace('restartPolicy: Never', 'restartPolicy: OnFailure'), 'ec.yaml'), /template\.spec\.restartPolicy: expected Never \(a Job with a podFailurePolicy\)/);
});

// Upstream Indexed completion mode (pkg/controller/job/indexed_job_utils.go, job_controller.go
// manageJob): each index 0..completions−1 must succeed once; pods <job>-<index>-<suffix> with
// the completion index annotation and label and hostname <job>-<index>; the lowest missing
// indexes are created first, parallelism at a time; failures count against backoffLimit.
test('Indexed: pods per index, lowest missing first; a failed index is made again; Complete when every index succeeded, completedIndexes written', () => {
  const h = harness();
  h.api.createObject(job({ completions: 4, parallelism: 2, completionMode: 'Indexed' }));
  h.sim.run(S);
  const ix = (p: PodInfo) => p.labels['batch.kubernetes.io/job-completion-index'];
  const first = h.active();
  assert.deepEqual(first.map(ix), ['0', '1']);
  assert.match(first[0]!.name, /^work-0-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.match(first[1]!.name, /^work-1-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(first[1]!.pod.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], '1');
  assert.equal(first[1]!.pod.spec?.hostname, 'work-1');
  // Index 0 fails: after the 10 s backoff the lowest missing index, 0, is made again (not 2).
  h.api.setPodPhase(first[0]!, 'Failed');
  h.sim.run(13 * S);
  assert.deepEqual(h.active().map(ix), ['1', '0']);
  // 1 and 0 succeed: 2 and 3 follow.
  finishAll(h.api, h.active(), 'Succeeded');
  h.sim.run(15 * S);
  assert.deepEqual(h.active().map(ix), ['2', '3']);
  finishAll(h.api, h.active(), 'Succeeded');
  h.sim.run(17 * S);
  const st = h.status() as unknown as { succeeded: number; failed: number; completedIndexes: string; conditions: { type: string }[] };
  assert.equal(st.succeeded, 4);
  assert.equal(st.failed, 1);
  assert.equal(st.completedIndexes, '0-3');
  assert.equal(st.conditions[0]?.type, 'Complete');
  assert.equal(h.cluster.podsCreated, 5);
});

test('Indexed from a snapshot: status.completedIndexes are done; the missing indexes are made, lowest first', () => {
  const h = harness();
  const o = job({ completions: 5, parallelism: 2, completionMode: 'Indexed' });
  h.api.commitStartState({ nodes: [], objects: [{ ...o, status: { succeeded: 2, completedIndexes: '0,2' } }], pods: [] });
  h.sim.run(S);
  assert.deepEqual(h.active().map((p) => p.labels['batch.kubernetes.io/job-completion-index']), ['1', '3']);
  finishAll(h.api, h.active(), 'Succeeded');
  h.sim.run(3 * S);
  assert.deepEqual(h.active().map((p) => p.labels['batch.kubernetes.io/job-completion-index']), ['4']);
  finishAll(h.api, h.active(), 'Succeeded');
  h.sim.run(5 * S);
  assert.equal((h.status() as unknown as { completedIndexes: string }).completedIndexes, '0-4');
});

test('a pod the pod GC fails (node deleted: DisruptionTarget, DeletionByPodGC) under a podFailurePolicy Ignore rule is not counted but is replaced after the 10 s failure backoff, as a counted failure is (upstream PR #119434: newBackoffRecord takes every new failed pod, nonIgnoredFailedPodsCount only status.failed; kubernetes/kubernetes#130881 open)', () => {
  // Upstream v1.36 pkg/controller/job/job_controller.go syncJob: getNewFinishedPods keeps each
  // pod isPodFailed says failed (the policy is not read there), status.failed adds
  // nonIgnoredFailedPodsCount of them, and newBackoffRecord(key, newSucceededPods,
  // newFailedPods) the failure with every one of them: an ignored failure holds back the
  // replacement as long as a counted one. Its finish time (backoff_utils.go getFinishedTime): no
  // container finishedAt (the pod GC writes only the phase and the condition), Ready still True,
  // so the deletionTimestamp less its grace period 0: when the pod GC deleted it.
  const dir = tempDir('ksim-job-podgc-');
  // np-1 (where the scheduler binds the pod) deleted at 61 s: the pod GC queues its name at
  // the check at 80 s and fails and deletes its pod at 120 s (podgc.ts).
  writeFileSync(join(dir, 'events.jsonl'), '{"at": 61, "op": "delete", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "np-1"}}}\n');
  const run = (policy: string) => {
    writeFileSync(join(dir, 's.yaml'), `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 10m
cluster:
  nodePools: [{ name: np, count: 2, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
  - name: train
    at: 0s
    runDuration: 5m
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: train }
      spec:
        ${policy}
        template: { spec: { restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: "3" } } }] } }
  - name: ev
    trace: { format: ksim-events, file: events.jsonl }
`);
    const r = runScenario(loadScenario(join(dir, 's.yaml')), { checkInvariants: true });
    const pods = (r.tables.find((t) => t.file === 'pods.csv')?.rows ?? []).map((p) => [Number(p['created_s']), p['node'], p['phase'], Number(p['deleted_s'])] as const).sort((a, b) => a[0] - b[0]);
    const row = (r.tables.find((t) => t.file === 'jobs.csv')?.rows ?? [])[0]!;
    return { pods, row };
  };
  const ignored = run('backoffLimit: 0\n        podFailurePolicy: { rules: [{ action: Ignore, onPodConditions: [{ type: DisruptionTarget }] }] }');
  const counted = run('backoffLimit: 1');
  for (const [what, r] of [['Ignore', ignored], ['counted', counted]] as const) {
    assert.equal(r.pods.length, 2, what);
    assert.deepEqual([r.pods[0]![1], r.pods[0]![2]], ['np-1', 'Failed'], what);
    near(r.pods[0]![3], 120, `${what}: the pod GC deletes the first pod`);
    // Failed at 120 s (whole seconds): the replacement at the sync when the 10 s backoff is
    // over, 130 s, not at the sync 1 s after the failure (121 s).
    near(r.pods[1]![0], 130, `${what}: replacement created`);
    assert.equal(r.pods[1]![1], 'np-0', what);
  }
  // Ignore: not in status.failed (backoffLimit 0 is not exceeded); counted: failed 1 of 1.
  assert.deepEqual([ignored.row['condition'], ignored.row['failed']], ['Complete', 0]);
  assert.deepEqual([counted.row['condition'], counted.row['failed']], ['Complete', 1]);
});
