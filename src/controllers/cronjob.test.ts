// Cron schedules on the simulated clock, the CronJob controller's concurrency policies, the
// garbage collector's cascades, and scenarios/jobs.yaml end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { ObjectApi } from '../controlplane/object-api.js';
import { makeNode } from '../testing/builders.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { FieldError } from '../api/field-error.js';
import { nextCronTime, parseCron, simTimeString } from './cron.js';
import { CronJobController, cronJobName } from './cronjob.js';
import { JobController } from './job.js';
import { GarbageCollector } from './garbage-collector.js';
import { ReplicaSetController } from './replicaset.js';
import { DeploymentController } from './deployment.js';
import { loadScenario } from '../workload/scenario.js';
import { prepareRun } from '../run/run-scenario.js';

const S = 1_000_000;
const MIN = 60 * S;

function next(schedule: string, after: string): string {
  const afterUs = (Date.parse(after) - Date.parse('2026-01-01T00:00:00Z')) * 1000;
  const t = nextCronTime(parseCron(schedule), afterUs);
  return t === null ? 'none' : simTimeString(t);
}

test('cron schedules: steps, ranges, lists, day-of-week (t = 0 is Thursday 2026-01-01) and the day OR rule', () => {
  assert.equal(simTimeString(0), '2026-01-01T00:00:00Z');
  assert.equal(next('*/5 * * * *', '2026-01-01T00:00:00Z'), '2026-01-01T00:05:00Z', 'strictly after');
  assert.equal(next('*/5 * * * *', '2026-01-01T00:07:30Z'), '2026-01-01T00:10:00Z');
  assert.equal(next('30 2 * * *', '2026-01-01T03:00:00Z'), '2026-01-02T02:30:00Z');
  assert.equal(next('0 9-17/4 * * *', '2026-01-01T10:00:00Z'), '2026-01-01T13:00:00Z');
  assert.equal(next('0 0 * * 1', '2026-01-01T00:00:00Z'), '2026-01-05T00:00:00Z', 'next Monday');
  assert.equal(next('0 0 * * 7', '2026-01-01T00:00:00Z'), '2026-01-04T00:00:00Z', '7 is Sunday');
  assert.equal(next('0 0 1,15 * *', '2026-01-02T00:00:00Z'), '2026-01-15T00:00:00Z');
  assert.equal(next('0 0 13 * 5', '2026-01-03T00:00:00Z'), '2026-01-09T00:00:00Z', 'day-of-month 13 OR Friday');
  assert.equal(next('0 12 1 3 *', '2026-01-01T00:00:00Z'), '2026-03-01T12:00:00Z');
  assert.equal(next('0 0 30 2 *', '2026-01-01T00:00:00Z'), 'none');
});

test('cron schedules that do not parse name the field', () => {
  assert.throws(() => parseCron('* * * *'), new FieldError('', 'a cron schedule of 5 fields (minute hour day-of-month month day-of-week)', '"* * * *"'));
  assert.throws(() => parseCron('60 * * * *'), new FieldError('', 'a cron schedule whose minute field is *, a number 0-59, a range, a list or a step', '"60 * * * *"'));
  assert.throws(() => parseCron('* * * * MON'), new FieldError('', 'a cron schedule whose day of week field is *, a number 0-7, a range, a list or a step', '"* * * * MON"'));
});

test('Job names are <cronjob>-<minutes since the Unix epoch of the scheduled time>', () => {
  assert.equal(cronJobName('report', 5 * MIN), 'report-29453765');
});

