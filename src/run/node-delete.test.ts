// Node deletion by a ksim-events trace: races with the scheduler's binding and the DaemonSet
// controller, and the time series' groups of the nodes a trace adds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.js';
import { loadScenario } from '../workload/scenario.js';
import { runScenario, type RunResult } from './run-scenario.js';

/** Runs `scenario` (YAML) with the trace `events` (JSON Lines) as events.jsonl beside it. */
function run(scenario: string, events: string, set: readonly string[] = []): RunResult {
  const dir = tempDir('ksim-nodedel-');
  writeFileSync(join(dir, 'events.jsonl'), events);
  const file = join(dir, 's.yaml');
  writeFileSync(file, scenario);
  return runScenario(loadScenario(file, { set }), { checkInvariants: true });
}

function rows(r: RunResult, file: string): Record<string, unknown>[] {
  return [...(r.tables.find((t) => t.file === file)?.rows ?? [])];
}

const GHOST_RACE = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: ghost }
seed: 5
duration: 4m
cluster:
  nodePools:
    - name: np
      count: 2
      allocatable: { cpu: "4", memory: 16Gi, pods: 110 }
workload:
  - name: web
    at: 60s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 6
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: web, image: nginx, resources: { requests: { cpu: 100m, memory: 128Mi } } }]
  - name: ev
    trace: { format: ksim-events, file: events.jsonl }
`;

test('a binding that commits after its node was deleted binds the pod to the missing node (upstream BindingREST checks no node): the pod GC fails and deletes it at 120 s, then it is replaced', () => {
  const r = run(GHOST_RACE, '{"at": 60.0125, "op": "delete", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "np-0"}}}\n');
  const placements = rows(r, 'placements.csv');
  // Was: 60.015286 error "node np-0 not found", then bound on np-1 at 62.002226.
  assert.deepEqual(placements.filter((p) => p['result'] !== 'bound'), []);
  assert.deepEqual(placements.filter((p) => p['node'] === 'np-0').map((p) => [Number(p['time_s']), p['attempt']]), [[60.012154, 1], [60.015286, 1]]);
  const onNp0 = rows(r, 'pods.csv').filter((p) => p['node'] === 'np-0');
  // Never started (no kubelet); Failed (DeletionByPodGC) and deleted by gcOrphaned at 120 s.
  assert.deepEqual(onNp0.map((p) => [Number(p['bound_s']), p['started_s'], p['phase'], Number(p['deleted_s'])]).sort(), [
    [60.012154, '', 'Failed', 120.005614],
    [60.015286, '', 'Failed', 120.008526],
  ]);
  // Their two replacements bind on np-1 once they are gone.
  assert.deepEqual(placements.filter((p) => Number(p['time_s']) > 100).map((p) => [Number(p['time_s']), p['node']]), [[120.012615, 'np-1'], [120.013846, 'np-1']]);
});

const DS_FULL = (duration: string) => `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: dsfull }
seed: 5
duration: ${duration}
cluster:
  nodePools:
    - name: np
      count: 3
      allocatable: { cpu: "4", memory: 16Gi, pods: 110 }
workload:
  - name: big
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: big }
      spec:
        replicas: 1
        selector: { matchLabels: { app: big } }
        template:
          metadata: { labels: { app: big } }
          spec:
            nodeSelector: { kubernetes.io/hostname: np-0 }
            containers: [{ name: b, image: big, resources: { requests: { cpu: 3950m, memory: 1Gi } } }]
  - name: agent
    at: 10s
    manifest:
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent, namespace: kube-system }
      spec:
        selector: { matchLabels: { app: agent } }
        template:
          metadata: { labels: { app: agent } }
          spec:
            containers: [{ name: a, image: agent:1, resources: { requests: { cpu: 100m, memory: 64Mi } } }]
  - name: ev
    trace: { format: ksim-events, file: events.jsonl }
