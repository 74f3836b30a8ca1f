// The kubelet's container failures: restartPolicy Never ends the pod Failed; Always / OnFailure
// restart the container in place after upstream's CrashLoopBackOff delays (0 s for the first
// crash, then 10 s doubling, capped at 5 min; reset when the container ran > 10 min).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { makeNode } from '../testing/builders.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Kubelets, CRASHLOOP_INITIAL_BACKOFF_US, CRASHLOOP_MAX_BACKOFF_US } from './kubelet.js';
import { prepareRun, runScenario } from '../run/run-scenario.js';
import { parseScenario } from '../workload/scenario.js';

const S = 1_000_000;

/** One node, API writes of 0 latency; the pod starts 1 s after binding and runs `runS` per run;
 * `fails` scripts the outcome of each run end (true: the container exits with an error). */
function harness(restartPolicy: 'Always' | 'OnFailure' | 'Never', runS: number[], fails: boolean[]) {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const node = cluster.addNode(makeNode('a').obj(), 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  const runs = [...runS];
  const outcomes = [...fails];
  const runEnds: number[] = [];
  const starts: number[] = [];
  const kubelets = new Kubelets(sim, api, {
    startupLatencyUs: () => S,
    runDurationUs: () => {
      starts.push(sim.now);
      return (runs.shift() ?? 1e6) * S;
    },
    containerFails: () => {
      runEnds.push(sim.now);
      return outcomes.shift() ?? false;
    },
  }, cluster);
  let pod: PodInfo | null = null;
  api.createPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' }, spec: { restartPolicy, containers: [{ name: 'c', image: 'img' }] } }, (p) => {
    pod = p;
    cluster.assume(p!, node);
    api.bindPod(p!, 'a', () => {});
  });
  sim.run(0);
  return { sim, cluster, node, api, kubelets, pod: () => pod as unknown as PodInfo, runEnds, starts };
}

test('upstream CrashLoopBackOff constants: 10 s initial, 5 min cap', () => {
  assert.equal(CRASHLOOP_INITIAL_BACKOFF_US, 10 * S);
  assert.equal(CRASHLOOP_MAX_BACKOFF_US, 300 * S);
});

test('restartPolicy Never: a failing container ends the pod Failed, resources released, no restart', () => {
  const h = harness('Never', [30], [true]);
  h.sim.run(100 * S);
  assert.equal(h.pod().phase, 'Failed');
  assert.equal(h.pod().finishedUs, 31 * S);
  assert.equal(h.pod().restarts, 0);
  assert.equal(h.kubelets.containerRestarts, 0);
  assert.equal(h.node.pods.length, 0);
});

test('restartPolicy Never: a container that exits cleanly ends the pod Succeeded', () => {
  const h = harness('Never', [30], [false]);
  h.sim.run(100 * S);
  assert.equal(h.pod().phase, 'Succeeded');
});

test('restartPolicy Always: restarts at 0 s, 10 s, 20 s, 40 s after successive crashes; the pod stays Running and bound', () => {
  // Runs of 5 s: start at 1 s; crash 6 → restart 6; crash 11 → +10 → 21; crash 26 → +20 → 46;
  // crash 51 → +40 → 91; fifth run ends 96 cleanly → Succeeded.
  const h = harness('Always', [5, 5, 5, 5, 5], [true, true, true, true, false]);
  h.sim.run(30 * S);
  assert.equal(h.pod().phase, 'Running', 'phase stays Running while the container waits in CrashLoopBackOff');
  assert.equal(h.pod().bound, true);
  assert.equal(h.node.pods.length, 1, 'resources stay held during the backoff');
  h.sim.run(200 * S);
  assert.deepEqual(h.runEnds.map((t) => t / S), [6, 11, 26, 51, 96]);
  assert.deepEqual(h.starts.map((t) => t / S), [1, 6, 21, 46, 91]);
  assert.equal(h.pod().restarts, 4);
  assert.equal(h.kubelets.containerRestarts, 4);
  assert.equal(h.pod().phase, 'Succeeded');
});

