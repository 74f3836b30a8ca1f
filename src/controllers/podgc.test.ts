// The terminated-pod garbage collector: upstream TestGCTerminated's cases
// (pkg/controller/podgc/gc_controller_test.go: pods created an hour apart, deletedPodNames),
// plus the order within a second and the check period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig, type ClusterWatcher } from '../controlplane/api-server.js';
import type { PodInfo, PodPhase } from '../cluster/pod-info.js';
import { makePod, podInfo } from '../testing/builders.js';
import { parseScenario } from '../workload/scenario.js';
import { DEFAULT_TERMINATED_POD_GC_THRESHOLD, PodGarbageCollector, compareForPodGC } from './podgc.js';

const S = 1_000_000;
const H = 3600 * S;

interface PodCase {
  readonly name: string;
  readonly phase: PodPhase;
  /** When its create is sent (the write takes 1 ms). */
  readonly createUs: number;
}

/** Creates the pods, sets their phases right after, and runs until `untilUs`; returns the
 * names deleted, in deletion order, with the deletion times (s). */
function collect(pods: readonly PodCase[], threshold: number, untilUs: number): { deleted: string[]; atS: number[]; gc: PodGarbageCollector; sim: Simulation; checksAtS: number[] } {
  const checksAtS: number[] = [];
  const sim = new Simulation({ onEvent: (ev) => { if (ev.kind === 'podgc.check') checksAtS.push(ev.time / S); } });
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const gc = new PodGarbageCollector(sim, api, threshold);
  const deleted: string[] = [];
  const atS: number[] = [];
  api.watch({ podDeleted: (p) => { deleted.push(p.name); atS.push(sim.now / S); } });
  const last = Math.max(...pods.map((p) => p.createUs));
  for (const c of pods) {
    sim.scheduleAt(c.createUs, 'test.create', c.name, () => api.createPod(makePod(c.name).obj()));
  }
  // Phases once every pod exists, in creation order.
  sim.scheduleAt(last + 10_000, 'test.phases', '', () => {
    for (const c of pods) {
      const p = cluster.pods.get(`default/${c.name}`);
      if (p !== undefined && c.phase !== 'Pending') api.setPodPhase(p, c.phase);
    }
  });
  sim.run(untilUs);
  return { deleted, atS, gc, sim, checksAtS };
}

const hourly = (...specs: [string, PodPhase][]): PodCase[] => specs.map(([name, phase], i) => ({ name, phase, createUs: (i + 1) * H }));

test('the oldest terminated pods beyond the threshold are deleted (upstream TestGCTerminated)', () => {
  const cases: { name: string; pods: PodCase[]; threshold: number; deleted: string[] }[] = [
    { name: 'threshold 0 disables terminated pod deletion', pods: hourly(['a', 'Failed'], ['b', 'Succeeded']), threshold: 0, deleted: [] },
    { name: 'three terminated, threshold 1: the two oldest go', pods: hourly(['a', 'Failed'], ['b', 'Succeeded'], ['c', 'Failed']), threshold: 1, deleted: ['a', 'b'] },
    { name: 'a running pod is never counted nor deleted', pods: hourly(['a', 'Running'], ['b', 'Succeeded'], ['c', 'Failed']), threshold: 1, deleted: ['b'] },
    { name: 'two terminated, threshold 1: the older goes', pods: hourly(['a', 'Failed'], ['b', 'Succeeded']), threshold: 1, deleted: ['a'] },
    { name: 'under the threshold nothing is deleted', pods: hourly(['a', 'Failed'], ['b', 'Succeeded']), threshold: 5, deleted: [] },
  ];
  for (const c of cases) {
    assert.deepEqual(collect(c.pods, c.threshold, 5 * H).deleted, c.deleted, c.name);
  }
});

test('pods created within one second are ordered by name (creationTimestamp has whole seconds)', () => {
  // b is created 0.5 s before a, but in the same second: a is "older" by name; c is a second later.
  const pods: PodCase[] = [
    { name: 'b', phase: 'Succeeded', createUs: 200_000 },
    { name: 'a', phase: 'Succeeded', createUs: 700_000 },
    { name: 'c', phase: 'Succeeded', createUs: 1_100_000 },
  ];
  assert.deepEqual(collect(pods, 2, 60 * S).deleted, ['a']);
  assert.deepEqual(collect(pods, 1, 60 * S).deleted, ['a', 'b']);
});

