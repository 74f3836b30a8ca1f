// Workloads that end short of their replicas: the summary sums and the warning naming where the
// missing replicas stopped, on a cluster built by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodInfo } from '../cluster/pod-info.js';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import { ephemeralStorageHint, NeverBoundTally, shortfall, type WorkloadCount } from './shortfall.js';
import { tempTrace } from '../workload/traces/testing.js';
import { parseScenario } from '../workload/scenario.js';
import { runScenario } from '../run/run-scenario.js';
import type { FailedAttempt } from './collector.js';

const LIMITS = new Map([
  ['scheduler', { qps: 50, burst: 100 }],
  ['controller-manager', { qps: 20, burst: 30 }],
]);

test('a short workload is warned about with its replicas at each step, most first; whole ones are not', () => {
  const cluster = buildCluster([
    makeNode('n1').capacity({ cpu: '64', memory: '64Gi', pods: 110 }).obj(),
    makeNode('n2').capacity({ cpu: '64', memory: '64Gi', pods: 110 }).obj(),
  ]);
  cluster.updateNode('n2', { ready: false });
  const web: WorkloadCount = { kind: 'Deployment', namespace: 'shop', name: 'web', desired: 15, available: 2 };
  const db: WorkloadCount = { kind: 'StatefulSet', namespace: 'shop', name: 'db', desired: 3, available: 3 };
  const owner = new Map<PodInfo, WorkloadCount>();
  const lastFailure = new Map<PodInfo, FailedAttempt>();
  let i = 0;
  const pod = (w: WorkloadCount, state: 'available' | 'not-ready-node' | 'starting' | 'binding' | 'queued' | 'succeeded' | string) => {
    const p = podInfo(makePod(`${w.name}-${i++}`).namespace('shop').obj());
    cluster.addPod(p);
    owner.set(p, w);
    if (state === 'available' || state === 'not-ready-node' || state === 'starting' || state === 'binding' || state === 'succeeded') {
      cluster.assume(p, cluster.mustNode(state === 'not-ready-node' ? 'n2' : 'n1'));
      p.bound = state !== 'binding';
      if (state === 'available' || state === 'not-ready-node') cluster.setPhase(p, 'Running');
      if (state === 'succeeded') cluster.setPhase(p, 'Succeeded');
    } else if (state !== 'queued') lastFailure.set(p, { error: false, reason: state });
  };
  for (const s of ['available', 'available', 'not-ready-node', 'starting', 'binding', 'queued', 'succeeded']) pod(web, s);
  for (let k = 0; k < 4; k++) pod(web, '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.');
  pod(web, '0/2 nodes are available: 2 Insufficient memory.');
  for (let k = 0; k < 3; k++) pod(db, 'available');

  const r = shortfall({ workloads: [web, db], cluster, workloadOf: (p) => owner.get(p) ?? null, lastFailure, clients: LIMITS, apiQueueDepth: 7, refusedCreates: new Map() });
  assert.equal(r.replicasDesired, 18);
  assert.equal(r.replicasReady, 5);
  // 11 live pods (the Succeeded one does not count) of 15: 4 not created; 5 unschedulable, the
  // most, first; the four steps of 1 keep the path's order.
  assert.deepEqual(r.warnings, [
    'Deployment shop/web ends with 2 of 15 replicas ready: ' +
      '5 unschedulable, by latest reason: 4 "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.", ' +
      '1 "0/2 nodes are available: 2 Insufficient memory."; 4 not created (controller-manager client QPS 20, burst 30; api_queue_depth 7 at the end); 1 waiting to be scheduled; ' +
      '1 waiting for their binding (scheduler client QPS 50, burst 100); 1 bound, not Running yet; 1 on NotReady nodes',
  ]);
});

