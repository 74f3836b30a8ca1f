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
import { DEFAULT_WALL_CLOCK, parseCron, parseSchedule, WallClock } from './cron.js';
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
  const t = DEFAULT_WALL_CLOCK.nextCron(parseCron(schedule), afterUs);
  return t === null ? 'none' : DEFAULT_WALL_CLOCK.text(t);
}

test('cron schedules: steps, ranges, lists, day-of-week (t = 0 is Thursday 2026-01-01) and the day OR rule', () => {
  assert.equal(DEFAULT_WALL_CLOCK.text(0), '2026-01-01T00:00:00Z');
  assert.equal(next('*/5 * * * *', '2026-01-01T00:00:00Z'), '2026-01-01T00:05:00Z', 'strictly after');
  assert.equal(next('*/5 * * * *', '2026-01-01T00:07:30Z'), '2026-01-01T00:10:00Z');
  assert.equal(next('30 2 * * *', '2026-01-01T03:00:00Z'), '2026-01-02T02:30:00Z');
  assert.equal(next('0 9-17/4 * * *', '2026-01-01T10:00:00Z'), '2026-01-01T13:00:00Z');
  assert.equal(next('0 0 * * 1', '2026-01-01T00:00:00Z'), '2026-01-05T00:00:00Z', 'next Monday');
  assert.equal(next('0 0 1,15 * *', '2026-01-02T00:00:00Z'), '2026-01-15T00:00:00Z');
  assert.equal(next('0 0 13 * 5', '2026-01-03T00:00:00Z'), '2026-01-09T00:00:00Z', 'day-of-month 13 OR Friday');
  assert.equal(next('0 12 1 3 *', '2026-01-01T00:00:00Z'), '2026-03-01T12:00:00Z');
  assert.equal(next('0 0 1 3 *', '2026-01-01T00:00:00Z'), '2026-03-01T00:00:00Z', 'the first minute of a month skipped to');
  assert.deepEqual([...parseCron('1-3 * * * *').minutes], [1, 2, 3]);
  assert.equal(next('0 0 30 2 *', '2026-01-01T00:00:00Z'), 'none');
  // A step over 1 restricts a field (robfig/cron getRange clears its star bit): `*/3` days of
  // month (1, 4, 7, ...) OR Mondays (Jan 5) — Jan 1, 4, 5, 7; `*/1` is still a star: AND.
  const runs = (schedule: string) => {
    const out: string[] = [];
    let at = '2025-12-31T23:59:00Z';
    for (let i = 0; i < 4; i++) out.push((at = next(schedule, at)).slice(5, 10));
    return out;
  };
  assert.deepEqual(runs('0 6 */3 * 1'), ['01-01', '01-04', '01-05', '01-07']);
  assert.deepEqual(runs('0 6 */3 * 0'), ['01-01', '01-04', '01-07', '01-10']);
  assert.deepEqual(runs('0 6 */1 * 1'), ['01-05', '01-12', '01-19', '01-26']);
  assert.deepEqual(runs('0 6 1,*/3 * 1'), ['01-01', '01-04', '01-05', '01-07'], 'a list with a stepped star is restricted too');
});

test('a wall clock whose t = 0 is a snapshot\'s time (2024-05-01T10:37:23.5Z): schedules at its wall-clock minutes, timestamps in its seconds', () => {
  const clock = new WallClock(Date.parse('2024-05-01T10:37:23.500Z') * 1000);
  assert.equal(clock.text(0), '2024-05-01T10:37:23Z');
  assert.equal(clock.runUs('2024-05-01T10:00:00Z'), -2243.5 * S);
  assert.equal(clock.wholeSecond(0), -0.5 * S);
  assert.equal(clock.wholeSecond(0.7 * S), 0.5 * S);
  // Hourly: the next one is 11:00:00, 22 min 36.5 s after t = 0.
  assert.equal(clock.nextCron(parseCron('0 * * * *'), 0), 1356.5 * S);
  assert.equal(clock.text(1356.5 * S), '2024-05-01T11:00:00Z');
  // Daily at 02:00: the next day's.
  assert.equal(clock.text(clock.nextCron(parseCron('0 2 * * *'), 0)!), '2024-05-02T02:00:00Z');
  assert.equal(cronJobName('report', 1356.5 * S, clock), `report-${Date.parse('2024-05-01T11:00:00Z') / 60_000}`);
});