test('the collector checks every 20 s from the start: pods over the threshold at 1.1 s go at 20 s', () => {
  const pods: PodCase[] = [
    { name: 'a', phase: 'Failed', createUs: 1_000_000 },
    { name: 'b', phase: 'Failed', createUs: 1_050_000 },
  ];
  // Phases commit at 1.061 s; the check at 20 s sends the delete, which commits 1 ms later.
  const r = collect(pods, 1, 60 * S);
  assert.deepEqual(r.deleted, ['a']);
  assert.deepEqual(r.atS, [20.001]);
  assert.equal(r.gc.podsDeleted, 1);
  assert.equal(r.gc.terminatedCount, 1);
});

const CLUSTER = 'cluster: { nodePools: [{ name: n, count: 1, allocatable: { cpu: "1", memory: 1Gi } }] }\n';

test('controlPlane.terminatedPodGCThreshold: upstream default 12500, 0 disables, bad values refused', () => {
  const load = (v: string) => parseScenario(`apiVersion: ksim/v1alpha1\nkind: Scenario\ncontrolPlane: { terminatedPodGCThreshold: ${v} }\n${CLUSTER}`, 's.yaml');
  assert.equal(DEFAULT_TERMINATED_POD_GC_THRESHOLD, 12_500);
  assert.equal(parseScenario(`apiVersion: ksim/v1alpha1\nkind: Scenario\n${CLUSTER}`, 's.yaml').terminatedPodGCThreshold, 12_500);
  assert.equal(load('0').terminatedPodGCThreshold, 0);
  assert.equal(load('300').terminatedPodGCThreshold, 300);
  const cases: [string, string][] = [
    ['-5', 's.yaml:3:43: controlPlane.terminatedPodGCThreshold: expected an integer >= 0 and <= 1000000000, got -5'],
    ['1.5', 's.yaml:3:43: controlPlane.terminatedPodGCThreshold: expected an integer >= 0 and <= 1000000000, got 1.5'],
    ['"x"', 's.yaml:3:43: controlPlane.terminatedPodGCThreshold: expected an integer, got "x"'],
  ];
  for (const [v, message] of cases) assert.throws(() => load(v), { message }, v);
});

test('the collector schedules a check only while terminated pods are over the threshold: one for several pods, none left after it, none at the threshold', () => {
  // All three terminate at 3 h + 10 ms: one check at the next 20 s boundary deletes the surplus.
  const pods = hourly(['a', 'Failed'], ['b', 'Succeeded'], ['c', 'Failed']);
  const over = collect(pods, 1, 5 * H);
  assert.deepEqual(over.deleted, ['a', 'b']);
  assert.deepEqual(over.checksAtS, [3 * 3600 + 20]);
  assert.equal(over.sim.pending, 0, 'no check armed after the one that deleted the surplus');
  const under = collect(pods, 3, 5 * H);
  assert.deepEqual(under.deleted, []);
  assert.deepEqual(under.checksAtS, [], 'no check at the threshold');
  assert.equal(under.sim.pending, 0);
  // A pod deleted while tracked (by someone else) no longer counts: 3 terminated, 1 deleted, threshold 2.
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  const gc = new PodGarbageCollector(sim, api, 2);
  for (const n of ['a', 'b', 'c']) api.createPod(makePod(n).obj());
  sim.run(S);
  for (const n of ['a', 'b', 'c']) api.setPodPhase(cluster.pods.get(`default/${n}`)!, 'Failed');
  sim.run(2 * S);
  api.deletePod(cluster.pods.get('default/a')!, 'by hand');
  sim.run(60 * S);
  assert.equal(gc.podsDeleted, 0, 'b and c are within the threshold once a is gone');
  assert.equal(gc.terminatedCount, 2);
});

test('the oldest go first whatever order they terminated in', () => {
  // Created z (1 h), y (2 h), x (3 h); phases set in the listed order x, y, z.
  const pods: PodCase[] = [
    { name: 'x', phase: 'Failed', createUs: 3 * H },
    { name: 'y', phase: 'Failed', createUs: 2 * H },
    { name: 'z', phase: 'Failed', createUs: 1 * H },
  ];
  assert.deepEqual(collect(pods, 1, 5 * H).deleted, ['z', 'y']);
});

test('compareForPodGC: creation second, then name (upstream byEvictionAndCreationTimestamp), then namespace; equal pods compare 0', () => {
  const p = (name: string, namespace: string, createdUs: number) => podInfo(makePod(name).namespace(namespace).obj(), createdUs);
  assert.equal(compareForPodGC(p('a', 'default', 1_900_000), p('b', 'default', 2_000_000)), -1, 'an earlier second first');
  assert.equal(compareForPodGC(p('b', 'default', 1_000_000), p('a', 'default', 1_900_000)), 1, 'the same second: by name');
  assert.equal(compareForPodGC(p('a', 'default', 1_900_000), p('b', 'default', 1_000_000)), -1);
  assert.equal(compareForPodGC(p('a', 'ns-b', 0), p('a', 'ns-a', 0)), 1, 'the same name: by namespace');
  assert.equal(compareForPodGC(p('a', 'ns-a', 0), p('a', 'ns-b', 0)), -1);
  assert.equal(compareForPodGC(p('a', 'ns-a', 0), p('a', 'ns-a', 500_000)), 0);
});