test('replicas_ready_end caps each workload at its desired count, so a surge does not hide a shortfall', () => {
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '64', memory: '64Gi', pods: 110 }).obj()]);
  const surging: WorkloadCount = { kind: 'Deployment', namespace: 'a', name: 'surging', desired: 10, available: 13 };
  const short: WorkloadCount = { kind: 'Deployment', namespace: 'a', name: 'short', desired: 5, available: 2 };
  const shortPods = new Set<PodInfo>();
  for (const name of ['short-0', 'short-1']) {
    const p = podInfo(makePod(name).namespace('a').obj());
    cluster.addPod(p);
    cluster.assume(p, cluster.mustNode('n1'));
    p.bound = true;
    cluster.setPhase(p, 'Running');
    shortPods.add(p);
  }
  const r = shortfall({ workloads: [surging, short], cluster, workloadOf: (p) => (shortPods.has(p) ? short : null), lastFailure: new Map(), clients: new Map(), apiQueueDepth: 0, refusedCreates: new Map() });
  assert.equal(r.replicasDesired, 15);
  assert.equal(r.replicasReady, 12);
  assert.deepEqual(r.warnings, ['Deployment a/short ends with 2 of 5 replicas ready: 3 not created (controller-manager client not rate-limited; api_queue_depth 0 at the end)']);
});

test('more than three unschedulable reasons: the three commonest (ties by reason), then the rest together', () => {
  const cluster = buildCluster([]);
  const w: WorkloadCount = { kind: 'StatefulSet', namespace: 'a', name: 'db', desired: 7, available: 0 };
  const lastFailure = new Map<PodInfo, FailedAttempt>();
  ['r1', 'r1', 'r2', 'r3', 'r4', 'r5', 'r0'].forEach((reason, k) => {
    const p = podInfo(makePod(`db-${k}`).namespace('a').obj());
    cluster.addPod(p);
    lastFailure.set(p, { error: false, reason });
  });
  const r = shortfall({ workloads: [w], cluster, workloadOf: () => w, lastFailure, clients: new Map(), apiQueueDepth: 0, refusedCreates: new Map() });
  assert.deepEqual(r.warnings, ['StatefulSet a/db ends with 0 of 7 replicas ready: 7 unschedulable, by latest reason: 2 "r1", 1 "r0", 1 "r2", 3 with other reasons']);
});

test('pod creates refused for the workload itself (a ResourceQuota) are named with the replicas not created; another workload\'s of the namespace are not', () => {
  const cluster = buildCluster([]);
  const w: WorkloadCount = { kind: 'Deployment', namespace: 'shop', name: 'web', desired: 3, available: 0 };
  const other: WorkloadCount = { kind: 'Deployment', namespace: 'shop', name: 'ratio', desired: 1, available: 0 };
  const refusedCreates = new Map([
    ['Deployment/shop/ratio', { count: 2, reason: 'pods "ratio-1" is forbidden: cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000' }],
    ['Deployment/shop/web', { count: 4, reason: 'pods "web-1" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1' }],
  ]);
  const r = shortfall({ workloads: [w, other], cluster, workloadOf: () => w, lastFailure: new Map(), clients: LIMITS, apiQueueDepth: 0, refusedCreates });
  assert.deepEqual(r.warnings, [
    'Deployment shop/web ends with 0 of 3 replicas ready: 3 not created (4 of its pod creates refused by the API server, first: ' +
      'pods "web-1" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1; ' +
      'controller-manager client QPS 20, burst 30; api_queue_depth 0 at the end)',
    'Deployment shop/ratio ends with 0 of 1 replicas ready: 1 not created (2 of its pod creates refused by the API server, first: ' +
      'pods "ratio-1" is forbidden: cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000; ' +
      'controller-manager client QPS 20, burst 30; api_queue_depth 0 at the end)',
  ]);
});

test('exactly three unschedulable reasons are all listed, with no "other reasons" part', () => {
  const cluster = buildCluster([]);
  const w: WorkloadCount = { kind: 'StatefulSet', namespace: 'a', name: 'db', desired: 4, available: 0 };
  const lastFailure = new Map<PodInfo, FailedAttempt>();
  ['r1', 'r2', 'r3', 'r1'].forEach((reason, k) => {
    const p = podInfo(makePod(`db-${k}`).namespace('a').obj());
    cluster.addPod(p);
    lastFailure.set(p, { error: false, reason });
  });
  const r = shortfall({ workloads: [w], cluster, workloadOf: () => w, lastFailure, clients: new Map(), apiQueueDepth: 0, refusedCreates: new Map() });
  assert.deepEqual(r.warnings, ['StatefulSet a/db ends with 0 of 4 replicas ready: 4 unschedulable, by latest reason: 2 "r1", 1 "r2", 1 "r3"']);
});

