// Validation of the DaemonSet, StatefulSet, Job and CronJob manifests a scenario carries (and of
// the apps/v1 fields Deployments and ReplicaSets share with them): exact messages
// (file:line:col: field path: expected ..., got ...).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from './scenario.js';
import { tempDir } from '../testing/temp-dir.js';

function scenario(manifest: string): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 10m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
  - name: w
    manifest: ${manifest}
`;
}

const POD = `{ containers: [{ name: c, image: x }] }`;
const POD_NEVER = `{ restartPolicy: Never, containers: [{ name: c, image: x }] }`;

const CASES: [string, string, string][] = [
  ['a DaemonSet needs a selector', `{ apiVersion: apps/v1, kind: DaemonSet, metadata: { name: d }, spec: { template: { spec: ${POD} } } }`,
    'k.yaml:8:84: workload[0].manifest.spec.selector: expected a label selector (apps/v1 requires one), got nothing'],
  ['a DaemonSet selector must match the template labels', `{ apiVersion: apps/v1, kind: DaemonSet, metadata: { name: d }, spec: { selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: c } }, spec: ${POD} } } }`,
    'k.yaml:8:155: workload[0].manifest.spec.template.metadata.labels: expected labels that match spec.selector (selector does not match template labels)'],
  ['a DaemonSet pod restarts Always', `{ apiVersion: apps/v1, kind: DaemonSet, metadata: { name: d }, spec: { selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: ${POD_NEVER} } } }`,
    `k.yaml:8:190: workload[0].manifest.spec.template.spec.restartPolicy: expected Always (a DaemonSet's pods always restart), got "Never"`],
  ['a Job pod needs restartPolicy Never or OnFailure', `{ apiVersion: batch/v1, kind: Job, metadata: { name: j }, spec: { template: { spec: ${POD} } } }`,
    'k.yaml:8:99: workload[0].manifest.spec.template.spec.restartPolicy: expected OnFailure or Never, got nothing'],
  ['Job parallelism is a non-negative integer', `{ apiVersion: batch/v1, kind: Job, metadata: { name: j }, spec: { parallelism: -1, template: { spec: ${POD_NEVER} } } }`,
    'k.yaml:8:94: workload[0].manifest.spec.parallelism: expected an integer >= 0, got -1'],
  ['Job backoffLimit is an integer', `{ apiVersion: batch/v1, kind: Job, metadata: { name: j }, spec: { backoffLimit: 1.5, template: { spec: ${POD_NEVER} } } }`,
    'k.yaml:8:95: workload[0].manifest.spec.backoffLimit: expected an integer >= 0, got 1.5'],
  ['Job ttlSecondsAfterFinished is a non-negative integer', `{ apiVersion: batch/v1, kind: Job, metadata: { name: j }, spec: { ttlSecondsAfterFinished: -5, template: { spec: ${POD_NEVER} } } }`,
    'k.yaml:8:106: workload[0].manifest.spec.ttlSecondsAfterFinished: expected an integer >= 0, got -5'],
  ['an Indexed Job needs completions', `{ apiVersion: batch/v1, kind: Job, metadata: { name: j }, spec: { completionMode: Indexed, template: { spec: ${POD_NEVER} } } }`,
    'k.yaml:8:79: workload[0].manifest.spec.completions: expected completions (required when completionMode is Indexed)'],
  ['a completionMode is NonIndexed or Indexed', `{ apiVersion: batch/v1, kind: Job, metadata: { name: j }, spec: { completionMode: indexed, completions: 2, template: { spec: ${POD_NEVER} } } }`,
    'k.yaml:8:97: workload[0].manifest.spec.completionMode: expected NonIndexed or Indexed, got "indexed"'],
  ['backoffLimitPerIndex needs an Indexed Job', `{ apiVersion: batch/v1, kind: Job, metadata: { name: j }, spec: { backoffLimitPerIndex: 1, template: { spec: ${POD_NEVER} } } }`,
    'k.yaml:8:103: workload[0].manifest.spec.backoffLimitPerIndex: expected no backoffLimitPerIndex (it requires completionMode Indexed), got 1'],
  ['a CronJob schedule has 5 fields', `{ apiVersion: batch/v1, kind: CronJob, metadata: { name: c }, spec: { schedule: "* * *", jobTemplate: { spec: { template: { spec: ${POD_NEVER} } } } } }`,
    'k.yaml:8:95: workload[0].manifest.spec.schedule: expected a cron schedule of 5 fields (minute hour day-of-month month day-of-week) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>, got "* * *"'],
  ['a CronJob concurrencyPolicy is Allow, Forbid or Replace', `{ apiVersion: batch/v1, kind: CronJob, metadata: { name: c }, spec: { schedule: "* * * * *", concurrencyPolicy: Sometimes, jobTemplate: { spec: { template: { spec: ${POD_NEVER} } } } } }`,
    'k.yaml:8:127: workload[0].manifest.spec.concurrencyPolicy: expected Allow, Forbid or Replace, got "Sometimes"'],
  ['a CronJob history limit is a non-negative integer', `{ apiVersion: batch/v1, kind: CronJob, metadata: { name: c }, spec: { schedule: "* * * * *", successfulJobsHistoryLimit: -1, jobTemplate: { spec: { template: { spec: ${POD_NEVER} } } } } }`,
    'k.yaml:8:136: workload[0].manifest.spec.successfulJobsHistoryLimit: expected an integer >= 0, got -1'],
  ['a CronJob failed history limit is an integer', `{ apiVersion: batch/v1, kind: CronJob, metadata: { name: c }, spec: { schedule: "* * * * *", failedJobsHistoryLimit: two, jobTemplate: { spec: { template: { spec: ${POD_NEVER} } } } } }`,
    'k.yaml:8:132: workload[0].manifest.spec.failedJobsHistoryLimit: expected an integer >= 0, got "two"'],
  ['a CronJob job template is a Job spec', `{ apiVersion: batch/v1, kind: CronJob, metadata: { name: c }, spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: ${POD} } } } } }`,
    'k.yaml:8:149: workload[0].manifest.spec.jobTemplate.spec.template.spec.restartPolicy: expected OnFailure or Never, got nothing'],
];