test('restartPolicy OnFailure: the backoff is capped at 5 minutes', () => {
  // Runs of 1 s crash 8 times: waits 0, 10, 20, 40, 80, 160, 300, 300 s.
  const h = harness('OnFailure', Array(9).fill(1) as number[], [...Array(8).fill(true) as boolean[], false]);
  h.sim.run(3600 * S);
  const waits = h.starts.slice(1).map((t, i) => (t - (h.runEnds[i] as number)) / S);
  assert.deepEqual(waits, [0, 10, 20, 40, 80, 160, 300, 300]);
  assert.equal(h.pod().restarts, 8);
  assert.equal(h.pod().phase, 'Succeeded');
});

test('a container that ran more than 10 minutes after its last restart crashes with the backoff reset', () => {
  // Crash at 6 (restart now, backoff 10 s), crash at 11 (wait 10 → 21, backoff 20 s), then a run of
  // 601 s: crash at 622, 601 s > 600 s after the restart at 21 → restart at once, backoff 10 s;
  // crash at 627 → wait 10 s (not 40).
  const h = harness('Always', [5, 5, 601, 5, 5], [true, true, true, true, false]);
  h.sim.run(2000 * S);
  assert.deepEqual(h.runEnds.map((t) => t / S), [6, 11, 622, 627, 642]);
  assert.deepEqual(h.starts.map((t) => t / S), [1, 6, 21, 622, 637]);
});

test('a run of exactly 10 minutes does not reset the backoff (upstream: strictly more than 2 × 5 min)', () => {
  const h = harness('Always', [5, 5, 600, 5], [true, true, true, false]);
  h.sim.run(2000 * S);
  // crash 6 → 6; crash 11 → 21 (backoff 20); run 600 s → crash 621, 600 s since 21 → wait 20 → 641.
  assert.deepEqual(h.starts.map((t) => t / S), [1, 6, 21, 641]);
});

test('a pod deleted during its CrashLoopBackOff is not restarted', () => {
  const h = harness('Always', [5, 5, 5], [true, true, false]);
  h.sim.run(12 * S); // crashes at 6 and 11, waiting until 21
  const p = h.pod();
  assert.equal(p.restarts, 1);
  h.api.deletePod(p, 'test');
  h.sim.run(100 * S);
  assert.deepEqual(h.starts.map((t) => t / S), [1, 6]);
  assert.equal(p.deleted, true);
  assert.equal(p.restarts, 1, 'no restart after the deletion');
});

test('a partition holds the status writes of 4 restarts and the end: the heal sends one write with the latest status (upstream status manager: latest status per pod)', () => {
  // Runs of 5 s from 1 s: crashes at 6, 11, 26, 51 (restarts at 6, 21, 46, 91), Succeeded at 96,
  // all while the node is cut off (3 s to 200 s).
  const h = harness('OnFailure', [5, 5, 5, 5, 5], [true, true, true, true, false]);
  const heard: string[] = [];
  h.api.observe({
    podRestarted: (_p, n) => heard.push(`restarts ${n}@${h.sim.now / S}s`),
    podPhaseChanged: (p) => heard.push(`${p.phase}@${h.sim.now / S}s`),
  });
  h.sim.scheduleAt(3 * S, 'test', 'partition', () => h.kubelets.partition('a'));
  h.sim.run(199 * S);
  assert.deepEqual(heard, ['Running@1s'], 'nothing written while cut off');
  const before = h.api.writes;
  h.sim.scheduleAt(200 * S, 'test', 'heal', () => h.kubelets.recover('a'));
  h.sim.run(300 * S);
  // The heal's lease renewal and one status write for the pod (it was 1 + 5: one per held change).
  assert.equal(h.api.writes - before, 2);
  assert.deepEqual(heard, ['Running@1s', 'restarts 4@200s', 'Succeeded@200s']);
  assert.equal(h.pod().restarts, 4);
});

