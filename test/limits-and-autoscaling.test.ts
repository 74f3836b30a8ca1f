// LimitRange, RuntimeClass and HorizontalPodAutoscaler end to end, on the manifests a capacity
// planner brought (they used to be skipped as "not simulated", so pods requested nothing, ran
// anywhere, and a Deployment without replicas kept 1):
//  - a LimitRange with defaultRequest 500m / 512Mi: each of 10 pods without requests counts
//    500m / 512Mi (5 on each of the two general nodes: 2500m, 2.5Gi);
//  - a RuntimeClass with overhead 500m / 256Mi, nodeSelector sandbox=gvisor and a toleration of
//    the sandbox taint: each pod (1 CPU, 1Gi) counts 1500m / 1.25Gi and both land on sandbox-0;
//  - an HPA with minReplicas 5 on a Deployment without replicas: 1 pod at first, 4 more at the
//    HPA's first turn 15 s later, 5 desired at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, podCapacity, runScenario } from '../src/index.js';
import { prepareRun, type RunResult } from '../src/run/run-scenario.js';
import { tempDir } from '../src/testing/temp-dir.js';

const CLUSTER = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: admission }
duration: 5m
cluster:
  nodePools:
    - { name: general, count: 2, allocatable: { cpu: "4", memory: 16Gi } }
    - name: sandbox
      count: 1
      allocatable: { cpu: "4", memory: 16Gi }
      labels: { sandbox: gvisor }
      taints: [{ key: sandbox, value: gvisor, effect: NoSchedule }]
workload:
  - name: app
    file: app.yaml
`;

function run(manifests: string, scenario = CLUSTER): RunResult {
  const dir = tempDir('ksim-admission-');
  writeFileSync(join(dir, 'app.yaml'), manifests);
  writeFileSync(join(dir, 'scenario.yaml'), scenario);
  return runScenario(parseScenario(scenario, join(dir, 'scenario.yaml')));
}

const rows = (r: RunResult, file: string) => r.tables.find((t) => t.file === file)?.rows ?? [];

const LIMIT_RANGE = `apiVersion: v1
kind: Namespace
metadata: { name: team }
---
apiVersion: v1
kind: LimitRange
metadata: { name: defaults, namespace: team }
spec:
  limits:
    - type: Container
      defaultRequest: { cpu: 500m, memory: 512Mi }
      default: { cpu: "1", memory: 1Gi }
`;

const NOREQ = (replicas: number, resources = '') => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: noreq, namespace: team }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: n } }
  template:
    metadata: { labels: { app: n } }
    spec:
      containers: [{ name: c, image: x${resources} }]
`;

test('LimitRange: pods without requests get its defaultRequest (500m / 512Mi each) and are placed by it', () => {
  const r = run(LIMIT_RANGE + NOREQ(10));
  const pods = rows(r, 'pods.csv');
  assert.equal(pods.length, 10);
  assert.deepEqual([...new Set(pods.map((p) => `${p['cpu_requested_milli']} ${p['memory_requested_bytes']}`))], ['500 536870912']);
  assert.deepEqual(rows(r, 'nodes.csv').map((n) => [n['node'], n['pods'], n['cpu_requested_milli'], n['memory_requested_bytes']]), [
    ['general-0', 5, 2500, 2684354560], ['general-1', 5, 2500, 2684354560], ['sandbox-0', 0, 0, 0],
  ]);
  assert.deepEqual(r.warnings, []);
});

test('LimitRange: a container above its max is refused by the API server, and the run says so', () => {
  const caps = LIMIT_RANGE.replace('default: { cpu: "1", memory: 1Gi }', 'default: { cpu: "1", memory: 1Gi }\n      max: { cpu: "1" }');
  const r = run(caps + NOREQ(2, ', resources: { limits: { cpu: "2" } }'));
  assert.equal(r.summary['pods_submitted'], 0);
  assert.equal(r.warnings.length, 2);
  assert.match(r.warnings[0] as string, /^\d+ create\(s\) refused by the API server, first team\/noreq-[a-z0-9]+-[a-z0-9]{5}: pods "noreq-[a-z0-9]+-[a-z0-9]{5}" is forbidden: maximum cpu usage per Container is 1, but limit is 2$/);
  assert.match(r.warnings[1] as string, /^Deployment team\/noreq ends with 0 of 2 replicas ready/);
});