for (const [name, manifest, message] of CASES) {
  test(name, () => {
    assert.throws(() => parseScenario(scenario(manifest), 'k.yaml'), (e: Error) => {
      assert.equal(e.message, message);
      return true;
    });
  });
}

test('valid DaemonSet, Job and CronJob manifests carry the workload name to their pod templates', () => {
  const s = parseScenario(scenario(`{ apiVersion: batch/v1, kind: CronJob, metadata: { name: c }, spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: ${POD_NEVER} } } } } }`), 'k.yaml');
  const m = s.workload[0]!.manifests[0] as unknown as { spec: { jobTemplate: { spec: { template: { metadata: { annotations: Record<string, string> } } } } } };
  assert.deepEqual(m.spec.jobTemplate.spec.template.metadata.annotations, { 'ksim.io/workload': 'w' });
});

test('a CronJob timeZone other than UTC is a warning (schedules run in UTC); UTC and none are not', () => {
  const cron = (tz: string) => scenario(`{ apiVersion: batch/v1, kind: CronJob, metadata: { name: c }, spec: { schedule: "0 2 * * *",${tz} jobTemplate: { spec: { template: { spec: ${POD_NEVER} } } } } }`);
  assert.deepEqual(parseScenario(cron(' timeZone: Europe/Berlin,'), 'k.yaml').warnings, [
    'k.yaml:8:118: workload[0].manifest.spec.timeZone: "Europe/Berlin" is not simulated: the schedule runs in UTC (t = 0 is 2026-01-01T00:00:00Z)',
  ]);
  assert.deepEqual(parseScenario(cron(' timeZone: Etc/UTC,'), 'k.yaml').warnings, []);
  assert.deepEqual(parseScenario(cron(''), 'k.yaml').warnings, []);
  // A name the time zone database does not hold, or "Local", is refused (upstream
  // validateTimeZone), as the API server refuses it.
  for (const tz of ['Mars/Phobos', 'Local']) {
    assert.throws(() => parseScenario(cron(` timeZone: ${tz},`), 'k.yaml'), new RegExp(`spec\\.timeZone: expected a time zone name of the IANA database, such as Europe/Berlin or UTC, got "${tz}"`));
  }
});

test('a CronJob in a cluster snapshot with a timeZone gets the same warning', () => {
  const dir = tempDir('ksim-cronjob-tz-');
  writeFileSync(join(dir, 'cj.yaml'), `apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly, namespace: default }
spec:
  schedule: "0 2 * * *"
  timeZone: America/New_York
  jobTemplate: { spec: { template: { spec: ${POD_NEVER} } } }
`);
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 16Gi } }]
  file: cj.yaml