test('a step from a number runs to the end of the field; none within 5 years (5 x 366 days) is null', () => {
  assert.deepEqual([...parseCron('5/15 * * * *').minutes], [5, 20, 35, 50]);
  assert.deepEqual([...parseCron('* 20/2 * * *').hours], [20, 22]);
  // February 29th at midnight: none in 2100 (not a leap year), so 2096's is followed by 2104's.
  const feb29 = parseCron('0 0 29 2 *');
  const minuteOf = (iso: string) => (Date.parse(iso) - Date.parse('2026-01-01T00:00:00Z')) / 60_000;
  const target = minuteOf('2104-02-29T00:00:00Z');
  const limit = 5 * 366 * 24 * 60;
  // The first minute looked at is the one after `afterUs`: the target is the limit-th minute after it.
  assert.equal(DEFAULT_WALL_CLOCK.nextCron(feb29, (target - limit - 1) * MIN), null);
  assert.equal(DEFAULT_WALL_CLOCK.nextCron(feb29, (target - limit) * MIN), target * MIN);
});

test('cron schedules that do not parse name the field', () => {
  assert.throws(() => parseCron('* * * *'), new FieldError('', 'a cron schedule of 5 fields (minute hour day-of-month month day-of-week) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>', '"* * * *"'));
  assert.throws(() => parseCron('60 * * * *'), new FieldError('', 'a cron schedule whose minute field is *, ?, a number 0-59, a range, a list or a step', '"60 * * * *"'));
  for (const bad of ['0 24 * * *', '5-2 * * * *', '*/0 * * * *', '0 0 0 * *']) assert.throws(() => parseCron(bad), FieldError, bad);
  assert.throws(() => parseCron('* * * * MONDAY'), new FieldError('', 'a cron schedule whose day of week field is *, ?, a number 0-6 or a name SUN-SAT, a range, a list or a step', '"* * * * MONDAY"'));
  // Not a macro though a property of every object (the fuzz test's find: "constructor").
  for (const word of ['constructor', 'toString', '__proto__']) assert.throws(() => parseCron(word), FieldError, word);
});

test('cron names and macros as robfig/cron ParseStandard reads them (parser.go months, dow, parseDescriptor)', () => {
  // t = 0 is Thursday 2026-01-01.
  assert.equal(next('0 9 * * MON-FRI', '2026-01-02T10:00:00Z'), '2026-01-05T09:00:00Z', 'Friday 10:00 -> Monday 09:00');
  assert.equal(next('0 0 1 mar,Jun *', '2026-01-01T00:00:00Z'), '2026-03-01T00:00:00Z');
  assert.equal(next('0 0 * * sun', '2026-01-01T00:00:00Z'), '2026-01-04T00:00:00Z');
  assert.equal(next('@hourly', '2026-01-01T00:30:00Z'), '2026-01-01T01:00:00Z');
  assert.equal(next('@daily', '2026-01-01T00:30:00Z'), '2026-01-02T00:00:00Z');
  assert.equal(next('@midnight', '2026-01-01T00:30:00Z'), '2026-01-02T00:00:00Z');
  assert.equal(next('@weekly', '2026-01-01T00:30:00Z'), '2026-01-04T00:00:00Z', 'Sunday midnight');
  assert.equal(next('@monthly', '2026-01-01T00:30:00Z'), '2026-02-01T00:00:00Z');
  assert.equal(next('@yearly', '2026-01-01T00:30:00Z'), '2027-01-01T00:00:00Z');
  assert.equal(next('@annually', '2026-01-01T00:30:00Z'), '2027-01-01T00:00:00Z');
});