const RUNTIME_CLASS = `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: { name: gvisor }
handler: runsc
overhead:
  podFixed: { cpu: 500m, memory: 256Mi }
scheduling:
  nodeSelector: { sandbox: gvisor }
  tolerations: [{ key: sandbox, operator: Equal, value: gvisor, effect: NoSchedule }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: sandboxed }
spec:
  replicas: 2
  selector: { matchLabels: { app: s } }
  template:
    metadata: { labels: { app: s } }
    spec:
      runtimeClassName: gvisor
      containers: [{ name: c, image: x, resources: { requests: { cpu: "1", memory: 1Gi } } }]
`;

test('RuntimeClass: each pod counts its overhead (1500m / 1.25Gi) and lands only on the sandbox pool', () => {
  const r = run(RUNTIME_CLASS);
  const pods = rows(r, 'pods.csv');
  assert.deepEqual(pods.map((p) => [p['cpu_requested_milli'], p['memory_requested_bytes'], p['node']]), [
    [1500, 1342177280, 'sandbox-0'], [1500, 1342177280, 'sandbox-0'],
  ]);
  assert.deepEqual(rows(r, 'nodes.csv').map((n) => [n['node'], n['cpu_requested_milli'], n['memory_requested_bytes']]), [
    ['general-0', 0, 0], ['general-1', 0, 0], ['sandbox-0', 3000, 2684354560],
  ]);
});

test('RuntimeClass: a pod naming a class that does not exist is refused', () => {
  const r = run(RUNTIME_CLASS.replace('runtimeClassName: gvisor', 'runtimeClassName: kata'));
  assert.equal(r.summary['pods_submitted'], 0);
  assert.match(r.warnings[0] as string, /is forbidden: pod rejected: RuntimeClass "kata" not found$/);
});

const HPA = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: c, image: x, resources: { requests: { cpu: "1", memory: 1Gi } } }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 5
  maxReplicas: 20
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } } }]
`;

test('HPA: a Deployment without replicas is scaled to minReplicas (5) at the HPA\'s first turn, 15 s in', () => {
  const r = run(HPA);
  assert.equal(r.summary['replicas_desired_end'], 5);
  assert.equal(r.summary['replicas_ready_end'], 5);
  const created = rows(r, 'pods.csv').map((p) => p['created_s'] as number).sort((a, b) => a - b);
  assert.equal(created.length, 5);
  assert.ok((created[0] as number) < 1, 'the Deployment\'s own replica, at once');
  assert.ok(created.slice(1).every((t) => t > 15 && t < 16), `4 more at the first turn: ${created.join(', ')}`);
  assert.deepEqual(rows(r, 'workloads.csv').map((w) => [w['kind'], w['name'], w['desired']]), [['Deployment', 'web', 5]]);
});

test('HPA: a rollout applied without replicas keeps the HPA\'s count (kubectl apply\'s three-way merge)', () => {
  const scenario = `${CLUSTER}  - name: v2
    at: 125s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: c, image: x:v2, resources: { requests: { cpu: "1", memory: 1Gi } } }]
`;
  const dir = tempDir('ksim-admission-');
  writeFileSync(join(dir, 'app.yaml'), HPA);
  const run = prepareRun(parseScenario(scenario, join(dir, 'scenario.yaml')));
  const replicas = () => (run.cluster.objects.get('Deployment/default/web')?.spec as { replicas?: number }).replicas;
  // The HPA's turns are at 15.01 s, 30.01 s, ...: the apply at 125 s is between two.
  run.sim.run(124_000_000);
  assert.equal(replicas(), 5);
  run.sim.run(126_000_000);
  assert.equal(replicas(), 5, 'the v2 apply leaves replicas as the HPA set them (without the merge: 1 until the turn at 135 s)');
  const image = (run.cluster.objects.get('Deployment/default/web')?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]?.image;
  assert.equal(image, 'x:v2');
  run.sim.run(run.endUs);
  const v2 = [...run.cluster.pods.values()].filter((p) => !p.terminal && !p.deleted && p.pod.spec?.containers[0]?.image === 'x:v2');
  assert.equal(v2.length, 5);
});

test('a cluster snapshot\'s LimitRanges, RuntimeClasses and HPAs act on what the run creates, not on the snapshot\'s own pods', () => {
  const dir = tempDir('ksim-admission-snapshot-');
  writeFileSync(join(dir, 'cluster.yaml'), `apiVersion: v1