`;
  const warnings = parseScenario(text, join(dir, 's.yaml')).warnings.map((w) => w.slice(dir.length + 1));
  assert.deepEqual(warnings, ['cj.yaml:6:13: spec.timeZone: "America/New_York" is not simulated: the schedule runs in UTC (t = 0 is 2026-01-01T00:00:00Z)']);
});

const STS_TEMPLATE = `selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: ${POD} }`;
const STS_CASES: [string, string, string][] = [
  ['a StatefulSet podManagementPolicy is OrderedReady or Parallel', `{ apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { podManagementPolicy: Random, ${STS_TEMPLATE} } }`,
    'k.yaml:8:109: workload[0].manifest.spec.podManagementPolicy: expected OrderedReady or Parallel, got "Random"'],
  ['StatefulSet replicas are a non-negative integer', `{ apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { replicas: -2, ${STS_TEMPLATE} } }`,
    'k.yaml:8:98: workload[0].manifest.spec.replicas: expected an integer >= 0, got -2'],
  ['a StatefulSet needs a selector', `{ apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { template: { spec: ${POD} } } }`,
    'k.yaml:8:86: workload[0].manifest.spec.selector: expected a label selector (apps/v1 requires one), got nothing'],
  ['a StatefulSet pod restarts Always', `{ apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: ${POD_NEVER} } } }`,
    `k.yaml:8:192: workload[0].manifest.spec.template.spec.restartPolicy: expected Always (a StatefulSet's pods always restart), got "Never"`],
  ['a StatefulSet updateStrategy is RollingUpdate or OnDelete', `{ apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { updateStrategy: { type: Recreate }, ${STS_TEMPLATE} } }`,
    'k.yaml:8:112: workload[0].manifest.spec.updateStrategy.type: expected RollingUpdate or OnDelete, got "Recreate"'],
];

for (const [name, manifest, message] of STS_CASES) {
  test(name, () => {
    assert.throws(() => parseScenario(scenario(manifest), 'k.yaml'), (e: Error) => {
      assert.equal(e.message, message);
      return true;
    });
  });
}

test('a valid StatefulSet carries the workload name to its pod template', () => {
  const s = parseScenario(scenario(`{ apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { ${STS_TEMPLATE} } }`), 'k.yaml');
  const m = s.workload[0]!.manifests[0] as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } };
  assert.deepEqual(m.spec.template.metadata.annotations, { 'ksim.io/workload': 'w' });
});

/** The column of `needle`'s first occurrence in a manifest written on line 8 after "    manifest: ". */
function col(manifest: string, needle: string): number {
  const i = manifest.indexOf(needle);
  assert.ok(i >= 0, needle);
  return 15 + i;
}

const POD_DEADLINE = (s: number) => `{ activeDeadlineSeconds: ${s}, containers: [{ name: c, image: x }] }`;
const TEMPLATE_WITH = (pod: string) => `selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: ${pod} }`;

// Upstream ValidatePodTemplateSpecForReplicaSet (a Deployment's template too), ValidateStatefulSetSpec
// and ValidateDaemonSetSpec: Forbidden "activeDeadlineSeconds in <Kind> is not Supported".
const DEADLINE_CASES: [string, string, string][] = [
  ['Deployment', 'ReplicaSet', `{ apiVersion: apps/v1, kind: Deployment, metadata: { name: d }, spec: { ${TEMPLATE_WITH(POD_DEADLINE(20))} } }`],
  ['ReplicaSet', 'ReplicaSet', `{ apiVersion: apps/v1, kind: ReplicaSet, metadata: { name: r }, spec: { ${TEMPLATE_WITH(POD_DEADLINE(20))} } }`],
  ['StatefulSet', 'StatefulSet', `{ apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { ${TEMPLATE_WITH(POD_DEADLINE(20))} } }`],
  ['DaemonSet', 'DaemonSet', `{ apiVersion: apps/v1, kind: DaemonSet, metadata: { name: n }, spec: { ${TEMPLATE_WITH(POD_DEADLINE(20))} } }`],
];

for (const [kind, upstreamKind, manifest] of DEADLINE_CASES) {
  test(`a ${kind}'s pod template may not set activeDeadlineSeconds (its pods would be killed and replaced forever)`, () => {
    assert.throws(() => parseScenario(scenario(manifest), 'k.yaml'), (e: Error) => {
      assert.equal(e.message, `k.yaml:8:${col(manifest, '20')}: workload[0].manifest.spec.template.spec.activeDeadlineSeconds: expected no activeDeadlineSeconds (activeDeadlineSeconds in ${upstreamKind} is not Supported: a ${kind}'s pods run until it replaces them), got 20`);
      return true;
    });
  });
}