test('fields exactly as robfig/cron v3 getRange reads them: ? is *, day of week 0-6, TZ refused, descriptors matched exactly', () => {
  // `?` is `*` in any field, star bit included (parser.go getRange): AND of the day fields.
  assert.equal(next('0 0 ? * *', '2026-01-01T00:30:00Z'), '2026-01-02T00:00:00Z');
  assert.equal(next('? 0 * * *', '2026-01-01T00:30:00Z'), '2026-01-01T00:31:00Z', '? minutes: every minute');
  assert.equal(next('0 6 1 * ?', '2026-01-02T00:00:00Z'), '2026-02-01T06:00:00Z', '? unrestricted: day 1 only');
  // Day of week 0-6 (spec.go dow bounds): 7 is refused, as the API server refuses it.
  for (const bad of ['0 0 * * 7', '0 0 * * 5-7', '0 0 * * */7x']) assert.throws(() => parseCron(bad), FieldError, bad);
  assert.equal(next('0 0 * * 6', '2026-01-01T00:00:00Z'), '2026-01-03T00:00:00Z', '6 is Saturday');
  // Atoi: a leading + is read; an empty list item is dropped (strings.FieldsFunc); after * a
  // range's end is not read ("*-5" is "*").
  assert.equal(next('+7 * * * *', '2026-01-01T00:00:00Z'), '2026-01-01T00:07:00Z');
  assert.deepEqual([...parseCron('1,,3 * * * *').minutes], [1, 3]);
  assert.equal(parseCron('*-5 * * * *').minutes.size, 60);
  // Names only as a range's ends, not as a step; the step of a name runs to the field's end.
  assert.throws(() => parseCron('0 0 * */jan *'), FieldError);
  assert.deepEqual([...parseCron('0 0 * nov/1 *').months], [11, 12]);
  for (const bad of ['1-2-3 * * * *', '1/2/3 * * * *', '-1 * * * *', '', ' @daily', '@daily ', '@Daily', '@YEARLY', '0 0 * * * *']) assert.throws(() => parseCron(bad), FieldError, JSON.stringify(bad));
  // Spaces between and around the fields do not matter (strings.Fields).
  assert.equal(next('  0   0 * * *  ', '2026-01-01T00:30:00Z'), '2026-01-02T00:00:00Z');
  // TZ= and CRON_TZ= prefixes: the API server refuses any schedule holding "TZ" on create.
  for (const tz of ['TZ=UTC 0 0 * * *', 'CRON_TZ=Europe/Berlin 0 0 * * *']) {
    assert.throws(() => parseCron(tz), /cannot use TZ or CRON_TZ in schedule/, tz);
  }
});

test('@every <duration> as robfig/cron v3 reads it: a Go duration, whole seconds, at least 1 s; Next is the second before plus the delay', () => {
  const delayS = (text: string) => {
    const sch = parseSchedule(text);
    assert.ok('delayUs' in sch, text);
    return sch.delayUs / S;
  };
  assert.equal(delayS('@every 5m'), 300);
  assert.equal(delayS('@every 1h30m'), 5400);
  assert.equal(delayS('@every 90s'), 90);
  assert.equal(delayS('@every 1.9s'), 1, 'rounded down (constantdelay.go Every)');
  assert.equal(delayS('@every 500ms'), 1, 'at least 1 s');
  assert.equal(delayS('@every 0'), 1);
  assert.equal(delayS('@every -5m'), 1, 'negative: 1 s');
  assert.equal(delayS('@every .5h'), 1800);
  assert.equal(delayS('@every 1h0m0.5s'), 3600);
  assert.equal(delayS('@every 2\u00b5s'), 1);
  for (const bad of ['@every', '@every ', '@every 5', '@every 5 m', '@every  5m', '@every 5M', '@every 5d', '@Every 5m', '@every 5m ', '@every .m', '@every 3000000h', 'TZ=UTC @every 5m']) {
    assert.throws(() => parseSchedule(bad), FieldError, JSON.stringify(bad));
  }
  // Next: the wall-clock second before plus the delay (a snapshot clock at .5 s: from 10:37:23).
  const clock = new WallClock(Date.parse('2024-05-01T10:37:23.500Z') * 1000);
  assert.equal(clock.next(parseSchedule('@every 1m'), 0), 59.5 * S);
  assert.equal(DEFAULT_WALL_CLOCK.next(parseSchedule('@every 1m'), 0.7 * S), 60 * S);
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
  h.sim.run(7 * MIN);
  assert.deepEqual(h.cron.activeJobs('default', 'cj'), [], 'the completed Job is no longer active');
  h.sim.run(11 * MIN);
  assert.deepEqual(h.jobs(), ['cj-29453765', 'cj-29453770']);
  assert.deepEqual(h.cron.activeJobs('default', 'cj'), ['cj-29453770']);
});