test('a workload short only by a Terminating replica has no step to name: the warning ends after the count', () => {
  // 3 live pods, all Running on a Ready node, one of them Terminating (not available): 2 of 3.
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '64', memory: '64Gi', pods: 110 }).obj()]);
  const w: WorkloadCount = { kind: 'Deployment', namespace: 'a', name: 'web', desired: 3, available: 2 };
  for (let k = 0; k < 3; k++) {
    const p = podInfo(makePod(`web-${k}`).namespace('a').obj());
    cluster.addPod(p);
    cluster.assume(p, cluster.mustNode('n1'));
    p.bound = true;
    cluster.setPhase(p, 'Running');
  }
  const r = shortfall({ workloads: [w], cluster, workloadOf: () => w, lastFailure: new Map(), clients: new Map(), apiQueueDepth: 0, refusedCreates: new Map() });
  assert.deepEqual(r.warnings, ['Deployment a/web ends with 2 of 3 replicas ready']);
});

test('a Terminating pod on a NotReady node is no replica of a Deployment (its ReplicaSet replaced it) but is one of a StatefulSet (which waits for it)', () => {
  const cluster = buildCluster([
    makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj(),
    makeNode('n2').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj(),
  ]);
  cluster.updateNode('n2', { ready: false });
  const web: WorkloadCount = { kind: 'Deployment', namespace: 'a', name: 'web', desired: 2, available: 1 };
  const db: WorkloadCount = { kind: 'StatefulSet', namespace: 'a', name: 'db', desired: 2, available: 1 };
  const owner = new Map<PodInfo, WorkloadCount>();
  const lastFailure = new Map<PodInfo, FailedAttempt>();
  const place = (w: WorkloadCount, name: string, node: string | null, evicted = false) => {
    const p = podInfo(makePod(name).namespace('a').obj());
    cluster.addPod(p);
    owner.set(p, w);
    if (node === null) {
      lastFailure.set(p, { error: false, reason: '0/2 nodes are available: 1 Insufficient cpu.' });
      return;
    }
    cluster.assume(p, cluster.mustNode(node));
    p.bound = true;
    cluster.setPhase(p, 'Running');
    if (evicted) cluster.markTerminating(p, 0, 'evicted');
  };
  place(web, 'web-a', 'n1');
  place(web, 'web-b', 'n2', true); // evicted, Terminating on the dead node
  place(web, 'web-c', null); // its replacement, unschedulable
  place(db, 'db-0', 'n1');
  place(db, 'db-1', 'n2', true); // its identity waits for it
  const r = shortfall({ workloads: [web, db], cluster, workloadOf: (p) => owner.get(p) ?? null, lastFailure, clients: new Map(), apiQueueDepth: 0, refusedCreates: new Map() });
  assert.deepEqual(r.warnings, [
    'Deployment a/web ends with 1 of 2 replicas ready: 1 unschedulable, by latest reason: 1 "0/2 nodes are available: 1 Insufficient cpu."',
    'StatefulSet a/db ends with 1 of 2 replicas ready: 1 Terminating, not gone yet (the replacement waits for it)',
  ]);
});

