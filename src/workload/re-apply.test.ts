// A later workload entry bringing an object again updates it (kubectl apply). When the update
// leaves the pod template as it was (a scaling), the template keeps the earlier entry's
// ksim.io/workload annotation, so that its pods stay attributed to that entry; a changed template
// takes the later entry's name. The same for every kind with a pod template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from './scenario.js';
import { runScenario } from '../run/run-scenario.js';

const HEAD = 'apiVersion: ksim/v1alpha1\nkind: Scenario\nduration: 10m\ncluster:\n  nodePools: [{name: p, count: 3, allocatable: {cpu: "8", memory: 16Gi}}]\nworkload:\n';
const POD = (image: string, restart = 'Always') => `{metadata: {labels: {app: a}}, spec: {restartPolicy: ${restart}, containers: [{name: c, image: ${image}, resources: {requests: {cpu: 100m}}}]}}`;
const SEL = 'selector: {matchLabels: {app: a}}';
const KINDS: Record<string, (n: number, image: string) => string> = {
  StatefulSet: (n, image) => `{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: a}, spec: {replicas: ${n}, serviceName: a, ${SEL}, template: ${POD(image)}}}`,
  ReplicaSet: (n, image) => `{apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: a}, spec: {replicas: ${n}, ${SEL}, template: ${POD(image)}}}`,
  DaemonSet: (n, image) => `{apiVersion: apps/v1, kind: DaemonSet, metadata: {name: a}, spec: {minReadySeconds: ${n}, ${SEL}, template: ${POD(image)}}}`,
  Deployment: (n, image) => `{apiVersion: apps/v1, kind: Deployment, metadata: {name: a}, spec: {replicas: ${n}, ${SEL}, template: ${POD(image)}}}`,
  CronJob: (n, image) => `{apiVersion: batch/v1, kind: CronJob, metadata: {name: a}, spec: {schedule: "*/${n} * * * *", jobTemplate: {spec: {template: ${POD(image, 'Never')}}}}}`,
};

function templateWorkloads(kind: string, image2: string): string[] {
  const s = parseScenario(`${HEAD}  - {name: first, manifest: ${KINDS[kind]!(1, 'x')}}\n  - {name: second, at: 5m, manifest: ${KINDS[kind]!(3, image2)}}\n  - {name: third, at: 6m, manifest: ${KINDS[kind]!(2, image2)}}\n`, 's.yaml');
  return s.workload.map((e) => {
    const spec = (e.manifests[0] as unknown as { spec: { template?: unknown; jobTemplate?: { spec: { template: unknown } } } }).spec;
    const t = (spec.jobTemplate?.spec.template ?? spec.template) as { metadata: { annotations: Record<string, string> } };
    return t.metadata.annotations['ksim.io/workload'] as string;
  });
}

for (const kind of Object.keys(KINDS)) {
  test(`${kind}: a later entry that changes only its replicas (or another field outside the template) keeps the first entry's name on the template; one that changes the template names itself`, () => {
    assert.deepEqual(templateWorkloads(kind, 'x'), ['first', 'first', 'first']);
    assert.deepEqual(templateWorkloads(kind, 'y'), ['first', 'second', 'second']);
  });
}

for (const kind of Object.keys(KINDS)) {
  test(`${kind}: a later entry that brings back the template of an earlier one (a rollback) takes the name of the entry that brought it first, not its own`, () => {
    const s = parseScenario(`${HEAD}  - {name: first, manifest: ${KINDS[kind]!(1, 'x')}}\n  - {name: second, at: 2m, manifest: ${KINDS[kind]!(2, 'y')}}\n  - {name: third, at: 4m, manifest: ${KINDS[kind]!(3, 'x')}}\n  - {name: fourth, at: 6m, manifest: ${KINDS[kind]!(4, 'y')}}\n  - {name: fifth, at: 8m, manifest: ${KINDS[kind]!(5, 'z')}}\n`, 's.yaml');
    const names = s.workload.map((e) => {
      const spec = (e.manifests[0] as unknown as { spec: { template?: unknown; jobTemplate?: { spec: { template: unknown } } } }).spec;
      return ((spec.jobTemplate?.spec.template ?? spec.template) as { metadata: { annotations: Record<string, string> } }).metadata.annotations['ksim.io/workload'];
    });
    assert.deepEqual(names, ['first', 'second', 'first', 'second', 'fifth']);
  });
}

for (const kind of ['StatefulSet', 'ReplicaSet']) {
  test(`${kind} scaled 1 → 3 by a later entry: all three pods are the first entry's in pods.csv`, () => {
    const r = runScenario(parseScenario(`${HEAD}  - {name: first, manifest: ${KINDS[kind]!(1, 'x')}}\n  - {name: scale, at: 5m, manifest: ${KINDS[kind]!(3, 'x')}}\n`, 's.yaml'));
    const pods = r.tables.find((t) => t.file === 'pods.csv')!.rows;
    assert.equal(pods.length, 3);
    assert.deepEqual(pods.map((p) => p['workload']), ['first', 'first', 'first']);
  });
}

test('a later entry writing out the defaults the API server fills in (as a dump shows them) is the same template: the first entry keeps the pods, and a Deployment scales instead of rolling out', () => {
  const dumped = `{apiVersion: apps/v1, kind: Deployment, metadata: {name: a}, spec: {replicas: 3, ${SEL}, template: {metadata: {labels: {app: a}, creationTimestamp: null}, spec: {restartPolicy: Always, dnsPolicy: ClusterFirst, schedulerName: default-scheduler, terminationGracePeriodSeconds: 30, securityContext: {}, containers: [{name: c, image: x, imagePullPolicy: Always, terminationMessagePath: /dev/termination-log, terminationMessagePolicy: File, resources: {requests: {cpu: "0.1"}}}]}}}}`;
  const text = `${HEAD}  - {name: first, manifest: ${KINDS['Deployment']!(1, 'x')}}\n  - {name: scale, at: 5m, manifest: ${dumped}}\n`;
  const s = parseScenario(text, 's.yaml');
  const t = (s.workload[1]!.manifests[0] as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec.template;
  assert.equal(t.metadata.annotations['ksim.io/workload'], 'first');
  const r = runScenario(s);
  const pods = r.tables.find((x) => x.file === 'pods.csv')!.rows;
  assert.equal(pods.length, 3, 'scaled 1 → 3: no pod replaced');
  assert.deepEqual(pods.map((p) => p['workload']), ['first', 'first', 'first']);
});
