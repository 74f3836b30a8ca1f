// hostNetwork pods hold their container ports on the node: the API server gives every container
// port without a hostPort hostPort = containerPort when it stores a hostNetwork pod (upstream
// pkg/apis/core/v1/defaults.go SetDefaults_Pod → defaultHostNetworkPorts), so the scheduler's
// NodePorts filter keeps two such pods with one port off one node, in a run and in explain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, runScenario } from '../src/index.js';
import type { Row } from '../src/metrics/collector.js';
import { explainFiles } from '../src/run/explain-files.js';
import { tempDir } from '../src/testing/temp-dir.js';

const NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

function table(result: ReturnType<typeof runScenario>, file: string): readonly Row[] {
  const t = result.tables.find((x) => x.file === file);
  assert.ok(t !== undefined, file);
  return t.rows;
}

/** A scenario on two 4-CPU nodes running `workload` (YAML lines of a workload list). */
function run(workload: string): ReturnType<typeof runScenario> {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: {name: hostnet}
duration: 2m
cluster:
  nodePools:
    - {name: general, count: 2, allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
workload:
${workload}`;
  return runScenario(parseScenario(text, join(tempDir('ksim-hostnet-'), 's.yaml')), { checkInvariants: true });
}

/** pods.csv as "<owner> <phase> <node>", sorted. */
function pods(result: ReturnType<typeof runScenario>): string[] {
  return table(result, 'pods.csv').map((r) => `${r['owner']} ${r['phase']} ${r['node']}`).sort();
}

const exporter = (name: string) => `  - name: ${name}
    manifest:
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: ${name}, namespace: default}
      spec:
        selector: {matchLabels: {app: ${name}}}
        template:
          metadata: {labels: {app: ${name}}}
          spec:
            hostNetwork: true
            containers:
            - name: node-exporter
              image: quay.io/prometheus/node-exporter:v1.8.2
              ports: [{name: metrics, containerPort: 9100, protocol: TCP}]
              resources: {requests: {cpu: 100m, memory: 30Mi}}
`;

test('two hostNetwork DaemonSets with containerPort 9100 and no hostPort: the second one\'s pods stay pending on NodePorts', () => {
  const r = run(exporter('exporter-a') + exporter('exporter-b'));
  const a = pods(r).filter((p) => p.startsWith('exporter-a'));
  const b = pods(r).filter((p) => p.startsWith('exporter-b'));
  // Which set gets each node first is the scheduling order's business; each node runs one of them.
  assert.equal(a.length + b.length, 4);
  assert.deepEqual([...a, ...b].filter((p) => p.endsWith('Running general-0') || p.endsWith('Running general-1')).map((p) => p.split(' ')[2]).sort(), ['general-0', 'general-1']);
  assert.equal([...a, ...b].filter((p) => p.includes(' Pending ')).length, 2);
  const reasons = table(r, 'placements.csv').filter((p) => p['result'] === 'unschedulable').map((p) => String(p['reason']));
  assert.ok(reasons.length > 0 && reasons.every((x) => x.includes(`1 ${NODE_PORTS}`)), reasons.join('\n'));
});

test('three hostNetwork replicas serving 80 and 443 (no hostPort) on two nodes: one stays pending, NodePorts on both nodes', () => {
  const r = run(`  - name: ingress
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: ingress-nginx-controller, namespace: default}
      spec:
        replicas: 3
        selector: {matchLabels: {app: ingress}}
        template:
          metadata: {labels: {app: ingress}}
          spec:
            hostNetwork: true
            dnsPolicy: ClusterFirstWithHostNet
            containers:
            - name: controller
              image: registry.k8s.io/ingress-nginx/controller:v1.11.2
              ports: [{name: http, containerPort: 80, protocol: TCP}, {name: https, containerPort: 443, protocol: TCP}]
              resources: {requests: {cpu: 100m, memory: 90Mi}}
`);
  assert.deepEqual(pods(r).map((p) => p.replace(/-[a-z0-9]+ /, ' ')), ['ingress-nginx-controller Pending ', 'ingress-nginx-controller Running general-0', 'ingress-nginx-controller Running general-1']);
  const last = table(r, 'placements.csv').filter((p) => p['result'] === 'unschedulable').at(-1);
  assert.match(String(last?.['reason']), new RegExp(`^0/2 nodes are available: 2 ${NODE_PORTS.replace(/[()]/g, '\\$&')}\\.`));
});

test('explain: a hostNetwork pod of the dump holding containerPort 9100 without hostPort keeps a hostNetwork --pod with 9100 off its node', async () => {
  const dir = tempDir('ksim-hostnet-explain-');
  const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
  const exporterPod = (name: string, nodeName?: string) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { ...(nodeName === undefined ? {} : { nodeName }), hostNetwork: true, containers: [{ name: 'c', image: 'quay.io/prometheus/node-exporter:v1.8.2', ports: [{ containerPort: 9100 }] }] },
    ...(nodeName === undefined ? {} : { status: { phase: 'Running' } }),
  });
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [node('a'), node('b'), exporterPod('held', 'a')] }));
  writeFileSync(join(dir, 'pod.json'), JSON.stringify(exporterPod('new')));
  const r = await explainFiles({ cluster: join(dir, 'cluster.json'), pod: join(dir, 'pod.json') });
  assert.deepEqual(r.nodes['a']?.filter['NodePorts'], { code: 'Unschedulable', reason: NODE_PORTS });
  assert.equal(r.selected, 'b');
});

test('a hostNetwork pod template whose hostPort differs from its containerPort is refused, as the API server refuses it (validateHostNetwork)', () => {
  assert.throws(() => run(exporter('exporter').replace('containerPort: 9100,', 'containerPort: 9100, hostPort: 9200,')), (e: Error) => {
    // Upstream validateHostNetwork: `Invalid value: 9200: must match `containerPort` when `hostNetwork` is true`.
    assert.match(e.message, /:\d+:\d+: workload\[0\]\.manifest\.spec\.template\.spec\.containers\[0\]\.ports\[0\]\.hostPort: expected a hostPort equal to its containerPort, 9100 \(must match `containerPort` when `hostNetwork` is true\), got 9200$/);
    return true;
  });
  // Equal, or left out: accepted.
  assert.equal(pods(run(exporter('exporter').replace('containerPort: 9100,', 'containerPort: 9100, hostPort: 9100,'))).length, 2);
});