/** Names and creation times of the Jobs the harness's CronJob starts. */
function jobsStarted(h: ReturnType<typeof harness>): string[] {
  const names: string[] = [];
  h.api.watch({ objectAdded: (o) => { if (o.kind === 'Job') names.push(`${o.metadata.name}@${h.sim.now / S}s`); } });
  return names;
}

/** Completes the pod of Job `job` at `atUs` (its Job then completes). */
function completeJobPodAt(h: ReturnType<typeof harness>, job: string, atUs: number): void {
  h.sim.scheduleAt(atUs, 'test.complete', job, () => {
    const p = [...h.cluster.pods.values()].find((x) => x.ownerName === job && !x.terminal);
    assert.ok(p, `a running pod of ${job}`);
    h.api.setPodPhase(p, 'Succeeded');
  });
}

// Upstream syncCronJob leaves status.lastScheduleTime alone when Forbid skips a time, so the sync
// that the finished Job triggers finds the time unmet and starts it late (the docs: "when the
// previous Job run finishes, .spec.startingDeadlineSeconds is still taken into account and may
// result in a new Job run").
test('Forbid: a time skipped while a Job ran starts late when that Job finishes, only the most recent of several', () => {
  const h = harness();
  const started = jobsStarted(h);
  h.api.createObject(cronJob('Forbid'));
  completeJobPodAt(h, 'cj-29453765', 12 * MIN); // ran over 10 min: skipped
  completeJobPodAt(h, 'cj-29453770', 23 * MIN); // ran over 15 and 20 min: only 20 starts late
  h.sim.run(24 * MIN);
  // Each late Job is created when the finished Job's status is heard: its pod's status write
  // (1 ms), the Job controller's sync 1 s after that pod event (upstream syncJobBatchPeriod) and
  // its status write (1 ms), then the create's 1 ms.
  assert.deepEqual(started, ['cj-29453765@300.101s', 'cj-29453770@721.003s', 'cj-29453780@1381.003s']);
  assert.deepEqual(h.cron.activeJobs('default', 'cj'), ['cj-29453780']);
});

test('Forbid with startingDeadlineSeconds: a skipped time past its deadline is not started late; one within it is', () => {
  // The first Job finishes at 721.002 s (its pod at 720.001 s, the Job's sync 1 s later, as
  // above): 121 s after the skipped 600 s, past a 60 s deadline, within a 180 s one.
  for (const [deadline, want] of [[60, ['cj-29453765@300.101s', 'cj-29453775@900.101s']], [180, ['cj-29453765@300.101s', 'cj-29453770@721.003s']]] as const) {
    const h = harness();
    const started = jobsStarted(h);
    const cj = cronJob('Forbid');
    (cj.spec as { startingDeadlineSeconds: number }).startingDeadlineSeconds = deadline;
    h.api.createObject(cj);
    completeJobPodAt(h, 'cj-29453765', 12 * MIN); // 2 min after the skipped 10-min time
    h.sim.run(16 * MIN);
    assert.deepEqual(started, want, `deadline ${deadline} s`);
  }
});

