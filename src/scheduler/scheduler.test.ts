// The scheduler component around the algorithm: what a failed binding tells the queue. Upstream
// handleBindingCycleError (pkg/scheduler/schedule_one.go) treats forgetting an assumed pod as an
// AssignedPodDelete event whose object is the assumed pod, spec.nodeName set, so the queueing
// hints of plugins that pass over unscheduled pods (NodeResourcesFit, InterPodAffinity, ...) let
// the pods that pod's place was refused to retry at once instead of at the 5-minute flush.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, type ApiConfig } from '../controlplane/api-server.js';
import { makeNode, makePod } from '../testing/builders.js';
import { defaultProfileConfig } from './config/kube-scheduler-configuration.js';
import { inTreeRegistry } from './plugins/registry.js';
import { Status } from './framework/status.js';
import type { PermitPlugin, PluginFactory } from './framework/interfaces.js';
import { Scheduler, type AttemptRecord } from './scheduler.js';

const MS = 1000;
const S = 1_000_000;

/** Every write takes 1 ms; watchers hear of a commit `watchDelayUs` later. */
function apiConfig(watchDelayUs: number): ApiConfig {
  return {
    requestLatency: { kind: 'constant', value: MS },
    watchDelay: { kind: 'constant', value: watchDelayUs },
    etcd: { followerRtt: [], fsync: { kind: 'constant', value: 0 }, maxWritesPerSecond: Number.POSITIVE_INFINITY, electionTimeoutUs: 0 },
    clients: new Map(),
  };
}

/** One node with room for one pod; the default profile, plus `extra` plugins. Returns the
 * attempts as "pod attempt result node @ time (µs)". */
function harness(watchDelayUs: number, extra: ReadonlyMap<string, PluginFactory> = new Map()) {
  const sim = new Simulation();
  const cluster = new ClusterState();
  cluster.addNode(makeNode('n1').allocatable({ cpu: '4', memory: '8Gi', pods: '1' }).obj(), 'p');
  const api = new ApiServer(sim, cluster, apiConfig(watchDelayUs), new RandomStreams(1).stream('api'));
  const registry = inTreeRegistry();
  for (const [name, f] of extra) registry.set(name, f);
  const profile = defaultProfileConfig();
  const profiles = [{ ...profile, plugins: [...profile.plugins, ...[...extra.keys()].map((name) => ({ name, weight: 0 }))] }];
  const attempts: string[] = [];
  const observer = { attempt: (r: AttemptRecord) => attempts.push(`${r.pod.name} ${r.attempt} ${r.result}${r.node === '' ? '' : ` ${r.node}`} @ ${r.timeUs}`) };
  const scheduler = new Scheduler(sim, api.forClient('scheduler'), cluster, profiles, registry, new RandomStreams(1).stream('scheduler'), observer);
  const at = (us: number, what: string, f: () => void) => sim.scheduleAt(us, `test.${what}`, '', f);
  const pod = (name: string) => cluster.pods.get(`default/${name}`);
  return { sim, api, attempts, at, pod, scheduler };
}

test('a pod refused the place of a pod whose binding then fails (the pod was deleted) is retried at once, not at the 5-minute flush', () => {
  // Watchers hear of a commit 2 ms late, so the scheduler learns of a's deletion only after its
  // binding failed (as in the property test's failure, seed 1578826946).
  const h = harness(2 * MS);
  h.at(0, 'create-a', () => h.api.createPod(makePod('a').obj())); // stored at 1 ms, heard at 3 ms
  h.at(500, 'create-b', () => h.api.createPod(makePod('b').obj())); // stored at 1.5 ms, heard at 3.5 ms
  h.at(2800, 'delete-a', () => h.api.deletePod(h.pod('a')!, 'test')); // a's binding is in flight
  h.sim.run(400 * S);
  // a is assumed on n1 at 3.101 ms (its binding commits at 4.101 ms); b's cycle (3.5 ms) finds n1
  // full; a's deletion commits at 3.8 ms, so a's binding fails at 4.101 ms. That frees n1: b goes
  // to backoffQ and, the scheduler being idle, is popped at once (SchedulerPopFromBackoffQ).
  // Before the fix the event carried the forgotten pod (no nodeName), NodeResourcesFit's hint
  // skipped it, and b waited in unschedulablePods for the leftover flush: bound at 330.001 s.
  assert.deepEqual(h.attempts, [
    'b 1 unschedulable @ 3601',
    'a 1 error @ 4101',
    'b 2 bound n1 @ 5202',
  ]);
});

test('a cycle whose pod is deleted while it runs gets its placements row, so sched_attempts equals the attempt rows (it had none: 13 of the openb FGD run\'s 10,845 cycles)', () => {
  // Watchers hear of a commit 2 ms late: a is heard at 3 ms and its cycle runs from 3 ms to
  // 3.101 ms; its deletion, sent at 2.05 ms, commits at 3.05 ms, within the cycle. The same for
  // big (9 CPUs on a 4-CPU node), whose cycle finds no node.
  const h = harness(2 * MS);
  h.at(0, 'create-a', () => h.api.createPod(makePod('a').obj()));
  h.at(2050, 'delete-a', () => h.api.deletePod(h.pod('a')!, 'test'));
  h.at(10 * MS, 'create-big', () => h.api.createPod(makePod('big').req({ cpu: '9' }).obj()));
  h.at(12050, 'delete-big', () => h.api.deletePod(h.pod('big')!, 'test'));
  h.sim.run(400 * S);
  assert.deepEqual(h.attempts, [
    'a 1 error @ 3101',
    'big 1 unschedulable @ 13101',
  ]);
  assert.equal(h.scheduler.attempts, h.attempts.length);
  // Neither is assumed, bound or requeued: no later attempt, nothing left on n1.
  assert.equal(h.pod('a'), undefined);
});

test('a pod refused the place of a pod waiting at Permit is retried when that pod is rejected; the rejected pod is not moved by its own event', () => {
  // Holds each pod at Permit for 5 s, then rejects it (once: its later attempts pass).
  const held = new Set<string>();
  const holdOnce: PluginFactory = (): PermitPlugin => ({
    name: 'HoldOnce',
    permit(_state, pod) {
      if (held.has(pod.name)) return { status: null };
      held.add(pod.name);
      return { status: new Status(4 /* Wait */), waitUs: 5 * S };
    },
  });
  const h = harness(0, new Map([['HoldOnce', holdOnce]]));
  h.at(0, 'create-a', () => h.api.createPod(makePod('a').obj())); // assumed on n1 at 1.101 ms, waits
  h.at(1 * S, 'create-b', () => h.api.createPod(makePod('b').obj())); // refused: a holds n1
  h.sim.run(60 * S);
  // a is rejected at 5.001101 s: b (rejected by NodeResourcesFit) moves at once, and waits at
  // Permit in turn until it is rejected at 10.001202 s. a stayed in unschedulablePods (upstream
  // moves every pod but the rejected one: moved too, it would have been popped from backoffQ and
  // refused n1 at once, b being assumed there); b's rejection moves it, and it binds. Before the
  // fix neither rejection moved anything: b waited for the leftover flush (330 s).
  assert.deepEqual(h.attempts, [
    'b 1 unschedulable @ 1001101',
    'a 1 unschedulable @ 5001101',
    'b 2 unschedulable @ 10001202',
    'a 2 bound n1 @ 10002303',
    'b 3 unschedulable @ 10002404',
  ]);
});