test('an activeDeadlineSeconds of 0 in a StatefulSet template is refused as set, not as out of range', () => {
  const manifest = `{ apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { ${TEMPLATE_WITH(POD_DEADLINE(0))} } }`;
  assert.throws(() => parseScenario(scenario(manifest), 'k.yaml'), /activeDeadlineSeconds: expected no activeDeadlineSeconds \(activeDeadlineSeconds in StatefulSet is not Supported/);
});

test('a Job\'s and a bare Pod\'s activeDeadlineSeconds still load', () => {
  assert.equal(parseScenario(scenario(`{ apiVersion: batch/v1, kind: Job, metadata: { name: j }, spec: { template: { spec: { activeDeadlineSeconds: 20, restartPolicy: Never, containers: [{ name: c, image: x }] } } } }`), 'k.yaml').workload.length, 1);
  assert.equal(parseScenario(scenario(`{ apiVersion: v1, kind: Pod, metadata: { name: p }, spec: ${POD_DEADLINE(20)} }`), 'k.yaml').workload.length, 1);
});

const DS = (spec: string) => `{ apiVersion: apps/v1, kind: DaemonSet, metadata: { name: n }, spec: { ${spec}${STS_TEMPLATE} } }`;
const STS = (spec: string) => `{ apiVersion: apps/v1, kind: StatefulSet, metadata: { name: s }, spec: { ${spec}${STS_TEMPLATE} } }`;

// Upstream ValidateDaemonSetUpdateStrategy / ValidateRollingUpdateDaemonSet, on the strategy as
// the API defaults it (pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet: type RollingUpdate,
// maxUnavailable 1, maxSurge 0), and ValidateStatefulSetSpec / validateRollingUpdateStatefulSet.
// [name, manifest, the value the error points at, the rest of the message]
const STRATEGY_CASES: [string, string, string, string][] = [
  ['a DaemonSet updateStrategy type is RollingUpdate or OnDelete', DS('updateStrategy: { type: Blue }, '), 'Blue',
    'spec.updateStrategy.type: expected RollingUpdate or OnDelete, got "Blue"'],
  ['a DaemonSet maxSurge may not be set while maxUnavailable is its default 1', DS('updateStrategy: { rollingUpdate: { maxSurge: 1 } }, '), '1 }',
    'spec.updateStrategy.rollingUpdate.maxSurge: expected 0 while maxUnavailable is 1, its default (may not be set when maxUnavailable is non-zero: set maxUnavailable to 0 to surge), got 1'],
  ['a DaemonSet maxSurge may not be set while maxUnavailable is non-zero', DS('updateStrategy: { type: RollingUpdate, rollingUpdate: { maxSurge: "10%", maxUnavailable: 2 } }, '), '"10%"',
    'spec.updateStrategy.rollingUpdate.maxSurge: expected 0 while maxUnavailable is 2 (may not be set when maxUnavailable is non-zero: set maxUnavailable to 0 to surge), got "10%"'],
  ['a DaemonSet maxUnavailable of 0 needs a maxSurge (it defaults to 0)', DS('updateStrategy: { rollingUpdate: { maxUnavailable: 0 } }, '), '0 }',
    'spec.updateStrategy.rollingUpdate.maxUnavailable: expected a value other than 0 when maxSurge is 0, its default (cannot be 0 when maxSurge is 0), got 0'],
  ['a DaemonSet maxUnavailable and maxSurge may not both be 0', DS('updateStrategy: { rollingUpdate: { maxUnavailable: "0%", maxSurge: 0 } }, '), '"0%"',
    'spec.updateStrategy.rollingUpdate.maxUnavailable: expected a value other than 0 when maxSurge is 0 (cannot be 0 when maxSurge is 0), got "0%"'],
  ['a DaemonSet maxUnavailable is at most 100%', DS('updateStrategy: { rollingUpdate: { maxUnavailable: "150%" } }, '), '"150%"',
    'spec.updateStrategy.rollingUpdate.maxUnavailable: expected a percentage no larger than 100% (must not be greater than 100%), got "150%"'],
  ['a DaemonSet maxSurge is at most 100%', DS('updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: "120%" } }, '), '"120%"',
    'spec.updateStrategy.rollingUpdate.maxSurge: expected a percentage no larger than 100% (must not be greater than 100%), got "120%"'],
  ['a DaemonSet maxSurge is a non-negative integer or a percentage', DS('updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: -1 } }, '), '-1',
    'spec.updateStrategy.rollingUpdate.maxSurge: expected a non-negative integer or a percentage such as "25%", got -1'],
  ['a StatefulSet rollingUpdate is only for type RollingUpdate', STS('updateStrategy: { type: OnDelete, rollingUpdate: { partition: 0 } }, '), '{ partition',
    `spec.updateStrategy.rollingUpdate: expected no rollingUpdate when the updateStrategy type is OnDelete (only allowed for updateStrategy 'RollingUpdate'), got a mapping`],
  ['a StatefulSet partition is not negative', STS('updateStrategy: { rollingUpdate: { partition: -1 } }, '), '-1',
    'spec.updateStrategy.rollingUpdate.partition: expected an integer >= 0, got -1'],
];

for (const [name, manifest, at, message] of STRATEGY_CASES) {
  test(name, () => {
    assert.throws(() => parseScenario(scenario(manifest), 'k.yaml'), (e: Error) => {
      assert.equal(e.message, `k.yaml:8:${col(manifest, at)}: workload[0].manifest.${message}`);
      return true;
    });
  });
}

test('a StatefulSet rollingUpdate.maxUnavailable is dropped unvalidated (0, "0%", -2, "150%" load, and the stored set has none), as a v1.36 API server drops it with MaxUnavailableStatefulSet off (pkg/registry/apps/statefulset/strategy.go dropStatefulSetDisabledFields before validation)', () => {
  for (const v of ['0', '"0%"', '-2', '"150%"', '2']) {
    const s = parseScenario(scenario(STS(`updateStrategy: { type: RollingUpdate, rollingUpdate: { partition: 1, maxUnavailable: ${v} } }, `)), 'k.yaml');
    const spec = s.workload[0]!.manifests[0]!.spec as { updateStrategy?: { rollingUpdate?: Record<string, unknown> } };
    assert.deepEqual(spec.updateStrategy?.rollingUpdate, { partition: 1 });
  }
});

test('update strategies as a v1.36 API server stores them load without a warning (a DaemonSet\'s OnDelete with a rollingUpdate too: upstream checks it only for RollingUpdate)', () => {
  for (const manifest of [
    DS('updateStrategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }, revisionHistoryLimit: 10, '),
    DS('updateStrategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } }, '),
    DS('updateStrategy: { rollingUpdate: { maxUnavailable: "100%" } }, '),
    DS('updateStrategy: { type: OnDelete, rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }, '),
    STS('updateStrategy: { type: RollingUpdate, rollingUpdate: { partition: 0, maxUnavailable: 1 } }, persistentVolumeClaimRetentionPolicy: { whenDeleted: Retain, whenScaled: Delete }, minReadySeconds: 10, '),
    STS('updateStrategy: { type: OnDelete }, '),
    STS('updateStrategy: { rollingUpdate: { partition: 3, maxUnavailable: "50%" } }, '),
  ]) {
    assert.deepEqual(parseScenario(scenario(manifest), 'k.yaml').warnings, [], manifest);
  }
});

const DEP = (spec: string) => `{ apiVersion: apps/v1, kind: Deployment, metadata: { name: d }, spec: { ${spec}${STS_TEMPLATE} } }`;
const RS = (spec: string) => `{ apiVersion: apps/v1, kind: ReplicaSet, metadata: { name: r }, spec: { ${spec}${STS_TEMPLATE} } }`;

// Upstream ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec and
// ValidateDaemonSetSpec: minReadySeconds and revisionHistoryLimit non-negative,
// progressDeadlineSeconds (defaulted to 600) greater than minReadySeconds.
const COUNTER_CASES: [string, string, string, string][] = [
  ['a Deployment minReadySeconds is not negative', DEP('minReadySeconds: -1, '), '-1', 'spec.minReadySeconds: expected an integer >= 0, got -1'],
  ['a ReplicaSet minReadySeconds is not negative', RS('minReadySeconds: -1, '), '-1', 'spec.minReadySeconds: expected an integer >= 0, got -1'],
  ['a StatefulSet minReadySeconds is not negative', STS('minReadySeconds: -1, '), '-1', 'spec.minReadySeconds: expected an integer >= 0, got -1'],
  ['a DaemonSet minReadySeconds is an integer', DS('minReadySeconds: 1.5, '), '1.5', 'spec.minReadySeconds: expected an integer >= 0, got 1.5'],
  ['a Deployment revisionHistoryLimit is not negative', DEP('revisionHistoryLimit: -1, '), '-1', 'spec.revisionHistoryLimit: expected an integer >= 0, got -1'],
  ['a DaemonSet revisionHistoryLimit is not negative', DS('revisionHistoryLimit: -3, '), '-3', 'spec.revisionHistoryLimit: expected an integer >= 0, got -3'],
  ['a Deployment progressDeadlineSeconds is not negative', DEP('progressDeadlineSeconds: -1, '), '-1', 'spec.progressDeadlineSeconds: expected an integer >= 0, got -1'],
  ['a Deployment progressDeadlineSeconds is greater than minReadySeconds', DEP('minReadySeconds: 30, progressDeadlineSeconds: 30, '), '30, selector',
    'spec.progressDeadlineSeconds: expected an integer greater than minReadySeconds 30 (must be greater than minReadySeconds), got 30'],
  ['a Deployment minReadySeconds of 600 or more needs a progressDeadlineSeconds above it (its default is 600)', DEP('minReadySeconds: 900, '), '{ minReadySeconds',
    'spec.progressDeadlineSeconds: expected a progressDeadlineSeconds greater than minReadySeconds 900 (must be greater than minReadySeconds; the API server defaults it to 600)'],
  ['a StatefulSet PVC retention policy is Retain or Delete', STS('persistentVolumeClaimRetentionPolicy: { whenScaled: Keep }, '), 'Keep',
    'spec.persistentVolumeClaimRetentionPolicy.whenScaled: expected Retain or Delete, got "Keep"'],
];

for (const [name, manifest, at, message] of COUNTER_CASES) {
  test(name, () => {
    assert.throws(() => parseScenario(scenario(manifest), 'k.yaml'), (e: Error) => {
      assert.equal(e.message, `k.yaml:8:${col(manifest, at)}: workload[0].manifest.${message}`);
      return true;
    });
  });
}

test('a Deployment as a v1.36 API server stores it loads without a warning; a minReadySeconds above 600 loads with a progressDeadlineSeconds above it', () => {
  for (const manifest of [
    DEP('strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, minReadySeconds: 0, '),
    DEP('minReadySeconds: 900, progressDeadlineSeconds: 901, revisionHistoryLimit: 0, '),
    DEP('strategy: { type: "" }, '),
    RS('minReadySeconds: 5, '),
  ]) {
    assert.deepEqual(parseScenario(scenario(manifest), 'k.yaml').warnings, [], manifest);
  }
});

const RQ_CASES: [string, string, string][] = [
  ['a ResourceQuota hard amount is a non-negative quantity', `{ apiVersion: v1, kind: ResourceQuota, metadata: { name: q }, spec: { hard: { requests.cpu: "-1" } } }`,
    'k.yaml:8:107: workload[0].manifest.spec.hard.requests.cpu: expected a non-negative quantity, got "-1"'],
  ['a ResourceQuota pod count is a whole number', `{ apiVersion: v1, kind: ResourceQuota, metadata: { name: q }, spec: { hard: { pods: 1.5 } } }`,
    'k.yaml:8:99: workload[0].manifest.spec.hard.pods: expected a whole number (pods counts objects or devices: must be an integer), got 1.5'],
  ['a ResourceQuota hard is a mapping', `{ apiVersion: v1, kind: ResourceQuota, metadata: { name: q }, spec: { hard: [cpu] } }`,
    'k.yaml:8:91: workload[0].manifest.spec.hard: expected a mapping of resource names to quantities, got a list'],
];

for (const [name, manifest, message] of RQ_CASES) {
  test(name, () => {
    assert.throws(() => parseScenario(scenario(manifest), 'k.yaml'), (e: Error) => {
      assert.equal(e.message, message);
      return true;
    });
  });
}

test('an Indexed Job loads; backoffLimitPerIndex (with FailIndex rules, maxFailedIndexes) and successPolicy load with a warning: not simulated', () => {
  const job = (extra: string) => scenario(`{ apiVersion: batch/v1, kind: Job, metadata: { name: j }, spec: { completionMode: Indexed, completions: 3,${extra} template: { spec: ${POD_NEVER} } } }`);
  assert.deepEqual(parseScenario(job(''), 'k.yaml').warnings, []);
  const w = parseScenario(job(' backoffLimitPerIndex: 1, maxFailedIndexes: 1, podFailurePolicy: { rules: [{ action: FailIndex, onPodConditions: [{ type: DisruptionTarget }] }] },'), 'k.yaml').warnings;
  assert.equal(w.length, 1, w.join('\n'));
  assert.match(w[0]!, /spec\.backoffLimitPerIndex: is not simulated: an index is retried until it succeeds, failures counting against backoffLimit \(which then defaults to 2147483647, as the API server sets it\); maxFailedIndexes is not enforced/);
  assert.match(parseScenario(job(' successPolicy: { rules: [{ succeededCount: 1 }] },'), 'k.yaml').warnings.join(''), /spec\.successPolicy: is not simulated/);
  assert.throws(() => parseScenario(job(' maxFailedIndexes: 1,'), 'k.yaml'), /backoffLimitPerIndex \(required when maxFailedIndexes is set\)/);
  assert.throws(() => parseScenario(job(' podFailurePolicy: { rules: [{ action: FailIndex, onPodConditions: [{ type: DisruptionTarget }] }] },'), 'k.yaml'), /FailIndex needs backoffLimitPerIndex/);
});

// Upstream pkg/apis/batch/validation/validation.go: validatePodReplacementPolicy,
// validateSuccessPolicy(Rule), validatePodFailurePolicy(Rule, RuleOnExitCodes,
// RuleOnPodConditions), ValidateJob's Indexed hostname check, ValidateCronJobCreate's name
// length; and the Job strategy's job-name labels (pkg/registry/batch/job/strategy.go
// generateSelector), whose values ValidatePodTemplateSpec limits to 63 characters.
const JOB = (name: string, spec: string, pod = POD_NEVER) => `{ apiVersion: batch/v1, kind: Job, metadata: { name: ${name} }, spec: { ${spec}template: { spec: ${pod} } } }`;
const IDX = (spec: string) => JOB('j', `completionMode: Indexed, completions: 3, ${spec}`);
const PFP = (rules: string, pod = POD_NEVER) => JOB('j', `podFailurePolicy: { rules: [${rules}] }, `, pod);
const BATCH_CASES: [string, string, string, string][] = [
  ['podReplacementPolicy is Failed or TerminatingOrFailed', JOB('j', 'podReplacementPolicy: Never, '), 'Never',
    'spec.podReplacementPolicy: expected Failed or TerminatingOrFailed, got "Never"'],
  ['podReplacementPolicy TerminatingOrFailed is refused with a podFailurePolicy', JOB('j', 'podReplacementPolicy: TerminatingOrFailed, podFailurePolicy: { rules: [{ action: Ignore, onPodConditions: [{ type: DisruptionTarget }] }] }, '), 'TerminatingOrFailed',
    'spec.podReplacementPolicy: expected Failed (the only podReplacementPolicy allowed with a podFailurePolicy), got "TerminatingOrFailed"'],
  ['a successPolicy needs an Indexed Job', JOB('j', 'completions: 3, successPolicy: { rules: [{ succeededCount: 1 }] }, '), '{ rules: [{ succeededCount',
    'spec.successPolicy: expected no successPolicy (it requires completionMode Indexed), got a successPolicy on a NonIndexed Job'],
  ['a successPolicy has rules', IDX('successPolicy: { rules: [] }, '), '[] }',
    'spec.successPolicy.rules: expected a non-empty list of rules (at least one rule is required when the successPolicy is specified), got an empty list'],
  ['a successPolicy rule has succeededCount or succeededIndexes', IDX('successPolicy: { rules: [{}] }, '), '{} ]'.replace(' ', ''),
    'spec.successPolicy.rules[0]: expected succeededCount or succeededIndexes (at least one of them must be specified)'],
  ['a successPolicy succeededCount is at most completions', IDX('successPolicy: { rules: [{ succeededCount: 5 }] }, '), '5 }',
    'spec.successPolicy.rules[0].succeededCount: expected at most 3 (the number of specified completions), got 5'],
  ['a successPolicy succeededCount is at most the number of succeededIndexes', IDX('successPolicy: { rules: [{ succeededIndexes: "0,2", succeededCount: 3 }] }, '), '3 }',
    'spec.successPolicy.rules[0].succeededCount: expected at most 2 (the number of indexes in succeededIndexes), got 3'],
  ['successPolicy succeededIndexes are below completions', IDX('successPolicy: { rules: [{ succeededIndexes: "0-7" }] }, '), '"0-7"',
    'spec.successPolicy.rules[0].succeededIndexes: expected indexes such as "0-2,5" within 0-2 (completions 3), in ascending order: too large index: "7", got "0-7"'],
  ['successPolicy succeededIndexes are in ascending order', IDX('successPolicy: { rules: [{ succeededIndexes: "2,0" }] }, '), '"2,0"',
    'spec.successPolicy.rules[0].succeededIndexes: expected indexes such as "0-2,5" within 0-2 (completions 3), in ascending order: non-increasing order, previous: 2, current: 0, got "2,0"'],
  ['podFailurePolicy onExitCodes In may not hold 0', PFP('{ action: FailJob, onExitCodes: { operator: In, values: [0] } }'), '0] }',
    'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: expected an exit code other than 0 (0 must not be used with the In operator: a container that exits 0 succeeded), got 0'],
  ['podFailurePolicy onExitCodes containerName is one of the template\'s containers', PFP('{ action: FailJob, onExitCodes: { containerName: nope, operator: In, values: [3] } }'), 'nope',
    'spec.podFailurePolicy.rules[0].onExitCodes.containerName: expected one of the container or initContainer names in the pod template ("c"), got "nope"'],
  ['podFailurePolicy onExitCodes values are ordered', PFP('{ action: FailJob, onExitCodes: { operator: NotIn, values: [3, 1] } }'), '[3, 1]',
    'spec.podFailurePolicy.rules[0].onExitCodes.values: expected exit codes in ascending order (must be ordered: 3 comes before 1), got [3,1]'],
  ['podFailurePolicy onExitCodes values hold no duplicates', PFP('{ action: FailJob, onExitCodes: { operator: NotIn, values: [1, 1] } }'), '1] }',
    'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: expected an exit code not listed before (duplicate value), got 1'],
  ['a podFailurePolicy rule needs onExitCodes or a non-empty onPodConditions', PFP('{ action: Ignore, onPodConditions: [] }'), '{ action: Ignore',
    'spec.podFailurePolicy.rules[0]: expected one of onExitCodes or onPodConditions (specifying one of them is required)'],
  ['a podFailurePolicy onPodConditions type is a qualified name', PFP('{ action: Ignore, onPodConditions: [{ type: "bad type" }] }'), '"bad type"',
    'spec.podFailurePolicy.rules[0].onPodConditions[0].type: expected a pod condition type (a qualified name such as DisruptionTarget), got "bad type"'],
  ['an Indexed Job\'s name makes its last hostname a DNS label', JOB('n'.repeat(62), 'completionMode: Indexed, completions: 1, '), 'n'.repeat(62),
    'metadata.name: expected a name short enough that <name>-0, the hostname of the Indexed Job\'s pod of index 0, is a DNS label (at most 63 characters, no "."; upstream: will not able to create pod with invalid DNS label), got 62 characters, making "' + 'n'.repeat(62) + '-0" (64)'],
  ['an Indexed Job of 2 completions with a 63-character name is refused', JOB('a'.repeat(63), 'completionMode: Indexed, completions: 2, '), 'a'.repeat(63),
    'metadata.name: expected a name short enough that <name>-1, the hostname of the Indexed Job\'s pod of index 1, is a DNS label (at most 63 characters, no "."; upstream: will not able to create pod with invalid DNS label), got 63 characters, making "' + 'a'.repeat(63) + '-1" (65)'],
  ['a Job name over 63 characters is refused (its job-name label values)', JOB('n'.repeat(64), ''), 'n'.repeat(64),
    'metadata.name: expected a name of at most 63 characters (the API server writes it into the pod template\'s job-name labels, whose values must be no more than 63 characters: spec.template.labels: Invalid value), got 64 characters'],
  ['a CronJob name is at most 52 characters', `{ apiVersion: batch/v1, kind: CronJob, metadata: { name: ${'c'.repeat(53)} }, spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: ${POD_NEVER} } } } } }`, 'c'.repeat(53),
    'metadata.name: expected a CronJob name of at most 52 characters (its Jobs are named <name>-<11-character scheduled time>, at most 63), got 53 characters'],
];

for (const [name, manifest, at, message] of BATCH_CASES) {
  test(name, () => {
    assert.throws(() => parseScenario(scenario(manifest), 'k.yaml'), (e: Error) => {
      assert.equal(e.message, `k.yaml:8:${col(manifest, at)}: workload[0].manifest.${message}`);
      return true;
    });
  });
}

test('Jobs and CronJobs at the limits upstream allows load: podFailurePolicy rules of the docs, successPolicy, podReplacementPolicy, names of 63 and 52 characters', () => {
  for (const manifest of [
    // kubernetes/website content/en/examples/controllers/job-pod-failure-policy-example.yaml
    JOB('job-pod-failure-policy-example', 'completions: 12, parallelism: 3, backoffLimit: 6, podFailurePolicy: { rules: [{ action: FailJob, onExitCodes: { containerName: main, operator: In, values: [42] } }, { action: Ignore, onPodConditions: [{ type: DisruptionTarget, status: "True" }] }] }, ',
      '{ restartPolicy: Never, containers: [{ name: main, image: bash }] }'),
    // content/en/examples/controllers/job-success-policy.yaml
    JOB('job-success', 'parallelism: 10, completions: 10, completionMode: Indexed, successPolicy: { rules: [{ succeededIndexes: "0,2-3", succeededCount: 1 }] }, '),
    // an init container's name; NotIn with 0; a custom condition type
    JOB('j', 'podReplacementPolicy: Failed, podFailurePolicy: { rules: [{ action: Count, onExitCodes: { containerName: init, operator: NotIn, values: [0, 1, 2] } }, { action: Ignore, onPodConditions: [{ type: example.com/Custom, status: "False" }] }] }, ',
      '{ restartPolicy: Never, initContainers: [{ name: init, image: x }], containers: [{ name: c, image: x }] }'),
    JOB('j', 'podReplacementPolicy: TerminatingOrFailed, '),
    JOB('n'.repeat(63), ''),
    // <61>-9 is 63 characters
    JOB('n'.repeat(61), 'completionMode: Indexed, completions: 10, '),
    // manualSelector: no job-name labels are added
    `{ apiVersion: batch/v1, kind: Job, metadata: { name: ${'m'.repeat(70)} }, spec: { manualSelector: true, selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: ${POD_NEVER} } } }`,
    `{ apiVersion: batch/v1, kind: CronJob, metadata: { name: ${'c'.repeat(52)} }, spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: ${POD_NEVER} } } } } }`,
  ]) {
    assert.doesNotThrow(() => parseScenario(scenario(manifest), 'k.yaml'), manifest);
  }
});

test('a cluster snapshot\'s CronJob of 53 characters loads (upstream ValidateCronJobUpdate skips the length: the object exists)', () => {
  const dir = tempDir('ksim-cronjob-name-');
  writeFileSync(join(dir, 'cj.yaml'), `apiVersion: batch/v1
kind: CronJob
metadata: { name: ${'c'.repeat(53)}, namespace: default }
spec:
  schedule: "0 2 * * *"
  jobTemplate: { spec: { template: { spec: ${POD_NEVER} } } }
`);
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 16Gi } }]
  file: cj.yaml
`;
  assert.doesNotThrow(() => parseScenario(text, join(dir, 's.yaml')));
});