function harness() {
  const sim = new Simulation();
  const cluster = new ClusterState();
  cluster.addNode(makeNode('a').obj(), 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const objects = new ObjectApi(api);
  new DeploymentController(api, objects);
  new ReplicaSetController(sim, api, new RandomStreams(1).stream('names'), objects);
  new JobController(sim, api, new RandomStreams(2).stream('names'), objects);
  const cron = new CronJobController(sim, api, objects);
  new GarbageCollector(api);
  const jobs = () => cluster.objectsOfKind('Job').map((o) => o.metadata.name).sort();
  const livePods = () => [...cluster.pods.values()].filter((p) => !p.deleted).map((p) => p.ownerName).sort();
  return { sim, cluster, api, cron, jobs, livePods };
}

function cronJob(policy: string): WorkloadObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'cj', namespace: 'default' },
    spec: { schedule: '*/5 * * * *', concurrencyPolicy: policy, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } } },
  };
}

test('Allow starts a Job at every time; Forbid skips times while one is active', () => {
  for (const [policy, want] of [['Allow', ['cj-29453765', 'cj-29453770', 'cj-29453775']], ['Forbid', ['cj-29453765']]] as const) {
    const h = harness();
    h.api.createObject(cronJob(policy));
    h.sim.run(16 * MIN); // pods never finish (no kubelet)
    assert.deepEqual(h.jobs(), want, policy);
    assert.deepEqual(h.livePods(), want, `${policy}: one pod per Job`);
    assert.deepEqual(h.cron.activeJobs('default', 'cj'), want);
  }
});

test('Forbid starts the next Job once the previous one completed', () => {
  const h = harness();
  h.api.createObject(cronJob('Forbid'));
  h.sim.run(6 * MIN);
  const [p] = [...h.cluster.pods.values()];
  h.api.setPodPhase(p!, 'Succeeded');
  h.sim.run(11 * MIN);
  assert.deepEqual(h.jobs(), ['cj-29453765', 'cj-29453770']);
  assert.deepEqual(h.cron.activeJobs('default', 'cj'), ['cj-29453770']);
});

test('Replace deletes the active Job and, through the garbage collector, its pods', () => {
  const h = harness();
  h.api.createObject(cronJob('Replace'));
  h.sim.run(11 * MIN);
  assert.deepEqual(h.jobs(), ['cj-29453770']);
  assert.deepEqual(h.livePods(), ['cj-29453770']);
  assert.equal(h.cluster.podsCreated, 2);
});

test('deleting a CronJob or a Deployment cascades to its Jobs / ReplicaSets and their pods', () => {
  const h = harness();
  h.api.createObject(cronJob('Allow'));
  h.api.createObject({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  h.sim.run(11 * MIN);
  assert.equal(h.jobs().length, 2);
  assert.equal(h.cluster.objectsOfKind('ReplicaSet').length, 1);
  assert.equal(h.livePods().length, 5);
  h.api.deleteObject('CronJob', 'default', 'cj');
  h.api.deleteObject('Deployment', 'default', 'web');
  h.sim.run(12 * MIN);
  assert.deepEqual(h.jobs(), []);
  assert.equal(h.cluster.objectsOfKind('ReplicaSet').length, 0);
  assert.deepEqual(h.livePods(), []);
});

test('scenarios/jobs.yaml: the Job completes 6 pods 2 at a time; the Forbid CronJob runs at 5, 15 and 25 min', () => {
  const run = prepareRun(loadScenario(fileURLToPath(new URL('../../../scenarios/jobs.yaml', import.meta.url))), { checkInvariants: true });
  run.sim.run(run.endUs);
  run.finish();
  const status = (name: string) => run.cluster.objects.get(`Job/default/${name}`)?.['status'] as { succeeded: number; conditions: { type: string }[]; completionTime: string } | undefined;
  assert.equal(status('render')?.succeeded, 6);
  assert.equal(status('render')?.conditions[0]?.type, 'Complete');
  assert.deepEqual(run.cluster.objectsOfKind('Job').map((o) => o.metadata.name).sort(), ['render', 'report-29453765', 'report-29453775', 'report-29453785']);
  assert.equal(status('report-29453765')?.completionTime, '2026-01-01T00:12:00Z');
  assert.equal(status('report-29453785'), undefined, 'still running at the end');
});