kind: List
items:
  - { apiVersion: v1, kind: Node, metadata: { name: n1, labels: { sandbox: gvisor } }, status: { allocatable: { cpu: "8", memory: 32Gi, pods: "110" } } }
  - { apiVersion: v1, kind: Namespace, metadata: { name: team } }
${LIMIT_RANGE.split('---')[1]!.trim().replace(/^/gm, '    ').replace(/^    apiVersion/, '  - apiVersion')}
  - apiVersion: autoscaling/v1
    kind: HorizontalPodAutoscaler
    metadata: { name: noreq, namespace: team }
    spec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: noreq }, minReplicas: 3, maxReplicas: 6, targetCPUUtilizationPercentage: 80 }
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: noreq, namespace: team }
    spec:
      replicas: 1
      selector: { matchLabels: { app: n } }
      template: { metadata: { labels: { app: n } }, spec: { containers: [{ name: c, image: x }] } }
  - apiVersion: v1
    kind: Pod
    metadata: { name: old, namespace: team }
    spec: { nodeName: n1, runtimeClassName: gone, containers: [{ name: c, image: x }] }
    status: { phase: Running }
`);
  const scenario = `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster: { file: cluster.yaml }
`;
  const s = parseScenario(scenario, join(dir, 'scenario.yaml'));
  assert.deepEqual(s.warnings.filter((w) => w.includes('HorizontalPodAutoscaler')).length, 1);
  const run = prepareRun(s);
  run.sim.run(run.endUs);
  const pods = [...run.cluster.pods.values()];
  const old = pods.find((p) => p.name === 'old');
  assert.equal(old?.bound, true, 'the snapshot pod naming a RuntimeClass the dump lacks still runs');
  assert.equal(old?.pod.spec?.containers[0]?.resources, undefined, 'and is not defaulted again');
  const made = pods.filter((p) => p.name !== 'old');
  assert.equal(made.length, 3, 'the HPA scaled the snapshot Deployment to minReplicas');
  assert.deepEqual([...new Set(made.map((p) => JSON.stringify(p.pod.spec?.containers[0]?.resources)))], ['{"requests":{"cpu":"500m","memory":"512Mi"},"limits":{"cpu":"1","memory":"1Gi"}}']);
});

test('ksim capacity --pod counts copies as the API server would store them: with the LimitRange\'s requests, with the RuntimeClass\'s overhead and node selector', () => {
  const dir = tempDir('ksim-admission-capacity-');
  writeFileSync(join(dir, 'app.yaml'), `${LIMIT_RANGE}---\n${RUNTIME_CLASS.split('---')[0]}`);
  writeFileSync(join(dir, 'scenario.yaml'), CLUSTER.replace('duration: 5m', 'duration: 1m'));
  const s = parseScenario(CLUSTER.replace('duration: 5m', 'duration: 1m'), join(dir, 'scenario.yaml'));
  const plain = join(dir, 'plain.yaml');
  writeFileSync(plain, 'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: team }\nspec: { containers: [{ name: c, image: x }] }\n');
  // 4 CPU / 500m = 8 copies on each general node; the sandbox node's taint is not tolerated.
  assert.deepEqual(podCapacity(s, plain).nodes.map((n) => [n.node, n.fits]), [['general-0', 8], ['general-1', 8], ['sandbox-0', 0]]);
  const sandboxed = join(dir, 'sandboxed.yaml');
  writeFileSync(sandboxed, 'apiVersion: v1\nkind: Pod\nmetadata: { name: s }\nspec: { runtimeClassName: gvisor, containers: [{ name: c, image: x, resources: { requests: { cpu: "1", memory: 1Gi } } }] }\n');
  // 1 CPU + 500m overhead: 2 copies, only on the sandbox node.
  assert.deepEqual(podCapacity(s, sandboxed).nodes.map((n) => [n.node, n.fits]), [['general-0', 0], ['general-1', 0], ['sandbox-0', 2]]);
  const missing = join(dir, 'missing.yaml');
  writeFileSync(missing, 'apiVersion: v1\nkind: Pod\nmetadata: { name: m }\nspec: { runtimeClassName: kata, containers: [{ name: c, image: x }] }\n');
  assert.throws(() => podCapacity(s, missing), (e: Error) => {
    assert.equal(e.message, `${missing}:4:7: spec: expected a pod the API server admits in this cluster at 60 s, got pods "m" is forbidden: pod rejected: RuntimeClass "kata" not found`);
    return true;
  });
});