// Upstream syncCronJob runs nextScheduleDelta (100 ms) after each time and finds it tooLate when
// time + startingDeadlineSeconds is before now: a deadline of 0 never starts a Job (the
// lookup from now − 0 finds no time at all), 1 s does.
test('startingDeadlineSeconds 0 starts no Job (the sync is 100 ms after the time); 1 starts each on time', () => {
  for (const [deadline, want] of [[0, []], [1, ['cj-29453765@300.101s', 'cj-29453770@600.101s']]] as const) {
    const h = harness();
    const started = jobsStarted(h);
    h.api.createObject(withSpec(cronJob('Allow'), { startingDeadlineSeconds: deadline }));
    h.sim.run(11 * MIN);
    assert.deepEqual(started, want, `deadline ${deadline}`);
  }
});

// Upstream mostRecentScheduleTime (utils.go) anchors @every at status.lastScheduleTime, or
// creationTimestamp before the first Job (issue #104012, PR #109250).
test('@every: Jobs every delay after the creation second, then after each scheduled time, 100 ms late; two times in one minute share a Job name', () => {
  const h = harness();
  const started = jobsStarted(h);
  h.sim.scheduleAt(30.5 * S, 'test.create', '', () => h.api.createObject(withSpec(cronJob('Allow'), { schedule: '@every 2m' })));
  h.sim.run(7 * MIN);
  // Created at 30.501 s (heard at 30.502 s): creationTimestamp 30 s; times 150, 270, 390 s.
  assert.deepEqual(started, ['cj-29453762@150.101s', 'cj-29453764@270.101s', 'cj-29453766@390.101s']);

  // @every 40s: times 40, 80, 120, 160, 200 s. 160 s is in the minute of 120 s, whose Job is
  // still active: already processed (its name), not recorded; 200 s starts as usual.
  const g = harness();
  const seen = jobsStarted(g);
  g.api.createObject(withSpec(cronJob('Allow'), { schedule: '@every 40s' }));
  g.sim.run(241 * S);
  assert.deepEqual(seen, ['cj-29453760@40.101s', 'cj-29453761@80.101s', 'cj-29453762@120.101s', 'cj-29453763@200.101s', 'cj-29453764@240.101s']);
});

test('@every from a snapshot: the next time is the delay after status.lastScheduleTime, or after creationTimestamp before the first Job', () => {
  const h = harness();
  const started = jobsStarted(h);
  const every = (name: string, md: object, status: object): WorkloadObject => {
    const o = withSpec(cronJob('Allow'), { schedule: '@every 5m' });
    return { ...o, metadata: { ...o.metadata, name, ...md }, status };
  };
  h.api.commitStartState({
    nodes: [],
    objects: [
      every('ran', { creationTimestamp: '2025-12-31T20:00:00Z' }, { lastScheduleTime: '2025-12-31T23:58:00Z' }),
      every('new', { creationTimestamp: '2025-12-31T23:59:30Z' }, {}),
    ],
    pods: [],
  });
  h.sim.run(5 * MIN);
  assert.deepEqual(started, ['ran-29453763@180.101s', 'new-29453764@270.101s']);
});

test('a suspended CronJob resumed starts the most recent missed time at once, unless its deadline has passed', () => {
  // Resumed at 13 min: the 5- and 10-minute times were missed; 10 starts at once (its deadline of
  // 60 s has passed: then it does not), then 15 and 20 on time.
  for (const [deadline, want] of [
    [undefined, ['cj-29453770@780.002s', 'cj-29453775@900.101s', 'cj-29453780@1200.101s']],
    [60, ['cj-29453775@900.101s', 'cj-29453780@1200.101s']],
  ] as const) {
    const h = harness();
    const started = jobsStarted(h);
    const spec = { ...(cronJob('Allow').spec as object), ...(deadline === undefined ? {} : { startingDeadlineSeconds: deadline }) };
    h.api.createObject({ ...cronJob('Allow'), spec: { ...spec, suspend: true } });
    h.sim.scheduleAt(13 * MIN, 'test.resume', '', () => h.api.updateObject({ ...cronJob('Allow'), spec: { ...spec, suspend: false } }));
    h.sim.run(21 * MIN);
    assert.deepEqual(started, want, `deadline ${String(deadline)}`);
  }
});