`;
const DELETE_NP0_AT_60 = '{"at": 60, "op": "delete", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "np-0"}}}\n';

test('a DaemonSet pod never scheduled, for a node then deleted, is deleted at the scheduler\'s next failed attempt (upstream: its PodScheduled condition write, updatePod, getUnscheduledPodsWithoutNode)', () => {
  const r = run(DS_FULL('10m'), DELETE_NP0_AT_60);
  // np-0 is full (big: 3950m of 4): the agent for np-0 fails at 10 s; the node goes at 60 s; the
  // pod GC deletes big at 120 s, which moves the agent to a second attempt (120.00302 s), failed.
  const agent = rows(r, 'placements.csv').filter((p) => p['owner'] === 'agent' && p['result'] !== 'bound');
  assert.deepEqual(agent.map((p) => [Number(p['time_s']), p['attempt']]), [[10.006601, 1], [120.00302, 2]]);
  const pod = rows(r, 'pods.csv').filter((p) => p['name'] === agent[0]?.['pod']);
  // Was: Pending to the end (10 m). Now deleted by its DaemonSet right after that attempt.
  assert.deepEqual(pod.map((p) => [p['phase'], Number(p['deleted_s'])]), [['Pending', 120.008681]]);
  assert.deepEqual(r.warnings.filter((w) => w.includes('DaemonSet')), []);
});

test('a DaemonSet pod created for a node deleted before its first attempt is deleted after that attempt', () => {
  const scenario = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata:
  name: upd
seed: 5
duration: 5m
cluster:
  nodePools:
    - name: np
      count: 3
      allocatable: { cpu: "4", memory: 16Gi, pods: 110 }
      labels: { role: logging }
workload:
  - name: agent
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        selector: { matchLabels: { app: agent } }
        template:
          metadata: { labels: { app: agent } }
          spec:
            nodeSelector: { role: logging }
            containers: [{ name: a, image: agent:1, resources: { requests: { cpu: 50m, memory: 64Mi } } }]
  - name: web
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 3
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            tolerations: [{ key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 30 }]
            containers: [{ name: web, image: nginx, resources: { requests: { cpu: 1, memory: 1Gi } } }]
  - name: ev
    trace: { format: ksim-events, file: events.jsonl }
`;
  const events = '{"at": 100, "op": "apply", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "late-0", "labels": {"role": "logging"}}, "status": {"allocatable": {"cpu": "4", "memory": "16Gi", "pods": "110"}}}}\n'
    + '{"at": 100.006, "op": "delete", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "late-0"}}}\n';
  const r = run(scenario, events);
  const late = rows(r, 'pods.csv').filter((p) => p['owner'] === 'agent' && Number(p['created_s']) > 100);
  assert.equal(late.length, 1);
  const attempts = rows(r, 'placements.csv').filter((p) => p['pod'] === late[0]?.['name']);
  assert.deepEqual(attempts.map((p) => p['result']), ['unschedulable']);
  // Created at 100.006173 s (before the deletion commits), failed at 100.007787 s; was Pending to the end.
  assert.deepEqual([Number(late[0]?.['created_s']), Number(attempts[0]?.['time_s']), Number(late[0]?.['deleted_s'])], [100.006173, 100.007787, 100.012907]);
  assert.deepEqual(r.warnings.filter((w) => w.includes('DaemonSet')), []);
});

test('end-of-run warning: a DaemonSet pod for a node since deleted is not "a node without its daemon"', () => {
  const r = run(DS_FULL('100s'), DELETE_NP0_AT_60);
  const w = r.warnings.filter((x) => x.startsWith('DaemonSet'));
  assert.equal(w.length, 1);
  assert.match(w[0] ?? '', /^DaemonSet kube-system\/agent ends with 1 pod not scheduled, 1 for a node since deleted: 1 unschedulable/);
});