test('in a whole run, a partition of 10 minutes over two crash-looping pods: the heal writes 2 pod statuses, not one per restart held (10)', () => {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 20m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 32Gi } }]
workload:
  - name: crashy
    runDuration: 5s
    failure: { probability: 1 }
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: crashy }
      spec:
        replicas: 2
        selector: { matchLabels: { app: crashy } }
        template:
          metadata: { labels: { app: crashy } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "1" } } }] }
faults:
  - partition: { nodes: [n-0], at: 10s, for: 10m }
`;
  const r = runScenario(parseScenario(text, 'partition-restarts.yaml'), { events: true });
  const statusWrites = (r.tables.find((t) => t.file === 'events.csv')?.rows ?? []).filter((e) => e['kind'] === 'api.pod-status').map((e) => Number(e['time_s']));
  // Each pod (Running at ~1 s) restarts at ~6, 21, 46, 91, 176, 341 s (CrashLoopBackOff 0, 10,
  // 20, 40, 80, 160 s after 5 s runs): the five from 21 s fall in the partition (10–610 s).
  assert.equal(statusWrites.filter((t) => t >= 10 && t < 610).length, 0, 'none while cut off');
  assert.equal(statusWrites.filter((t) => t >= 610 && t < 611).length, 2, 'one per pod at the heal');
  assert.equal(Number(r.tables.find((t) => t.file === 'summary.csv')!.rows[0]!['container_restarts']), 2 * 8, 'restarts at ~6, 21, 46, 91, 176, 341, 646 and 951 s');
});

test('without containerFails every run ends Succeeded (existing behaviour)', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const node = cluster.addNode(makeNode('a').obj(), 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  new Kubelets(sim, api, { startupLatencyUs: () => S, runDurationUs: () => 5 * S }, cluster);
  let pod: PodInfo | null = null;
  api.createPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'img' }] } }, (p) => {
    pod = p;
    cluster.assume(p!, node);
    api.bindPod(p!, 'a', () => {});
  });
  sim.run(100 * S);
  assert.equal((pod as unknown as PodInfo).phase, 'Succeeded');
  assert.equal((pod as unknown as PodInfo).finishedUs, 6 * S);
});

/** Image pulls: node `a` holds `base:1` (status.images); each pull takes `pullS[i]` seconds in
 * order of pulls; startup latency 1 s; pods bound at the times given. */
function pullHarness(pullS: number[]) {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const n0 = makeNode('a').obj();
  const n = { ...n0, status: { ...n0.status, images: [{ names: ['base:1'], sizeBytes: 1 }] } };
  const node = cluster.addNode(n, 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  const pulls = [...pullS];
  const pulled: string[] = [];
  const kubelets = new Kubelets(sim, api, {
    startupLatencyUs: () => S,
    runDurationUs: () => null,
    imagePullUs: (img) => {
      pulled.push(img);
      return (pulls.shift() ?? 0) * S;
    },
  }, cluster);
  const pods = new Map<string, PodInfo>();
  const bindAt = (atS: number, name: string, images: string[], init: string[] = []) => {
    sim.scheduleAt(atS * S, 'test.bind', name, () => {
      api.createPod({
        apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
        spec: { initContainers: init.map((image, i) => ({ name: `i${i}`, image })), containers: images.map((image, i) => ({ name: `c${i}`, image })) },
      }, (p) => {
        pods.set(name, p!);
        cluster.assume(p!, node);
        api.bindPod(p!, 'a', () => {});
      });
    });
  };
  const startS = (name: string) => (pods.get(name)?.startedUs ?? -1) / S;
  return { sim, kubelets, bindAt, startS, pulled };
}

test('image pulls: an image in status.images is not pulled (untagged names compare with :latest)', () => {
  const h = pullHarness([30]);
  h.bindAt(0, 'x', ['base:1']);
  h.sim.run(100 * S);
  assert.equal(h.startS('x'), 1);
  assert.deepEqual(h.pulled, []);
});

test('image pulls: a missing image adds its pull time; a later pod on the node finds it pulled', () => {
  const h = pullHarness([30]);
  h.bindAt(0, 'x', ['app']);
  h.bindAt(50, 'y', ['app:latest']);
  h.sim.run(100 * S);
  assert.equal(h.startS('x'), 31, '1 s startup + 30 s pull');
  assert.equal(h.startS('y'), 51, 'app is app:latest, already pulled');
  assert.deepEqual(h.pulled, ['app:latest']);
  assert.equal(h.kubelets.imagePulls, 1);
});

test('image pulls are serialized per node: init and app images in order, a second pod queues behind', () => {
  // x needs init:1 (10 s) then app:1 (20 s): the puller is busy 0 → 30, x starts at 0 + 1 + 30.
  // y (bound at 5) needs other:1 (7 s), pulled 30 → 37: y starts at 5 + 1 + (37 − 5) = 38.
  const h = pullHarness([10, 20, 7]);
  h.bindAt(0, 'x', ['app:1'], ['init:1']);
  h.bindAt(5, 'y', ['other:1']);
  h.sim.run(100 * S);
  assert.deepEqual(h.pulled, ['init:1', 'app:1', 'other:1']);
  assert.equal(h.startS('x'), 31);
  assert.equal(h.startS('y'), 38);
});

test('image pulls: a pod needing an image still being pulled waits for that pull, without a second pull', () => {
  const h = pullHarness([40]);
  h.bindAt(0, 'x', ['big:1']);
  h.bindAt(10, 'y', ['big:1', 'base:1']);
  h.sim.run(100 * S);
  assert.equal(h.startS('x'), 41);
  assert.equal(h.startS('y'), 41, 'big:1 lands at 40: y starts at 10 + 1 s startup + 30 s wait');
  assert.deepEqual(h.pulled, ['big:1']);
});

test('leases: a joining node renews every 10 s from its join; one that leaves stops its timer (no kubelet.lease event while gone) and one that joins again starts a new one from its join', () => {
  const leaseTicks: number[] = [];
  const sim = new Simulation({ onEvent: (ev) => ev.kind === 'kubelet.lease' && leaseTicks.push(ev.time / S) });
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  const kubelets = new Kubelets(sim, api, { startupLatencyUs: () => S, runDurationUs: () => null, leaseRng: new RandomStreams(1).stream('lease') }, cluster);
  const renewals: number[] = [];
  // Renewals are told as leaseRenewed (the stored Lease changes in place), never objectUpdated.
  api.observe({
    leaseRenewed: (o, renewUs) => {
      assert.equal(o.stored, cluster.objects.get('Lease/kube-node-lease/n'), 'the stored Lease');
      assert.equal(renewUs, sim.now, 'no write latency: renewed at its commit');
      renewals.push(renewUs / S);
    },
    objectUpdated: () => assert.fail('a renewal told as objectUpdated'),
  });
  sim.scheduleAt(5 * S, 'test', 'join', () => api.addNode(makeNode('n').obj(), 'p'));
  sim.run(36 * S);
  // Joined at 5 s (the Lease created then): renewals at 15, 25 and 35 s.
  assert.deepEqual(renewals, [15, 25, 35]);
  assert.equal(kubelets.leaseRenewals, 3);
  // Gone at 40 s, back at 52 s: no timer while gone (no event at 45 s), then a new kubelet's
  // Lease at 52 s and its renewals 10 s apart from there: 62 and 72 s.
  sim.scheduleAt(40 * S, 'test', 'leave', () => cluster.removeNode('n'));
  sim.scheduleAt(52 * S, 'test', 'join', () => api.addNode(makeNode('n').obj(), 'p'));
  sim.run(75 * S);
  assert.deepEqual(renewals, [15, 25, 35, 62, 72]);
  assert.deepEqual(leaseTicks, [15, 25, 35, 62, 72], 'no kubelet.lease event at 45 s (gone), nor at 55 / 65 s (the old timer)');
  assert.equal((cluster.objects.get('Lease/kube-node-lease/n')?.spec as { renewTime: number }).renewTime, 72 * S);
  // Gone for good at 80 s: no kubelet.lease event after it.
  sim.scheduleAt(80 * S, 'test', 'leave', () => cluster.removeNode('n'));
  sim.run(200 * S);
  assert.deepEqual(leaseTicks, [15, 25, 35, 62, 72]);
});

test('leases: one renewal in flight per node: behind an etcd stalled 20–80 s the renewal sent at 25 s waits, the ticks of 35–75 s send nothing, and the next goes at 85 s', () => {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const base = fixedLatencyApiConfig(0);
  const api = new ApiServer(sim, cluster, { ...base, etcd: { ...base.etcd, electionTimeoutUs: 60 * S } }, new RandomStreams(1).stream('api'));
  const kubelets = new Kubelets(sim, api, { startupLatencyUs: () => S, runDurationUs: () => null, leaseRng: new RandomStreams(1).stream('lease') }, cluster);
  const commits: number[] = [];
  api.observe({ leaseRenewed: () => commits.push(sim.now / S) });
  // After the join, every write is a renewal: the API server's writes in flight are the node's.
  let maxInFlight = 0;
  sim.scheduleAt(5 * S, 'test', 'join', () => api.addNode(makeNode('n').obj(), 'p'));
  sim.scheduleAt(20 * S, 'test', 'stall', () => api.etcd.loseLeader(sim.now));
  for (let t = 15; t <= 95; t += 10) sim.scheduleAt(t * S + 1, 'test', 'sample', () => (maxInFlight = Math.max(maxInFlight, api.inFlight)));
  sim.run(99 * S);
  // Renewals at 15 s (committed at once), 25 s (committed when the election ends at 80 s), 85
  // and 95 s. It was 9 sent, 6 of them (25–75 s) in flight together and committed at 80 s.
  assert.deepEqual(commits, [15, 80, 85, 95]);
  assert.equal(kubelets.leaseRenewals, 4);
  assert.equal(maxInFlight, 1);
});

test('in a whole run, an etcd leader loss with a 60 s election (120–180 s) on 20 nodes: one Lease renewal per node waits and commits at its end, not one per 10 s tick', () => {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 2
duration: 5m
cluster:
  nodePools: [{ name: n, count: 20, allocatable: { cpu: "8", memory: 32Gi } }]
controlPlane:
  etcd: { electionTimeout: 60s }
workload:
  - name: web
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 10
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: "1" } } }] }
faults:
  - etcdLeaderLoss: { at: 2m }
`;
  const r = runScenario(parseScenario(text, 'etcd-stall-leases.yaml'), { events: true });
  const leaseCommits = (r.tables.find((t) => t.file === 'events.csv')?.rows ?? []).filter((e) => e['kind'] === 'api.update-object' && String(e['object']).startsWith('Lease/')).map((e) => Number(e['time_s']));
  // Nothing commits during the election; at its end the writes queued behind it commit within a
  // few ms: one renewal per node (it was 6 per node, one per tick of the 60 s: 120).
  assert.equal(leaseCommits.filter((t) => t > 120 && t < 180).length, 0);
  assert.equal(leaseCommits.filter((t) => t >= 180 && t < 180.1).length, 20);
});