test('Forbid: a Job deleted while active lets the skipped time start late', () => {
  const h = harness();
  const started = jobsStarted(h);
  h.api.createObject(cronJob('Forbid'));
  h.sim.scheduleAt(11 * MIN, 'test.delete', '', () => h.api.deleteObject('Job', 'default', 'cj-29453765'));
  h.sim.run(12 * MIN);
  assert.deepEqual(started, ['cj-29453765@300.101s', 'cj-29453770@660.002s']);
});

test('a refused Job create leaves its time unmet: the next sync (here a CronJob update) starts it', () => {
  const h = harness();
  const started = jobsStarted(h);
  // A Job of the name the 5-minute time gives, made by hand (not owned): the create at 5 min is
  // refused (AlreadyExists). It is deleted at 6 min; the CronJob is updated at 7 min.
  h.api.createObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'cj-29453765', namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } });
  h.api.createObject(cronJob('Allow'));
  h.sim.scheduleAt(6 * MIN, 'test.delete', '', () => h.api.deleteObject('Job', 'default', 'cj-29453765'));
  h.sim.scheduleAt(7 * MIN, 'test.update', '', () => h.api.updateObject({ ...cronJob('Allow'), metadata: { name: 'cj', namespace: 'default', labels: { v: '2' } } }));
  h.sim.run(8 * MIN);
  assert.deepEqual(started, ['cj-29453765@0.001s', 'cj-29453765@420.002s']);
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

test('scenarios/jobs.yaml: the Job completes 6 pods 2 at a time; the Forbid CronJob starts at 5 min, then late for 10, 15 and 25 min as each run ends', () => {
  const run = prepareRun(loadScenario(fileURLToPath(new URL('../../../scenarios/jobs.yaml', import.meta.url))), { checkInvariants: true });
  run.sim.run(run.endUs);
  run.finish();
  const status = (name: string) => run.cluster.objects.get(`Job/default/${name}`)?.['status'] as { succeeded: number; conditions: { type: string }[]; completionTime: string; startTime: string } | undefined;
  assert.equal(status('render')?.succeeded, 6);
  assert.equal(status('render')?.conditions[0]?.type, 'Complete');
  // Each 7-minute run (created 100 ms after its time, upstream nextScheduleDelta, plus its pod's
  // start-up, plus the Job's sync 1 s after its pod ends, upstream syncJobBatchPeriod) overruns
  // the next time: that time is skipped and started late when the run ends (12:02, 19:06); the
  // third run overruns 20 and 25 min, and only 25 min starts late (26:07).
  assert.deepEqual(run.cluster.objectsOfKind('Job').map((o) => o.metadata.name).sort(), ['render', 'report-29453765', 'report-29453770', 'report-29453775', 'report-29453785']);
  assert.equal(status('report-29453765')?.completionTime, '2026-01-01T00:12:02Z');
  assert.equal(status('report-29453770')?.startTime, '2026-01-01T00:12:02Z');
  assert.equal(status('report-29453775')?.startTime, '2026-01-01T00:19:06Z');
  assert.equal(run.cluster.objects.get('Job/default/report-29453785')?.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-01-01T00:25:00Z');
  assert.equal(status('report-29453785'), undefined, 'still running at the end');
});

test('a suspended CronJob starts no Job; a changed schedule takes effect at once; a deleted one starts no more', () => {
  const suspended = harness();
  const none = jobsStarted(suspended);
  suspended.api.createObject({ ...cronJob('Allow'), spec: { ...(cronJob('Allow').spec as object), suspend: true } });
  suspended.sim.run(16 * MIN);
  assert.deepEqual(none, []);

  // */5 changed to */7 at 1 min: Jobs at 7 and 14 min, none at 5.
  const changed = harness();
  const seen = jobsStarted(changed);
  changed.api.createObject(cronJob('Allow'));
  changed.sim.scheduleAt(MIN, 'test.update', '', () => changed.api.updateObject({ ...cronJob('Allow'), spec: { ...(cronJob('Allow').spec as object), schedule: '*/7 * * * *' } }));
  changed.sim.run(15 * MIN);
  assert.deepEqual(seen, ['cj-29453767@420.101s', 'cj-29453774@840.101s']);

  const deleted = harness();
  const made = jobsStarted(deleted);
  deleted.api.createObject(cronJob('Allow'));
  deleted.sim.scheduleAt(6 * MIN, 'test.delete', '', () => deleted.api.deleteObject('CronJob', 'default', 'cj'));
  deleted.sim.run(21 * MIN);
  assert.deepEqual(made, ['cj-29453765@300.101s']);
});

test('a Job of a CronJob: named after the time, jobTemplate labels and annotations plus the scheduled timestamp, owned by the CronJob as controller', () => {
  const h = harness();
  const cj = cronJob('Allow');
  (cj.spec as { jobTemplate: object }).jobTemplate = { metadata: { labels: { team: 'a' }, annotations: { note: 'x' } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } };
  h.api.createObject({ ...cj, metadata: { ...cj.metadata, uid: 'u-1' } });
  h.sim.run(6 * MIN);
  const [job] = h.cluster.objectsOfKind('Job');
  assert.deepEqual(job?.metadata, {
    name: 'cj-29453765',
    namespace: 'default',
    labels: { team: 'a' },
    annotations: { note: 'x', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-01T00:05:00Z' },
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'u-1', controller: true, blockOwnerDeletion: true }],
  });
  // A change of the Job that does not finish it keeps it active; deleting it ends that.
  h.api.updateObject({ ...job!, metadata: { ...job!.metadata, labels: { team: 'b' } } });
  h.sim.run(7 * MIN);
  assert.deepEqual(h.cron.activeJobs('default', 'cj'), ['cj-29453765']);
  h.api.deleteObject('Job', 'default', 'cj-29453765');
  h.sim.run(8 * MIN);
  assert.deepEqual(h.cron.activeJobs('default', 'cj'), []);
});

