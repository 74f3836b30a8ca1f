// Application manifests as people have them (test/fixtures/shop/: a 10-service shop rendered
// like Helm output, with Services, ConfigMaps, Secrets, ServiceAccounts, an HPA (simulated: it
// keeps the frontend at 3 or more replicas), a PVC, an
// Ingress, a standalone ReplicaSet, and in db/ a StatefulSet with volumeClaimTemplates and a
// StorageClass) and a directory of one-Node files (test/fixtures/node-files/) load unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../src/index.js';
import { prepareRun } from '../src/run/run-scenario.js';
import { REPO_ROOT } from '../src/testing/repo-paths.js';

const FIXTURES = `${REPO_ROOT}test/fixtures`;

function shopScenario(extra = ''): string {
  return `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster:
  file: node-files
workload:
  - name: shop
    file: shop
${extra}`;
}

function kindCounts(manifests: readonly { kind?: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of manifests) out[m.kind ?? ''] = (out[m.kind ?? ''] ?? 0) + 1;
  return out;
}

test('a directory of manifests is read like kubectl apply -f DIR: its yaml/json files in name order, not its subdirectories', () => {
  const s = parseScenario(shopScenario(), `${FIXTURES}/scenario.yaml`);
  assert.deepEqual(kindCounts(s.workload[0]!.manifests), { Namespace: 1, Deployment: 10, Service: 10, HorizontalPodAutoscaler: 1, ReplicaSet: 1 });
  assert.equal(s.workload[0]!.manifests[0]!.kind, 'Namespace'); // 00-namespace.yaml comes first
  assert.deepEqual(s.nodes.map((n) => n.node.metadata?.name), ['node-a', 'node-b', 'node-c']);
  assert.deepEqual(s.warnings, [
    `${FIXTURES}/shop/shop.yaml: skipped 10 ServiceAccount, 1 ConfigMap, 1 Secret, 1 Ingress, 1 PersistentVolumeClaim: not simulated`,
    `${FIXTURES}/shop/shop.yaml:649:1: HorizontalPodAutoscaler shop/frontend: metric-driven scaling is not simulated (ksim has no metrics): it keeps Deployment frontend's replicas within [3, 10] only, every 15 s`,
  ]);
});

test('recursive: true reads subdirectories too (kubectl apply -R), one skip warning for the directory (the files\' counts summed) and one volume warning', () => {
  const s = parseScenario(shopScenario('    recursive: true\n'), `${FIXTURES}/scenario.yaml`);
  assert.deepEqual(kindCounts(s.workload[0]!.manifests), { Namespace: 1, Service: 11, StatefulSet: 1, Deployment: 10, HorizontalPodAutoscaler: 1, ReplicaSet: 1 });
  assert.deepEqual(s.warnings, [
    `${FIXTURES}/shop: skipped 1 StorageClass, 10 ServiceAccount, 1 ConfigMap, 1 Secret, 1 Ingress, 1 PersistentVolumeClaim in 2 files: not simulated`,
    `${FIXTURES}/shop/shop.yaml:649:1: HorizontalPodAutoscaler shop/frontend: metric-driven scaling is not simulated (ksim has no metrics): it keeps Deployment frontend's replicas within [3, 10] only, every 15 s`,
    `${FIXTURES}/shop/db/redis.yaml:40:3: spec.volumeClaimTemplates: mounts a PersistentVolumeClaim: volume topology (VolumeBinding, VolumeZone) is not simulated; pods go where their other constraints allow (warned once)`,
  ]);
});

test('Services exist from the start (PodTopologySpread reads their selectors) and a standalone ReplicaSet makes its pods', () => {
  const s = parseScenario(shopScenario(), `${FIXTURES}/scenario.yaml`);
  const run = prepareRun(s);
  run.sim.run(0);
  assert.deepEqual(run.cluster.objectsOfKind('Service').map((o) => o.metadata.name), [
    'adservice', 'cartservice', 'checkoutservice', 'currencyservice', 'emailservice', 'frontend', 'paymentservice',
    'productcatalogservice', 'recommendationservice', 'shippingservice',
  ]);
  run.sim.run(60_000_000);
  const loadgen = [...run.cluster.pods.values()].filter((p) => p.ownerKind === 'ReplicaSet' && p.ownerName === 'loadgenerator');
  assert.equal(loadgen.length, 1);
  assert.equal(loadgen[0]!.bound, true);
});