test('metrics.groupBy: nodes a ksim-events trace adds in a pool the header lacks, or with none, count in the group (other), so the groups add up to the cluster', () => {
  const scenario = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: groups }
seed: 1
duration: 1m
metrics: { groupBy: pool, sampleInterval: 10s }
cluster:
  nodePools: [{ name: a, count: 2, allocatable: { cpu: "4", memory: 16Gi, pods: 110 } }]
workload:
  - name: web
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 4
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            nodeSelector: { role: new }
            containers: [{ name: web, image: nginx, resources: { requests: { cpu: "1", memory: 1Gi } } }]
  - name: ev
    trace: { format: ksim-events, file: events.jsonl }
`;
  const node = (name: string, labels: Record<string, string>) => JSON.stringify({ at: 20, op: 'apply', object: { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { role: 'new', ...labels } }, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } } } });
  const r = run(scenario, `${node('b-0', { 'ksim.io/pool': 'b' })}\n${node('loose', {})}\n`);
  const ts = rows(r, 'timeseries.csv');
  const cols = Object.keys(ts[0] ?? {}).filter((c) => c.endsWith(':nodes_ready'));
  // Was: pool=a only; b-0 and loose (and the 4 pods on them) were in no group.
  assert.deepEqual(cols, ['pool=a:nodes_ready', 'pool=(other):nodes_ready']);
  const at40 = ts.find((x) => Number(x['time_s']) === 40)!;
  const pick = ['nodes_ready', 'pods_running', 'pool=a:nodes_ready', 'pool=a:pods_running', 'pool=(other):nodes_ready', 'pool=(other):pods_running', 'pool=(other):cpu_requested_ratio'];
  assert.deepEqual(pick.map((c) => at40[c]), [4, 4, 2, 0, 2, 4, '0.5']);
  const at10 = ts.find((x) => Number(x['time_s']) === 10)!;
  assert.deepEqual(pick.map((c) => at10[c]), [2, 0, 2, 0, 0, 0, '']);
});

test('metrics.groupBy: Running pods of a deleted node count in its group until the pod GC deletes them, as in the cluster\'s pods_running', () => {
  const r = run(GHOST_RACE.replace('duration: 4m', 'duration: 4m\nmetrics: { groupBy: pool, sampleInterval: 10s }'), '{"at": 90, "op": "delete", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "np-0"}}}\n');
  const ts = rows(r, 'timeseries.csv');
  const at = (s: number) => ts.find((x) => Number(x['time_s']) === s)!;
  const pick = ['nodes_ready', 'pods_running', 'pods_available', 'pool=np:nodes_ready', 'pool=np:pods_running', 'pool=np:pods_available'];
  // 100 s: np-0 gone, its 3 pods Running orphans (unavailable; was pool=np:pods_running 3);
  // 160 s: the pod GC deleted them at 140 s (quarantined at the 100 s check), replaced on np-1.
  assert.deepEqual(pick.map((c) => at(100)[c]), [1, 6, 3, 1, 6, 3]);
  assert.deepEqual(pick.map((c) => at(160)[c]), [1, 6, 6, 1, 6, 6]);
});

const ROLLOUT = `apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: orphan-rollout }
metrics: { sampleInterval: 5s }
seed: 5
duration: 4m
cluster:
  nodePools:
    - name: np
      count: 2
      allocatable: { cpu: "4", memory: 16Gi, pods: 110 }
workload:
  - name: web
    at: 0s
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 4
        strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers: [{ name: web, image: nginx:1, resources: { requests: { cpu: 100m, memory: 128Mi } } }]
  - name: ev
    trace: { format: ksim-events, file: events.jsonl }
`;
const ROLLOUT_EVENTS = '{"at": 90, "op": "delete", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "np-0"}}}\n'
  + `${JSON.stringify({ at: 95, op: 'apply', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:2', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } } } } })}\n`;

test('a rollout counts the Running pods of a deleted Ready node available until the pod GC fails them (upstream: nothing writes their status at the deletion), so it does not pick them first', () => {
  const r = run(ROLLOUT, ROLLOUT_EVENTS);
  const old = rows(r, 'pods.csv').filter((p) => p['deletion_requested_s'] !== '' && Number(p['created_s']) < 1);
  // The rollout's scale-downs of the old ReplicaSet, one at a time (maxUnavailable 1): its 4
  // pods rank alike (Running, Ready, 2 on each node, started in the same power-of-two age
  // bucket), so by name. Was: the two orphans on np-0 first, counted
  // unavailable and ranked not Ready (cleanupUnhealthyReplicas), then np-1's.
  assert.deepEqual(old.map((p) => [Number(p['deletion_requested_s']), p['node']]).sort((a, b) => (a[0] as number) - (b[0] as number)), [
    [95.015473, 'np-1'],
    [96.427642, 'np-0'],
    [97.809291, 'np-1'],
    [98.70241, 'np-0'],
  ]);
  // ksim's own metric still counts the orphans unavailable (they run nowhere): at 95 s, 2.
  const ts = rows(r, 'timeseries.csv');
  assert.deepEqual(['pods_running', 'pods_available'].map((c) => ts.find((x) => Number(x['time_s']) === 95)?.[c]), [4, 2]);
});

test('end-of-run warning: a Deployment short of the pods of a node deleted before the pod GC deleted them says they are on a node since deleted, not on NotReady nodes', () => {
  const r = run(GHOST_RACE.replace('duration: 4m', 'duration: 110s'), '{"at": 90, "op": "delete", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "np-0"}}}\n');
  // Was: '... 3 of 6 replicas ready: 3 on NotReady nodes'.
  assert.deepEqual(r.warnings.filter((w) => w.startsWith('Deployment')), [
    'Deployment default/web ends with 3 of 6 replicas ready: 3 on nodes since deleted (the pod garbage collector deletes them 40 to 60 s after the node, then they are replaced)',
  ]);
});