test('a schedule with no time (February 30th) arms nothing, and the CronJob can be deleted', () => {
  const h = harness();
  h.api.createObject({ ...cronJob('Allow'), spec: { ...(cronJob('Allow').spec as object), schedule: '0 0 30 2 *' } });
  h.sim.run(MIN);
  assert.equal(h.sim.pending, 0);
  h.api.deleteObject('CronJob', 'default', 'cj');
  h.sim.run(2 * MIN);
  assert.equal(h.cluster.objectsOfKind('CronJob').length, 0);
});

test('Jobs a CronJob did not start as active: a finished one at the start, one deleted or finished that the watch has not told of yet', () => {
  // A finished Job of the CronJob in the start state is not active, and its name taken makes the
  // create at that time fail, which leaves nothing active.
  const h = harness();
  const done = { type: 'Complete', status: 'True' };
  const job = (name: string, conditions: object[]): WorkloadObject => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'cj', controller: true }] },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } }, status: { conditions },
  });
  h.api.commitStartState({ nodes: [], objects: [cronJob('Forbid'), job('cj-29453765', [done]), job('cj-1', [])], pods: [] });
  assert.deepEqual(h.cron.activeJobs('default', 'cj'), ['cj-1'], 'an unfinished Job of the CronJob at the start is active');
  h.api.deleteObject('Job', 'default', 'cj-1');
  h.sim.run(MIN);
  assert.deepEqual(h.cron.activeJobs('default', 'cj'), []);
  h.sim.run(6 * MIN);
  assert.deepEqual(h.cron.activeJobs('default', 'cj'), [], 'the create of cj-29453765 failed: AlreadyExists');

  // Watch delay 4 min: the Job deleted at 7 min is heard of only at 11 min, but the store says so
  // at the 10 min time, which Forbid reads: it starts the next Job.
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, { ...fixedLatencyApiConfig(1000), watchDelay: { kind: 'constant', value: 4 * MIN } }, new RandomStreams(1).stream('api'));
  const cron = new CronJobController(sim, api, new ObjectApi(api));
  api.createObject(cronJob('Forbid'));
  sim.scheduleAt(7 * MIN, 'test.delete', '', () => api.deleteObject('Job', 'default', 'cj-29453765'));
  sim.run(10 * MIN + 0.2 * S);
  // The CronJob is heard of at 4 min; its first Job is made at 5 min.
  assert.deepEqual(cluster.objectsOfKind('Job').map((o) => o.metadata.name), ['cj-29453770']);
  assert.deepEqual(cron.activeJobs('default', 'cj'), ['cj-29453770']);
});