test('pod spec.activeDeadlineSeconds (upstream active_deadline.go): its kubelet fails the pod that long after accepting it (Failed, reason DeadlineExceeded); a Job counts it against backoffLimit', () => {
  const text = `apiVersion: ksim/v1alpha1
kind: Scenario
seed: 1
duration: 5m
cluster:
  nodePools: [{ name: n, count: 1, allocatable: { cpu: "8", memory: 16Gi } }]
kubelet:
  startupLatency: 1s
workload:
  - name: bare
    at: 0s
    runDuration: 5m
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: bare }, spec: { activeDeadlineSeconds: 60, restartPolicy: Never, containers: [{ name: c, image: x }] } }
  - name: quick
    at: 0s
    runDuration: 30s
    manifest: { apiVersion: v1, kind: Pod, metadata: { name: quick }, spec: { activeDeadlineSeconds: 60, restartPolicy: Never, containers: [{ name: c, image: x }] } }
  - name: podads
    at: 0s
    runDuration: 5m
    manifest:
      apiVersion: batch/v1
      kind: Job
      metadata: { name: podads }
      spec:
        backoffLimit: 0
        template: { spec: { activeDeadlineSeconds: 60, restartPolicy: Never, containers: [{ name: c, image: x }] } }
`;
  const run = prepareRun(parseScenario(text, 'pod-deadline.yaml'), { checkInvariants: true });
  run.sim.run(run.endUs);
  const bare = run.cluster.pods.get('default/bare')!;
  assert.equal(bare.phase, 'Failed');
  assert.equal(bare.pod.status?.reason, 'DeadlineExceeded');
  // Bound at ~5 ms (the kubelet accepts it then: status.startTime), Running at ~1 s; failed 60 s
  // after the binding was heard, not 60 s after Running and not at its 5-minute end.
  const within = (v: number, lo: number, what: string) => assert.ok(v >= lo && v < lo + 0.1 * S, `${what}: ${v / S} s`);
  within(bare.finishedUs - bare.boundUs, 60 * S, 'bare: failed after its binding');
  // quick ends Succeeded at ~31 s, before its deadline.
  assert.equal(run.cluster.pods.get('default/quick')!.phase, 'Succeeded');
  const r = run.finish();
  const job = (r.tables.find((t) => t.file === 'jobs.csv')?.rows ?? [])[0]!;
  // Its pod failed at ~60 s: 1 failure > backoffLimit 0, at the Job's sync 1 s after that pod
  // event (upstream syncJobBatchPeriod): ~61 s.
  assert.deepEqual([job['condition'], job['reason'], job['failed']], ['Failed', 'BackoffLimitExceeded', 1]);
  assert.ok(Number(job['finished_s']) >= 61 && Number(job['finished_s']) < 61.1, String(job['finished_s']));
});