test('a StatefulSet (OrderedReady) short because a pod before the missing ordinals is not ready: the warning says so, not the rate limit', () => {
  const cluster = buildCluster([
    makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj(),
    makeNode('n2').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj(),
  ]);
  cluster.updateNode('n2', { ready: false });
  const db: WorkloadCount = { kind: 'StatefulSet', namespace: 'a', name: 'db', desired: 4, available: 2 };
  const owner = new Map<PodInfo, WorkloadCount>();
  const place = (name: string, node: string, evicted = false) => {
    const p = podInfo(makePod(name).namespace('a').obj());
    cluster.addPod(p);
    owner.set(p, db);
    cluster.assume(p, cluster.mustNode(node));
    p.bound = true;
    cluster.setPhase(p, 'Running');
    if (evicted) cluster.markTerminating(p, 0, 'evicted');
  };
  place('db-0', 'n1');
  place('db-1', 'n2', true); // Terminating on the lost node: db-3 (scaled up) waits for it
  place('db-2', 'n1');
  const r = shortfall({ workloads: [db], cluster, workloadOf: (p) => owner.get(p) ?? null, lastFailure: new Map(), clients: LIMITS, apiQueueDepth: 1, refusedCreates: new Map() });
  assert.deepEqual(r.warnings, [
    'StatefulSet a/db ends with 2 of 4 replicas ready: 1 not created (podManagementPolicy OrderedReady: an ordinal is created once every pod before it is Running and Ready, and db-1 is Terminating on a lost node); 1 Terminating, not gone yet (the replacement waits for it)',
  ]);
});

test('pods whose latest attempt ended in an error are told apart from unschedulable ones, and a reason holding quotes stays readable', () => {
  const cluster = buildCluster([]);
  const w: WorkloadCount = { kind: 'Deployment', namespace: 'a', name: 'web', desired: 3, available: 0 };
  const lastFailure = new Map<PodInfo, FailedAttempt>();
  const failed: FailedAttempt[] = [
    { error: true, reason: 'plugin "Frac" returns a non-integer score 62.5' },
    { error: true, reason: 'plugin "Frac" returns a non-integer score 62.5' },
    { error: false, reason: '0/2 nodes are available: 2 Insufficient cpu.' },
  ];
  failed.forEach((f, k) => {
    const p = podInfo(makePod(`web-${k}`).namespace('a').obj());
    cluster.addPod(p);
    lastFailure.set(p, f);
  });
  const r = shortfall({ workloads: [w], cluster, workloadOf: () => w, lastFailure, clients: new Map(), apiQueueDepth: 0, refusedCreates: new Map() });
  assert.deepEqual(r.warnings, [
    'Deployment a/web ends with 0 of 3 replicas ready: 2 whose scheduling ended in an error, by latest error: 2 "plugin \\"Frac\\" returns a non-integer score 62.5"; ' +
      '1 unschedulable, by latest reason: 1 "0/2 nodes are available: 2 Insufficient cpu."',
  ]);
});

test('a DaemonSet with pods left unscheduled at the end is warned about, one node without its daemon per pod', () => {
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj()]);
  const lastFailure = new Map<PodInfo, FailedAttempt>();
  const ds = (name: string, owner: string) => {
    const p = podInfo(makePod(name).namespace('monitoring').owner('DaemonSet', owner).obj());
    cluster.addPod(p);
    return p;
  };
  const running = ds('agent-a', 'agent');
  cluster.assume(running, cluster.mustNode('n1'));
  running.bound = true;
  cluster.setPhase(running, 'Running');
  lastFailure.set(ds('agent-b', 'agent'), { error: false, reason: '0/1 nodes are available: 1 Insufficient cpu.' });
  lastFailure.set(ds('agent-c', 'agent'), { error: false, reason: '0/1 nodes are available: 1 Insufficient cpu.' });
  ds('agent-d', 'agent'); // not tried yet
  lastFailure.set(ds('exporter-a', 'exporter'), { error: true, reason: 'running "Gate" filter plugin: down' });
  const r = shortfall({ workloads: [], cluster, workloadOf: () => null, lastFailure, clients: new Map(), apiQueueDepth: 0, refusedCreates: new Map() });
  assert.equal(r.replicasDesired, 0);
  assert.deepEqual(r.warnings, [
    'DaemonSet monitoring/agent ends with 3 pods not scheduled, 3 nodes without its daemon: 2 unschedulable, by latest reason: 2 "0/1 nodes are available: 1 Insufficient cpu."; 1 waiting to be scheduled or for their binding',
    'DaemonSet monitoring/exporter ends with 1 pod not scheduled, a node without its daemon: 1 whose scheduling ended in an error, by latest error: 1 "running \\"Gate\\" filter plugin: down"',
  ]);
});