/** A harness whose pods end `after` their creation, Succeeded or Failed. */
function endingPods(h: ReturnType<typeof harness>, phase: 'Succeeded' | 'Failed', after = MIN): void {
  h.api.watch({ podAdded: (p) => void h.sim.schedule(after, 'test.end', '', () => h.api.setPodPhase(p, phase)) });
}

function withSpec(cj: WorkloadObject, extra: Record<string, unknown>, jobSpec: Record<string, unknown> = {}): WorkloadObject {
  const spec = cj.spec as { jobTemplate: { spec: object } };
  return { ...cj, spec: { ...spec, ...extra, jobTemplate: { spec: { ...spec.jobTemplate.spec, ...jobSpec } } } };
}

test('history limits: the 3 newest Complete Jobs are kept by default, older ones and their pods deleted as each Job finishes', () => {
  const h = harness();
  endingPods(h, 'Succeeded');
  const deleted: string[] = [];
  h.api.watch({ objectDeleted: (o) => { if (o.kind === 'Job') deleted.push(`${o.metadata.name}@${h.sim.now / S}s`); } });
  h.api.createObject(cronJob('Allow'));
  h.sim.run(32 * MIN); // Jobs at 5, 10, ..., 30 min, each Complete a minute later
  assert.deepEqual(h.jobs(), ['cj-29453780', 'cj-29453785', 'cj-29453790']);
  assert.deepEqual(h.livePods(), ['cj-29453780', 'cj-29453785', 'cj-29453790'], 'the deleted Jobs\' pods are gone');
  // The 4th completion (at ~21 min) deletes the oldest, and so on: one deletion per completion.
  assert.deepEqual(deleted.map((d) => d.split('@')[0]), ['cj-29453765', 'cj-29453770', 'cj-29453775']);
  assert.ok(deleted.every((d, i) => Number(d.split('@')[1]!.replace('s', '')) > (20 + 5 * i) * 60), deleted.join(' '));
});

test('history limits: failedJobsHistoryLimit (default 1) keeps the newest Failed Job; a limit of 0 deletes each finished Job', () => {
  const failed = harness();
  endingPods(failed, 'Failed');
  failed.api.createObject(withSpec(cronJob('Allow'), {}, { backoffLimit: 0 }));
  failed.sim.run(17 * MIN); // Jobs at 5, 10, 15 min, each Failed a minute later
  assert.deepEqual(failed.jobs(), ['cj-29453775']);

  const none = harness();
  endingPods(none, 'Succeeded');
  none.api.createObject(withSpec(cronJob('Allow'), { successfulJobsHistoryLimit: 0 }));
  none.sim.run(12 * MIN);
  assert.deepEqual(none.jobs(), [], 'both Complete Jobs deleted');
  none.sim.run(15 * MIN + 10 * S);
  assert.deepEqual(none.jobs(), ['cj-29453775'], 'a running Job is never deleted');
});

test('history limits: a lowered limit applies at the CronJob update', () => {
  const h = harness();
  endingPods(h, 'Succeeded');
  h.api.createObject(withSpec(cronJob('Allow'), { successfulJobsHistoryLimit: 5 }));
  h.sim.run(17 * MIN);
  assert.deepEqual(h.jobs(), ['cj-29453765', 'cj-29453770', 'cj-29453775']);
  h.api.updateObject(withSpec(cronJob('Allow'), { successfulJobsHistoryLimit: 1 }));
  h.sim.run(18 * MIN);
  assert.deepEqual(h.jobs(), ['cj-29453775']);
});
