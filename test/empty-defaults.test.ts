// "" in a field the v1.36 API server defaults is read as that default, not refused (Helm renders
// `{{ .Values.x | quote }}` with x unset as ""): the server's defaulting (pkg/apis/core/v1,
// apps/v1, batch/v1 defaults.go) fills it in before validation. Each case end to end: the
// manifest loads, the simulation treats it as the default, and explain and capacity too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, parseScenario } from '../src/workload/scenario.js';
import { scenarioWarnings } from '../src/workload/scenario-checks.js';
import { runScenario } from '../src/run/run-scenario.js';
import { explainFiles } from '../src/run/explain-files.js';
import { podCapacity } from '../src/capacity/pod-capacity.js';
import { tempDir } from '../src/testing/temp-dir.js';
import { repoPath } from '../src/testing/repo-paths.js';

function scenario(workload: string): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 2m
cluster:
  nodePools: [{ name: p, count: 2, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
${workload}`;
}

const deployment = (podSpec: string, spec = '') => `  - name: w
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 2${spec}
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { ${podSpec}containers: [{ name: c, image: "nginx:1.27", resources: { requests: { cpu: 10m } } }] }
`;

function templateSpec(s: ReturnType<typeof parseScenario>, i = 0): Record<string, unknown> {
  return (s.workload[i]!.manifests[0] as unknown as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;
}

test('schedulerName "" is default-scheduler (SetDefaults_PodSpec): no warning, its pods are scheduled', () => {
  const s = parseScenario(scenario(deployment('schedulerName: "", ')), 's.yaml');
  assert.equal(templateSpec(s)['schedulerName'], 'default-scheduler');
  assert.deepEqual(scenarioWarnings(s), []);
  const r = runScenario(s);
  assert.equal(r.summary['pods_bound'], 2);
  assert.equal(r.summary['pods_unbound_end'], 0);
});

test('schedulerName "" in a DaemonSet, a bare Pod and a trace entry: default-scheduler serves them', () => {
  const dir = tempDir('ksim-empty-');
  writeFileSync(join(dir, 'trace.csv'), 'time_s,name,cpu,memory,duration_s\n0,t-0,100m,128Mi,30\n1,t-1,100m,128Mi,30\n');
  writeFileSync(join(dir, 's.yaml'), scenario(`  - name: ds
    manifest:
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        selector: { matchLabels: { app: agent } }
        template:
          metadata: { labels: { app: agent } }
          spec: { schedulerName: "", containers: [{ name: c, image: x, resources: { requests: { cpu: 10m } } }] }
  - name: bare
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: b }
      spec: { schedulerName: '', containers: [{ name: c, image: x, resources: { requests: { cpu: 10m } } }] }
  - name: t
    trace: { format: ksim-csv, file: trace.csv, schedulerName: "", tolerations: [{ key: dedicated, operator: "", value: x }] }
`));
  const loaded = loadScenario(join(dir, 's.yaml'));
  assert.deepEqual(scenarioWarnings(loaded), []);
  const r = runScenario(loaded);
  // 2 daemon pods, the bare pod, 2 trace pods.
  assert.equal(r.summary['pods_bound'], 5);
});

test('ksim explain and capacity --pod: a pod of schedulerName "" asks for default-scheduler', async () => {
  const dir = tempDir('ksim-empty-');
  const pod = join(dir, 'pod.yaml');
  writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  schedulerName: ""\n  containers: [{ name: c, image: nginx, resources: { requests: { cpu: "1" } } }]\n');
  const r = await explainFiles({ cluster: repoPath('examples/explain/cluster.yaml'), pod });
  assert.equal(r.selected, 'node-b');
  const c = podCapacity(parseScenario(scenario('  []\n'), 's.yaml'), pod);
  assert.equal(c.profile, 'default-scheduler');
  assert.deepEqual(c.nodes.map((n) => [n.node, n.fits]), [['p-0', 4], ['p-1', 4]]);
});

test('restartPolicy "" is Always (SetDefaults_PodSpec): a Deployment\'s and a bare Pod\'s load and run; a Job\'s is refused as Always', () => {
  const s = parseScenario(scenario(`${deployment('restartPolicy: "", ')}  - name: bare
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: b }
      spec: { restartPolicy: "", dnsPolicy: "", containers: [{ name: c, image: x, resources: { requests: { cpu: 10m } } }] }