test('status.startTime is set when the kubelet hears the binding, before image pulls: preemption spares the pod bound first though it started Running last', () => {
  // first: bound at ~1 s, its image pulled for 60 s, Running at ~61.8 s; second: bound at ~5 s,
  // Running at ~5.9 s. vip (higher priority) at 120 s needs one CPU: the victim is the pod with
  // the later status.startTime (util.MoreImportantPod), second — not first, which started
  // Running later (the run evicted first before).
  const text = `
apiVersion: ksim/v1alpha1
kind: Scenario
metadata: { name: start-time }
seed: 1
duration: 4m
cluster:
  nodePools:
    - { name: a, count: 1, zones: [zone-a], allocatable: { cpu: "2", memory: 16Gi, pods: 110 }, images: ["registry.k8s.io/pause:3.10"] }
kubelet:
  imagePull: 60s
workload:
  - { name: pc-low, at: 0s, manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: low }, value: 100 } }
  - { name: pc-high, at: 0s, manifest: { apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: { name: high }, value: 1000 } }
  - { name: first, at: 1s, manifest: { apiVersion: v1, kind: Pod, metadata: { name: first }, spec: { priorityClassName: low, containers: [{ name: c, image: "ghcr.io/example/big-model-server:1.0", resources: { requests: { cpu: "1" } } }] } } }
  - { name: second, at: 5s, manifest: { apiVersion: v1, kind: Pod, metadata: { name: second }, spec: { priorityClassName: low, containers: [{ name: c, image: "registry.k8s.io/pause:3.10", resources: { requests: { cpu: "1" } } }] } } }
  - { name: vip, at: 120s, manifest: { apiVersion: v1, kind: Pod, metadata: { name: vip }, spec: { priorityClassName: high, containers: [{ name: c, image: "registry.k8s.io/pause:3.10", resources: { requests: { cpu: "1" } } }] } } }
`;
  const run = prepareRun(parseScenario(text, 'start-time.yaml'), { checkInvariants: true });
  run.sim.run(119 * S);
  const first = run.cluster.pods.get('default/first')!;
  const second = run.cluster.pods.get('default/second')!;
  // Accepted when the kubelet heard the binding (its watch delivery, a few ms after the commit),
  // Running after the startup latency and the pull.
  for (const p of [first, second]) assert.ok(p.acceptedUs > p.boundUs && p.acceptedUs < p.boundUs + 10_000, `${p.name}: bound ${p.boundUs}, accepted ${p.acceptedUs}`);
  assert.ok(first.acceptedUs < 2 * S && second.acceptedUs > 5 * S && second.acceptedUs < 6 * S, `${first.acceptedUs} ${second.acceptedUs}`);
  assert.ok(first.startedUs > 60 * S && second.startedUs < 7 * S, `${first.startedUs} ${second.startedUs}`);
  run.sim.run(run.endUs);
  assert.deepEqual([first.preempted, second.preempted], [false, true]);
  assert.equal(run.cluster.pods.get('default/vip')!.phase, 'Running');
});