const diskScenario = (pools: string, request: string) => parseScenario(`apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: ${pools}
workload:
  - name: w
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 2
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 10m, ephemeral-storage: ${request} } } }] }
`, 's.yaml');

test('"Insufficient ephemeral-storage" on pool nodes whose pool lists none: the warning says the pool lists none and where to add it (no capacity made up); a pool that lists too little gets no hint', () => {
  const none = runScenario(diskScenario('[{ name: general, count: 2, allocatable: { cpu: "4", memory: 16Gi } }]', '50Mi'));
  assert.equal(none.summary['pods_bound'], 0);
  assert.deepEqual(none.warnings.filter((w) => w.startsWith('Deployment')), [
    'Deployment default/web ends with 0 of 2 replicas ready: 2 unschedulable, by latest reason: 2 "0/2 nodes are available: 2 Insufficient ephemeral-storage. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."; pool general lists no ephemeral-storage allocatable, so its nodes offer none (real nodes report their root disk\'s): add allocatable.ephemeral-storage to it',
  ]);
  const small = runScenario(diskScenario('[{ name: general, count: 2, allocatable: { cpu: "4", memory: 16Gi, ephemeral-storage: 10Gi } }]', '20Gi'));
  assert.deepEqual(small.warnings.filter((w) => w.startsWith('Deployment')), [
    'Deployment default/web ends with 0 of 2 replicas ready: 2 unschedulable, by latest reason: 2 "0/2 nodes are available: 2 Insufficient ephemeral-storage. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."',
  ]);
  assert.equal(runScenario(diskScenario('[{ name: general, count: 2, allocatable: { cpu: "4", memory: 16Gi, ephemeral-storage: 100Gi } }]', '50Mi')).summary['pods_bound'], 2);
});

test('the ephemeral-storage hint names every pool that lists none, not explicit or trace nodes', () => {
  const s = diskScenario('[{ name: general, count: 1, allocatable: { cpu: "4", memory: 16Gi } }, { name: disk, count: 1, allocatable: { cpu: "4", memory: 16Gi, ephemeral-storage: 100Gi } }, { name: gpu, count: 1, allocatable: { cpu: "4", memory: 16Gi } }]', '1Gi');
  assert.equal(ephemeralStorageHint(s.nodes, s.nodePools ?? []), "pools general, gpu list no ephemeral-storage allocatable, so their nodes offer none (real nodes report their root disk's): add allocatable.ephemeral-storage to them");
  assert.equal(ephemeralStorageHint(s.nodes, []), null);
});

test('a DaemonSet surge pod that cannot bind beside its node\'s old pod leaves that node on the old template, not without its daemon', () => {
  const cluster = buildCluster(['n1', 'n2', 'n3'].map((n) => makeNode(n).capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj()));
  const lastFailure = new Map<PodInfo, FailedAttempt>();
  const pinned = (name: string, node: string) => {
    const p = podInfo(makePod(name).namespace('kube-system').owner('DaemonSet', 'aws-node').with((pod) => {
      pod.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } };
    }).obj());
    cluster.addPod(p);
    return p;
  };
  for (const n of ['n1', 'n2']) {
    const old = pinned(`aws-node-old-${n}`, n);
    cluster.assume(old, cluster.mustNode(n));
    old.bound = true;
    cluster.setPhase(old, 'Running');
  }
  const reason = "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].";
  lastFailure.set(pinned('aws-node-new-n1', 'n1'), { error: false, reason });
  lastFailure.set(pinned('aws-node-new-n2', 'n2'), { error: false, reason });
  const r = shortfall({ workloads: [], cluster, workloadOf: () => null, lastFailure, clients: new Map(), apiQueueDepth: 0, refusedCreates: new Map() });
  assert.deepEqual(r.warnings, [`DaemonSet kube-system/aws-node ends with 2 pods not scheduled, 2 nodes still on the old template: 2 unschedulable, by latest reason: 2 "${reason.replace(/"/g, '\\"')}"`]);
  // n3's pod has no old pod beside it: that node lacks the daemon.
  lastFailure.set(pinned('aws-node-new-n3', 'n3'), { error: false, reason });
  const r2 = shortfall({ workloads: [], cluster, workloadOf: () => null, lastFailure, clients: new Map(), apiQueueDepth: 0, refusedCreates: new Map() });
  assert.match(r2.warnings[0]!, /^DaemonSet kube-system\/aws-node ends with 3 pods not scheduled, a node without its daemon, 2 nodes still on the old template: /);
});