`), 's.yaml');
  assert.equal(templateSpec(s)['restartPolicy'], 'Always');
  const bare = (s.workload[1]!.manifests[0] as unknown as { spec: Record<string, unknown> }).spec;
  assert.deepEqual([bare['restartPolicy'], bare['dnsPolicy']], ['Always', 'ClusterFirst']);
  assert.equal(runScenario(s).summary['pods_bound'], 3);
  const job = scenario(`  - name: j
    manifest: { apiVersion: batch/v1, kind: Job, metadata: { name: j }, spec: { template: { spec: { restartPolicy: "", containers: [{ name: c, image: x }] } } } }
`);
  assert.throws(() => parseScenario(job, 'j.yaml'), (e: Error) => {
    assert.equal(e.message, 'j.yaml:8:116: workload[0].manifest.spec.template.spec.restartPolicy: expected OnFailure or Never ("" is defaulted to Always, which a Job\'s pods may not use), got ""');
    return true;
  });
});

test('imagePullPolicy "" is Always for a :latest or untagged image, else IfNotPresent (SetDefaults_Container)', () => {
  const s = parseScenario(scenario(`  - name: bare
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: b }
      spec:
        initContainers: [{ name: i, image: "busybox", imagePullPolicy: "" }]
        containers:
          - { name: a, image: "nginx:1.27", imagePullPolicy: "" }
          - { name: b, image: "registry.example.com:5000/team/app:latest", imagePullPolicy: "" }
          - { name: c, image: "registry.example.com:5000/team/app", imagePullPolicy: "" }
          - { name: d, image: "nginx@sha256:${'0'.repeat(64)}", imagePullPolicy: "" }
          - { name: e, image: "nginx", imagePullPolicy: Never }
