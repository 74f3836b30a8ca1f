// The pods a ReplicaSet, a DaemonSet and a Job make carry metadata.generateName "<owner>-"
// (upstream controller_utils.go GetPodFromTemplate: GenerateName = getPodsPrefix(owner); an
// Indexed Job's "<job>-<index>-", podGenerateNameWithIndex), and a refusal by mutating admission
// names the pod by it (the API server generates the name after mutating admission:
// rest.BeforeCreate; admission.NewForbidden's extractResourceName falls back to generateName).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../workload/scenario.js';
import { prepareRun, runScenario } from '../run/run-scenario.js';

const scenario = (workload: string) => `
apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 30s
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
${workload}`;

test('ReplicaSet, DaemonSet, Job and Indexed Job pods carry generateName "<owner>-" ("<job>-<index>-"); a StatefulSet\'s, named, none', () => {
  const prepared = prepareRun(parseScenario(scenario(`
  - name: web
    manifest: { apiVersion: apps/v1, kind: ReplicaSet, metadata: { name: web-6949c8bf44 }, spec: { replicas: 2, selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: c, image: x }] } } } }
  - name: agent
    manifest: { apiVersion: apps/v1, kind: DaemonSet, metadata: { name: agent }, spec: { selector: { matchLabels: { app: agent } }, template: { metadata: { labels: { app: agent } }, spec: { containers: [{ name: c, image: x }] } } } }
  - name: once
    runDuration: 1h
    manifest: { apiVersion: batch/v1, kind: Job, metadata: { name: once }, spec: { template: { spec: { restartPolicy: Never, containers: [{ name: c, image: x }] } } } }
  - name: ix
    runDuration: 1h
    manifest: { apiVersion: batch/v1, kind: Job, metadata: { name: ix }, spec: { completionMode: Indexed, completions: 2, parallelism: 2, template: { spec: { restartPolicy: Never, containers: [{ name: c, image: x }] } } } }
  - name: db
    manifest: { apiVersion: apps/v1, kind: StatefulSet, metadata: { name: db }, spec: { replicas: 1, selector: { matchLabels: { app: db } }, template: { metadata: { labels: { app: db } }, spec: { containers: [{ name: c, image: x }] } } } }
`), 's.yaml'));
  prepared.sim.run(prepared.endUs);
  prepared.finish();
  const got = [...prepared.cluster.pods.values()].map((p) => `${p.ownerKind}/${p.ownerName} ${String(p.pod.metadata?.generateName)}`).sort();
  assert.deepEqual(got, [
    'DaemonSet/agent agent-',
    'DaemonSet/agent agent-',
    'Job/ix ix-0-',
    'Job/ix ix-1-',
    'Job/once once-',
    'ReplicaSet/web-6949c8bf44 web-6949c8bf44-',
    'ReplicaSet/web-6949c8bf44 web-6949c8bf44-',
    'StatefulSet/db undefined',
  ]);
  for (const p of prepared.cluster.pods.values()) {
    const g = p.pod.metadata?.generateName;
    if (g !== undefined) assert.match(p.name, new RegExp(`^${g}[bcdfghjklmnpqrstvwxz2456789]{5}$`));
  }
  // One string per owner, shared by its pods (no allocation per pod).
  const web = [...prepared.cluster.pods.values()].filter((p) => p.ownerKind === 'ReplicaSet');
  assert.ok(Object.is(web[0]!.pod.metadata?.generateName, web[1]!.pod.metadata?.generateName));
});

test('a Deployment whose template names a PriorityClass that does not exist: its pods are refused as `pods "web-6949c8bf44-" is forbidden` (mutating admission names the pod by its generateName)', () => {
  // /tmp/h41/lr/cases/generatename: the class is tenant-high, the template says tenant-hihg.
  const result = runScenario(parseScenario(scenario(`
  - name: pc
    manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: tenant-high }, value: 100000 }
  - name: app
    at: 5s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web, namespace: t }
      spec:
        replicas: 1
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { priorityClassName: tenant-hihg, containers: [{ name: web, image: "nginx:1.27" }] }
`), 's.yaml'));
  const why = 'pods "web-6949c8bf44-" is forbidden: no PriorityClass with name tenant-hihg was found';
  assert.match(result.warnings[0]!, /^\d+ create\(s\) refused by the API server, first t\/web-6949c8bf44-[a-z0-9]{5}: (.*)$/);
  assert.ok(result.warnings[0]!.endsWith(`: ${why}`), result.warnings[0]);
  assert.ok(result.warnings[1]!.includes(`first: ${why};`), result.warnings[1]);
});