const neverScenario = (csv: string, as: 'Pod' | 'Job', extra = '') => parseScenario(`apiVersion: ksim/v1alpha1
kind: Scenario
duration: 1m
cluster:
  nodePools: [{ name: n, count: 2, allocatable: { cpu: "4", memory: 16Gi, pods: "110" } }]
workload:
  - name: t
    trace: { format: ksim-csv, file: ${tempTrace('t.csv', csv)}${as === 'Job' ? ', as: Job' : ''} }
${extra}`, 's.yaml');
const NO_FIT = '"0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."';

test('trace pods never bound are warned about per entry by latest reason, those the trace deleted before they were placed counted in the same warning', () => {
  const r = runScenario(neverScenario('time_s,name,cpu,memory,duration_s,delete_s\n0,fits,1,1Gi,,\n0,huge,100,1Gi,,\n1,gone,100,1Gi,,20\n2,gone2,100,1Gi,,30\n', 'Pod'));
  assert.equal(r.summary['pods_bound'], 1);
  assert.equal(r.summary['pods_unbound_end'], 1);
  assert.equal(r.summary['pods_deleted_unbound'], 2);
  assert.deepEqual(r.warnings.filter((w) => w.startsWith('trace')), [`trace t: 3 pods never bound (1 pending at the end; 2 deleted before they were placed (pods_deleted_unbound)): 3 unschedulable, by latest reason: 3 ${NO_FIT}`]);
});

test('a trace\'s Jobs (as: Job) and a manifest\'s Job with pods never bound are warned about per entry, naming the Jobs; a Job\'s pods deleted with it count; a manifest\'s bare pod is not (pods_unbound_end counts it)', () => {
  const job = `  - name: batch
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: big }
      spec: { parallelism: 2, completions: 2, template: { spec: { restartPolicy: Never, containers: [{ name: c, image: x, resources: { requests: { cpu: "100" } } }] } } }
  - name: lone
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: { name: lone }
      spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "100" } } }] }
`;
  const r = runScenario(neverScenario('time_s,name,cpu,memory,duration_s,delete_s\n0,fits,1,1Gi,5,\n0,huge,100,1Gi,,\n1,huge2,100,1Gi,,\n2,gone,100,1Gi,,20\n', 'Job', job));
  assert.deepEqual(r.warnings.filter((w) => w.startsWith('trace') || w.startsWith('workload')), [
    `trace t: 3 Job pods never bound (2 pending at the end, of 2 Jobs, first default/huge; 1 deleted with their Job before it was placed): 3 unschedulable, by latest reason: 3 ${NO_FIT}`,
    `workload batch: 2 Job pods never bound (2 pending at the end, of Job default/big): 2 unschedulable, by latest reason: 2 ${NO_FIT}`,
  ]);
  assert.equal(r.summary['pods_unbound_end'], 5);
});

test('a never-bound tally keeps at most 64 distinct reasons: the rest count among the other reasons, so a trace of millions of pods keeps counts', () => {
  const t = new NeverBoundTally();
  for (let k = 0; k < 70; k++) t.add({ error: false, reason: `r${k}` }, false);
  t.add({ error: false, reason: 'r0' }, false);
  t.add(undefined, false);
  t.add(undefined, true);
  assert.equal(t.reasons.size, 64);
  assert.equal(t.otherReasons, 6);
  assert.deepEqual(t.steps({ clients: LIMITS }), ['71 unschedulable, by latest reason: 2 "r0", 1 "r1", 1 "r10", 67 with other reasons', '1 waiting to be scheduled', '1 waiting for their binding (scheduler client QPS 50, burst 100)']);
});