`), 's.yaml');
  const spec = (s.workload[0]!.manifests[0] as unknown as { spec: { containers: { imagePullPolicy: string }[]; initContainers: { imagePullPolicy: string }[] } }).spec;
  assert.deepEqual([...spec.initContainers, ...spec.containers].map((c) => c.imagePullPolicy), ['Always', 'IfNotPresent', 'Always', 'Always', 'IfNotPresent', 'Never']);
});

test('a toleration\'s operator "" is Equal (validateTolerations: "empty operator means Equal"): its pods tolerate the taint it names; with no key it is refused, as upstream', () => {
  const taints = scenario(deployment('tolerations: [{ key: dedicated, operator: "", value: infra, effect: NoSchedule }], '))
    .replace('allocatable: { cpu: "4", memory: 16Gi } }', 'allocatable: { cpu: "4", memory: 16Gi }, taints: [{ key: dedicated, value: infra, effect: NoSchedule }] }');
  const s = parseScenario(taints, 's.yaml');
  assert.equal(runScenario(s).summary['pods_bound'], 2);
  // Another value: not tolerated (Equal compares values).
  assert.equal(runScenario(parseScenario(taints.replace('value: infra, effect: NoSchedule }],', 'value: other, effect: NoSchedule }],'), 's.yaml')).summary['pods_bound'], 0);
  const keyless = scenario(deployment('tolerations: [{ operator: "", effect: NoSchedule }], '));
  assert.throws(() => parseScenario(keyless, 'k.yaml'), (e: Error) => {
    assert.equal(e.message, 'k.yaml:17:45: workload[0].manifest.spec.template.spec.tolerations[0].operator: expected Exists when the key is empty (operator must be Exists when `key` is empty, which means "match all values and all keys"), got ""');
    return true;
  });
});

const statefulSet = (spec: string) => `  - name: db
    manifest:
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: db }
      spec:
        replicas: 3
        serviceName: db
        selector: { matchLabels: { app: db } }
        template:
          metadata: { labels: { app: db } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
${spec}`;

test('a StatefulSet\'s podManagementPolicy "" is OrderedReady, its updateStrategy.type "" RollingUpdate with partition 0, its retention policy "" Retain (SetDefaults_StatefulSet)', () => {
  const s = parseScenario(scenario(statefulSet(`        podManagementPolicy: ""
        updateStrategy: { type: "" }
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "", whenScaled: Delete }
`)).replace('duration: 2m', 'duration: 1m\nkubelet: { startupLatency: 2s }'), 's.yaml');
  const spec = (s.workload[0]!.manifests[0] as unknown as { spec: Record<string, unknown> }).spec;
  assert.deepEqual([spec['podManagementPolicy'], spec['updateStrategy'], spec['persistentVolumeClaimRetentionPolicy']],
    ['OrderedReady', { type: 'RollingUpdate', rollingUpdate: {} }, { whenDeleted: 'Retain', whenScaled: 'Delete' }]);
  // OrderedReady: one ordinal at a time, each once the one before runs (2 s startup).
  const r = runScenario(s, { events: true });
  const creates = r.tables.find((t) => t.file === 'events.csv')!.rows.filter((e) => e['kind'] === 'api.create-pod').map((e) => Math.floor(Number(e['time_s'])));
  assert.deepEqual(creates, [0, 2, 4]);
});

test('a Deployment\'s strategy.type "" and a DaemonSet\'s updateStrategy.type "" are RollingUpdate (SetDefaults_Deployment, SetDefaults_DaemonSet)', () => {
  const s = parseScenario(scenario(`${deployment('', '\n        strategy: { type: "" }')}  - name: ds
    manifest:
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        updateStrategy: { type: "", rollingUpdate: { maxUnavailable: 2 } }
        selector: { matchLabels: { app: agent } }
        template:
          metadata: { labels: { app: agent } }
          spec: { containers: [{ name: c, image: x }] }
`), 's.yaml');
  const specs = s.workload.map((w) => (w.manifests[0] as unknown as { spec: Record<string, unknown> }).spec);
  assert.deepEqual(specs.map((x) => x['strategy'] ?? x['updateStrategy']), [{ type: 'RollingUpdate' }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } }]);
});

test('a CronJob\'s concurrencyPolicy "" is Allow (SetDefaults_CronJob): a Job every minute while the earlier ones still run; a pod failure policy\'s onPodConditions status "" is True', () => {
  const cron = (policy: string) => parseScenario(scenario(`  - name: backup
    manifest:
      apiVersion: batch/v1
      kind: CronJob
      metadata: { name: backup }
      spec:
        schedule: "* * * * *"
        concurrencyPolicy: ${policy}
        jobTemplate:
          spec:
            podFailurePolicy: { rules: [{ action: Ignore, onPodConditions: [{ type: DisruptionTarget, status: "" }] }] }
            template:
              spec: { restartPolicy: Never, containers: [{ name: c, image: busybox, resources: { requests: { cpu: 10m } } }] }
`).replace('duration: 2m', 'duration: 3m30s'), 's.yaml');
  const s = cron('""');
  const spec = (s.workload[0]!.manifests[0] as unknown as { spec: { concurrencyPolicy: string; jobTemplate: { spec: { podFailurePolicy: { rules: { onPodConditions: { status: string }[] }[] } } } } }).spec;
  assert.deepEqual([spec.concurrencyPolicy, spec.jobTemplate.spec.podFailurePolicy.rules[0]!.onPodConditions[0]!.status], ['Allow', 'True']);
  const jobs = (sc: ReturnType<typeof parseScenario>) => runScenario(sc).tables.find((t) => t.file === 'jobs.csv')!.rows.length;
  assert.equal(jobs(s), 3);
  assert.equal(jobs(cron('Forbid')), 1);
});