/** Node `a` (1 cpu, 2 pods) with a pod `hog` of 800m bound and Running on it; API writes of
 * 1 ms, instant watches; pods start 1 s after their kubelet hears them. */
function admissionHarness() {
  const sim = new Simulation();
  const cluster = new ClusterState();
  cluster.addNode(makeNode('a').capacity({ cpu: '1', memory: '1Gi', pods: '2' }).obj(), 'p');
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const kubelets = new Kubelets(sim, api, { startupLatencyUs: () => S, runDurationUs: () => null }, cluster);
  const bound = (name: string, cpu: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'a', containers: [{ name: 'c', image: 'img', resources: { requests: { cpu } } }] } });
  api.createPod(bound('hog', '800m'));
  sim.run(2 * S);
  return { sim, cluster, api, kubelets, bound, pod: (name: string) => cluster.pods.get(`default/${name}`)! };
}

test('a pod created bound to a node it does not fit is refused by its kubelet (upstream lifecycle/predicate.go): Failed, OutOfcpu, the first resource short; OutOfpods before cpu', () => {
  const h = admissionHarness();
  assert.equal(h.pod('hog').phase, 'Running');
  h.api.createPod(h.bound('big', '500m'));
  h.sim.run(3 * S);
  const big = h.pod('big');
  assert.deepEqual([big.phase, big.bound, big.nodeName, big.onBooks, big.startedUs], ['Failed', true, 'a', false, -1]);
  assert.deepEqual(big.pod.status, { reason: 'OutOfcpu', message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 500, used: 800, capacity: 1000" });
  // A second small pod fits (2 pods); a third is refused on the pod count first.
  h.api.createPod(h.bound('small', '100m'));
  h.api.createPod(h.bound('third', '500m'));
  h.sim.run(5 * S);
  assert.equal(h.pod('small').phase, 'Running');
  assert.deepEqual(h.pod('third').pod.status, { reason: 'OutOfpods', message: "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2" });
  assert.deepEqual(h.cluster.nodeByName.get('a')!.pods.map((p) => p.name), ['hog', 'small']);
});

test('a kubelet that is down when a pod that did not fit is bound to it admits it when back if there is room by then, and starts it', () => {
  const h = admissionHarness();
  h.kubelets.crash('a');
  h.api.createPod(h.bound('big', '500m'));
  h.sim.run(3 * S);
  assert.deepEqual([h.pod('big').phase, h.pod('big').onBooks], ['Pending', false]);
  h.api.deletePod(h.pod('hog'), 'test', true);
  h.sim.run(4 * S);
  h.kubelets.recover('a');
  h.sim.run(10 * S);
  const big = h.pod('big');
  assert.deepEqual([big.phase, big.onBooks, big.startedUs], ['Running', true, 5 * S + 1000]);
});