test('pods that finish after a check but were created before its survivors are deleted first', () => {
  // Threshold 2. c, d, e finish at 10 s: the 20 s check deletes c and keeps d, e. The older a and
  // b finish at 25 s: the 40 s check deletes them, not the survivors d and e. f finishes at 45 s:
  // the 60 s check deletes d.
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(1000), new RandomStreams(1).stream('api'));
  new PodGarbageCollector(sim, api, 2);
  const deleted: string[] = [];
  api.watch({ podDeleted: (p) => deleted.push(`${p.name}@${sim.now / S}`) });
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  names.forEach((n, i) => sim.scheduleAt((i + 1) * S, 'test.create', n, () => api.createPod(makePod(n).obj())));
  const finish = (atS: number, ...which: string[]) =>
    sim.scheduleAt(atS * S, 'test.finish', '', () => {
      for (const n of which) api.setPodPhase(cluster.pods.get(`default/${n}`)!, 'Succeeded');
    });
  finish(10, 'e', 'c', 'd');
  finish(25, 'b', 'a');
  finish(45, 'f');
  sim.run(70 * S);
  assert.deepEqual(deleted, ['c@20.001', 'a@40.001', 'b@40.001', 'd@60.001']);
});

test('over many checks, with pods deleted by others, each check deletes exactly the oldest terminated pods over the threshold (the sorted runs against a sort of all of them)', () => {
  // Threshold 40: a check's newcomers are mostly deleted by the next; threshold 600: more than
  // eight runs pile up and are merged.
  assert.ok(checkAgainstSortOfAll(40, 300, 0.03) > 1000);
  assert.ok(checkAgainstSortOfAll(600, 600, 0.002) > 1000);
});

/** `rounds` rounds of pods finishing (each terminated pod deleted by others with probability
 * `othersDelete` a round), every fourth a check; returns the deletions checked. */
function checkAgainstSortOfAll(threshold: number, rounds: number, othersDelete: number): number {
  // A fake API: the collector's watcher is called directly, deletions are recorded.
  let watcher: ClusterWatcher | null = null;
  const deletes: PodInfo[] = [];
  const api = { watch: (w: ClusterWatcher) => (watcher = w), deletePod: (p: PodInfo) => deletes.push(p) } as unknown as ApiServer;
  const gc = new PodGarbageCollector(new Simulation(), api, threshold);
  const w = watcher as unknown as ClusterWatcher;
  const rng = new RandomStreams(7).stream('podgc-test');
  const known = new Set<PodInfo>();
  let seq = 0;
  let checks = 0;
  let totalDeleted = 0;
  for (let round = 0; round < rounds; round++) {
    // Pods finish, created up to 30 s before a sliding "now" (so new ones often sort before
    // older survivors); names are random so that ties within a second go by name.
    const nowUs = round * 5 * S;
    for (let k = rng.int(25); k > 0; k--) {
      const p = podInfo(makePod(`p${rng.int(1000)}-${seq++}`).obj(), Math.max(0, nowUs - rng.int(30) * S - rng.int(S)));
      p.phase = rng.next() < 0.5 ? 'Succeeded' : 'Failed';
      w.podPhaseChanged?.(p, 'Running');
      known.add(p);
    }
    // Others delete some of the terminated pods.
    for (const p of known) {
      if (rng.next() < othersDelete) {
        p.deleted = true;
        known.delete(p);
        w.podDeleted?.(p, 'test');
      }
    }
    if (round % 4 !== 3) continue;
    // A check: the expected deletions are the oldest of all the live terminated pods.
    checks++;
    const expected = [...known].sort(compareForPodGC).slice(0, Math.max(0, known.size - threshold));
    deletes.length = 0;
    gc.gc();
    assert.deepEqual(deletes.map((p) => p.key), expected.map((p) => p.key), `check ${checks}`);
    for (const p of deletes) {
      p.deleted = true;
      known.delete(p);
      w.podDeleted?.(p, 'test');
    }
    totalDeleted += deletes.length;
    assert.equal(gc.terminatedCount, Math.min(threshold, known.size));
  }
  assert.equal(checks, rounds / 4);
  return totalDeleted;
}