const INLINE_CASES: [name: string, manifests: string, kinds: Record<string, number>, warnings: string[]][] = [
  [
    'an inline List works like the same List in a file',
    `manifest: { apiVersion: v1, kind: List, items: [
      { apiVersion: v1, kind: ConfigMap, metadata: { name: c } },
      { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { containers: [{ name: c, image: x }] } } ] }`,
    { Pod: 1 },
    ['k.yaml:8:15: workload[0].manifest: skipped 1 ConfigMap: not simulated'],
  ],
  [
    'kindless items of a typed list take its kind and apiVersion (PodList → Pod)',
    `manifest: { apiVersion: v1, kind: PodList, items: [ { metadata: { name: p }, spec: { containers: [{ name: c, image: x }] } } ] }`,
    { Pod: 1 },
    [],
  ],
  [
    'custom resources are skipped, whatever their kind',
    `manifests:
      - { apiVersion: monitoring.coreos.com/v1, kind: ServiceMonitor, metadata: { name: m } }
      - { apiVersion: monitoring.coreos.com/v1, kind: ServiceMonitor, metadata: { name: n } }
      - { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { containers: [{ name: c, image: x }] } }`,
    { Pod: 1 },
    ['k.yaml:9:7: workload[0].manifests: skipped custom resources 2 ServiceMonitor: no operator runs in ksim, so pods an operator would create for them are not in the run (write those as the StatefulSets or Deployments they become to count them)'],
  ],
  [
    // kube-prometheus: a Prometheus of 2 replicas is a StatefulSet in a real cluster.
    'built-in kinds and custom resources skipped together: the custom ones said apart',
    `manifests:
      - { apiVersion: v1, kind: ConfigMap, metadata: { name: c } }
      - { apiVersion: monitoring.coreos.com/v1, kind: Prometheus, metadata: { name: k8s }, spec: { replicas: 2 } }
      - { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { containers: [{ name: c, image: x }] } }`,
    { Pod: 1 },
    ['k.yaml:9:7: workload[0].manifests: skipped 1 ConfigMap: not simulated; custom resources 1 Prometheus: no operator runs in ksim, so pods an operator would create for them are not in the run (write those as the StatefulSets or Deployments they become to count them)'],
  ],
];

for (const [name, manifests, kinds, warnings] of INLINE_CASES) {
  test(name, () => {
    const s = parseScenario(`apiVersion: ksim/v1alpha1
kind: Scenario
duration: 5m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
  - name: w
    ${manifests}
`, 'k.yaml');
    assert.deepEqual(kindCounts(s.workload[0]!.manifests), kinds);
    assert.deepEqual(s.warnings, warnings);
  });
}

test('two entries that both bring the same Namespace at the same time load, as kubectl apply allows (two charts sharing a namespace); a Deployment repeated so is still an error', () => {
  const entry = (name: string, app: string) => `  - name: ${name}
    manifests:
      - { apiVersion: v1, kind: Namespace, metadata: { name: monitoring } }
      - apiVersion: apps/v1
        kind: Deployment
        metadata: { name: ${app}, namespace: monitoring }
        spec:
          replicas: 1
          selector: { matchLabels: { app: ${app} } }
          template:
            metadata: { labels: { app: ${app} } }
            spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }] }
`;
  const text = (second: string) => `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "4", memory: 16Gi } }]
workload:
${entry('prometheus', 'prometheus')}${entry('grafana', second)}`;
  const run = prepareRun(parseScenario(text('grafana'), 'two-charts.yaml'));
  run.sim.run(run.endUs);
  assert.equal([...run.cluster.objects.keys()].filter((k) => k.startsWith('Namespace/')).length, 1);
  assert.deepEqual([...run.cluster.pods.values()].map((p) => p.namespace).sort(), ['monitoring', 'monitoring']);
  assert.throws(() => parseScenario(text('prometheus'), 'two-charts.yaml'), /workload\[1\]\.manifests\[1\]\.metadata\.name: expected a name not already used by workload entry "prometheus" at the same time or later/);
});

test('optional fields written with nothing after them (Helm output of an empty values key) are unset, as the API server decodes a null; a null label value is still refused', () => {
  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations:
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      nodeSelector:
      affinity:
      tolerations:
      initContainers:
      topologySpreadConstraints:
      containers:
        - name: api
          image: x
          env:
          resources:
            limits:
            requests: {cpu: 500m}
        - name: sidecar
          image: y
          resources:`;
  const text = (m: string) => `apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster: {nodePools: [{name: p, count: 1, allocatable: {cpu: "4", memory: 8Gi}}]}
workload:
  - name: api
    at: 0s
    manifest:
${m.split('\n').map((l) => `      ${l}`).join('\n')}
`;
  const s = parseScenario(text(manifest), `${FIXTURES}/nulls.yaml`);
  const spec = (s.workload[0]!.manifests[0] as { spec: { template: { spec: Record<string, unknown> & { containers: { resources?: unknown }[] } } } }).spec.template.spec;
  // The null fields are gone; the containers keep what was set.
  assert.deepEqual(Object.keys(spec), ['containers']);
  assert.deepEqual(spec.containers.map((c) => c.resources), [{ requests: { cpu: '500m' } }, undefined]);
  assert.throws(() => parseScenario(text(manifest.replace('labels: {app: api}}', 'labels: {app: api, tier: }}')), `${FIXTURES}/nulls.yaml`), /metadata\.labels\.tier: expected/);
});
