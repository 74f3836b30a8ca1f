// The objects of a pod and a node that every plugin reads share V8 hidden classes across pods
// and nodes (see `merged` in src/api/values.ts): checked in a child node with
// --allow-natives-syntax on a short run of a Deployment's churn, bare pods and a trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../testing/temp-dir.js';

const SCENARIO = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: shapes }
seed: 1
duration: 1m
cluster:
  nodePools:
    - { name: general, count: 20, zones: [zone-a, zone-b, zone-c], labels: { tier: web }, allocatable: { cpu: "16", memory: 64Gi, pods: 110 } }
workload:
  - name: churn
    runDuration: { exponential: { mean: 10s } }
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: churn }
      spec:
        replicas: 200
        selector: { matchLabels: { app: churn } }
        template:
          metadata: { labels: { app: churn } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 100m, memory: 256Mi } } }] }
  - name: bare
    rate: { perMinute: 300 }
    runDuration: 20s
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: b, labels: { app: bare } }
      spec: { restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: 50m } } }] }
  - name: trace
    trace: { format: ksim-csv, file: trace.csv }
`;

test('pods of a Deployment, bare pods and trace pods, and pool nodes, share hidden classes per kind of object', () => {
  const dir = tempDir('ksim-shapes-');
  const rows = ['time_s,name,cpu,memory,duration_s'];
  for (let i = 0; i < 300; i++) rows.push(`${(i * 0.1).toFixed(1)},t-${i},100m,128Mi,15`);
  writeFileSync(join(dir, 'trace.csv'), `${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'shapes.yaml'), SCENARIO);
  const counts = differingMaps(join(dir, 'shapes.yaml'), 45, `
    const groups = {};
    const add = (g, o) => { (groups[g] ??= []).push(o); };
    for (const p of run.cluster.pods.values()) {
      const w = p.workload;
      add(w + ' pod', p.pod); add(w + ' metadata', p.pod.metadata); add(w + ' spec', p.pod.spec);
    }
    for (const n of run.cluster.nodes) add('node labels', n.labels);`);
  assert.deepEqual(Object.keys(counts).sort(), ['bare metadata', 'bare pod', 'bare spec', 'churn metadata', 'churn pod', 'churn spec', 'node labels', 'trace metadata', 'trace pod', 'trace spec']);
  for (const [group, [n, differing]] of Object.entries(counts)) {
    assert.ok(n >= 20, `${group}: ${n} objects`);
    assert.equal(differing, 0, `${group}: ${differing} of ${n} have a hidden class other than the first's`);
  }
});

test('nodes of a cluster file (a kubectl NodeList) and pods of a PodList file share hidden classes per kind of object', () => {
  const dir = tempDir('ksim-shapes-files-');
  const node = (i: number) => ({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: `n-${i}`, labels: { 'kubernetes.io/hostname': `n-${i}`, 'topology.kubernetes.io/zone': `z-${i % 3}` } },
    status: { allocatable: { cpu: '4', memory: '32Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const pod = (i: number) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'default', labels: { color: 'blue' } },
    spec: { containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
  });
  writeFileSync(join(dir, 'nodes.json'), JSON.stringify({ apiVersion: 'v1', kind: 'NodeList', items: Array.from({ length: 60 }, (_, i) => node(i)) }));
  writeFileSync(join(dir, 'pods.json'), JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: Array.from({ length: 60 }, (_, i) => pod(i)) }));
  writeFileSync(join(dir, 's.yaml'), 'apiVersion: ksim/v1alpha1\nkind: Scenario\nmetadata: { name: files }\nduration: 1m\ncluster: { file: nodes.json }\nworkload:\n  - { name: pods, file: pods.json }\n');
  const counts = differingMaps(join(dir, 's.yaml'), 30, `
    const groups = { 'node labels': run.cluster.nodes.map((n) => n.labels), pod: [], metadata: [], spec: [] };
    for (const p of run.cluster.pods.values()) { groups.pod.push(p.pod); groups.metadata.push(p.pod.metadata); groups.spec.push(p.pod.spec); }`);
  // Before: 51 of the 60 nodes' labels had a hidden class of their own (a spread in readNode).
  assert.deepEqual(counts, { 'node labels': [60, 0], pod: [60, 0], metadata: [60, 0], spec: [60, 0] });
});

/** Runs `scenario` for `seconds` in a child node with --allow-natives-syntax; `collect` (code
 * that sees `run`) fills `groups` (name → objects). Returns, per group, [objects, those whose
 * hidden class differs from the group's first]. */
function differingMaps(scenario: string, seconds: number, collect: string): Record<string, [number, number]> {
  const dist = (p: string) => JSON.stringify(fileURLToPath(new URL(p, import.meta.url)));
  const script = `
    const { loadScenario } = await import(${dist('../workload/scenario.js')});
    const { prepareRun } = await import(${dist('./run-scenario.js')});
    const run = prepareRun(loadScenario(${JSON.stringify(scenario)}), { sinks: 'none' });
    run.sim.run(${seconds * 1e6});
    ${collect}
    const out = {};
    for (const [g, objs] of Object.entries(groups)) out[g] = [objs.length, objs.filter((o) => !%HaveSameMap(o, objs[0])).length];
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as Record<string, [number, number]>;
}
