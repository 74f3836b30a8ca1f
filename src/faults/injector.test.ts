// scheduleFaults alone: what it asks of the kubelets, etcd and the recovery tracker, and when,
// with recording fakes (no cluster, no scheduler). Expected times follow from the definitions in
// injector.ts: a fault starts at `at`; nodeDown / zoneOutage / random crash, partition
// partitions, and with `for` the nodes recover at `at + for`; a kubeletFlap partitions for the
// first half of each period (floor(period / 2)) and heals for the second, from `at` to `at + for`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import type { Kubelets } from '../kubelet/kubelet.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { RecoveryTracker } from './recovery.js';
import type { FaultSpec } from './spec.js';
import { scheduleFaults } from './injector.js';

const S = 1_000_000;

/** Runs `specs` until `endS`; returns every call, as "<time> <what> <subject>", times in
 * seconds (or in `unit`). */
function record(specs: FaultSpec[], endS: number, unit = S): string[] {
  const sim = new Simulation();
  const log: string[] = [];
  const at = (what: string, subject: string) => log.push(`${sim.now / unit} ${what} ${subject}`);
  const kubelets = {
    crash: (n: string) => at('crash', n),
    partition: (n: string) => at('partition', n),
    recover: (n: string) => at('recover', n),
  } as unknown as Kubelets;
  // etcd's election ends 7 s after the leader is lost.
  let stalledUntilUs = 0;
  const api = { etcd: { loseLeader: (now: number) => ((stalledUntilUs = now + 7 * S), at('loseLeader', 'etcd')), get stalledUntilUs() { return stalledUntilUs; } } } as unknown as ApiServer;
  const tracker = {
    faultStarted: (id: string, now: number) => log.push(`${sim.now / unit} started ${id} (${now / unit})`),
    faultEnded: (id: string, now: number) => log.push(`${sim.now / unit} ended ${id} (${now / unit})`),
  } as unknown as RecoveryTracker;
  scheduleFaults(sim, specs, kubelets, api, tracker);
  sim.run(endS * S);
  return log;
}

const fault = (f: Partial<FaultSpec> & Pick<FaultSpec, 'id' | 'kind' | 'nodes' | 'atUs'>): FaultSpec => ({ target: f.nodes.join(';'), forUs: null, ...f });

test('a nodeDown with `for` crashes its nodes at `at` and recovers them at `at + for`; a partition partitions', () => {
  assert.deepEqual(record([
    fault({ id: 'f1', kind: 'nodeDown', nodes: ['a', 'b'], atUs: 10 * S, forUs: 30 * S }),
    fault({ id: 'f2', kind: 'partition', nodes: ['c'], atUs: 20 * S, forUs: 5 * S }),
  ], 100), [
    '10 started f1 (10)', '10 crash a', '10 crash b',
    '20 started f2 (20)', '20 partition c',
    '25 ended f2 (25)', '25 recover c',
    '40 ended f1 (40)', '40 recover a', '40 recover b',
  ]);
});

test('overlapping faults hold a node together: it is back only when the last ends; a crash inside a partition leaves it partitioned', () => {
  assert.deepEqual(record([
    fault({ id: 'f1', kind: 'nodeDown', nodes: ['a'], atUs: 600 * S, forUs: 300 * S }),
    fault({ id: 'f2', kind: 'nodeDown', nodes: ['a'], atUs: 720 * S, forUs: 300 * S }),
    fault({ id: 'f3', kind: 'partition', nodes: ['b'], atUs: 10 * S, forUs: 100 * S }),
    fault({ id: 'f4', kind: 'nodeDown', nodes: ['b'], atUs: 20 * S, forUs: 30 * S }),
  ], 2000), [
    '10 started f3 (10)', '10 partition b',
    '20 started f4 (20)', '20 crash b',
    '50 ended f4 (50)', '50 recover b', '50 partition b',
    '110 ended f3 (110)', '110 recover b',
    '600 started f1 (600)', '600 crash a',
    '720 started f2 (720)',
    '900 ended f1 (900)',
    '1020 ended f2 (1020)', '1020 recover a',
  ]);
});

test('a fault without `for` never ends; an etcd leader loss ends when the election does', () => {
  assert.deepEqual(record([
    fault({ id: 'f1', kind: 'zoneOutage', nodes: ['a'], atUs: 5 * S }),
    fault({ id: 'f2', kind: 'etcdLeaderLoss', nodes: [], atUs: 8 * S }),
  ], 1000), ['5 started f1 (5)', '5 crash a', '8 started f2 (8)', '8 loseLeader etcd', '15 ended f2 (15)']); // told when the election ends
});

test('a kubeletFlap whose `for` is two whole periods: down 0-2 s and 4-6 s, ends at 8 s healed, no third cycle', () => {
  // period 4 s (down 2 s, up 2 s), at 0, for 8 s: the cycle that would start at 8 s = at + for
  // does not (the flap is over), so node a is partitioned exactly twice.
  assert.deepEqual(record([fault({ id: 'f1', kind: 'kubeletFlap', nodes: ['a'], atUs: 0, forUs: 8 * S, periodUs: 4 * S })], 100), [
    '0 started f1 (0)', '0 partition a',
    '2 recover a',
    '4 partition a',
    '6 recover a',
    '8 ended f1 (8)',
  ]);
});

test('a kubeletFlap whose `for` ends inside a down half heals then', () => {
  // period 5 s (down 2.5 s), at 1 s, for 7 s (ends at 8 s): down 1-3.5 s, up 3.5-6 s, down
  // 6-8 s, cut short: healed at 8 s, when the flap ends.
  assert.deepEqual(record([fault({ id: 'f1', kind: 'kubeletFlap', nodes: ['a', 'b'], atUs: 1 * S, forUs: 7 * S, periodUs: 5 * S })], 100), [
    '1 started f1 (1)', '1 partition a', '1 partition b',
    '3.5 recover a', '3.5 recover b',
    '6 partition a', '6 partition b',
    '8 recover a', '8 recover b',
    '8 ended f1 (8)',
  ]);
});

test('a kubeletFlap with an odd period (in µs) is down for the floor of its half: 5 µs is down 2, up 3', () => {
  assert.deepEqual(record([fault({ id: 'f1', kind: 'kubeletFlap', nodes: ['a'], atUs: 0, forUs: 10, periodUs: 5 })], 1, 1), [
    '0 started f1 (0)', '0 partition a', '2 recover a', '5 partition a', '7 recover a', '10 ended f1 (10)',
  ]);
});
