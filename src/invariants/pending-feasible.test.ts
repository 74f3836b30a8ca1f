// The pending-feasible invariant: a pod left pending while a node could take it, longer than the
// scheduling queue explains, fires; pods the queue is about to try, infeasible pods, nominated
// pods and pods of profiles the brute force cannot judge do not. The checker runs on its own
// engine here, with the scheduler's queue replaced by a table of where the pod is at each time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { QueuePlace } from '../scheduler/scheduling-queue.js';
import { DEFAULT_QUEUE_OPTIONS } from '../scheduler/scheduling-queue.js';
import { InvariantChecker, pendingFeasibleBoundUs, type ProfileFacts } from './checker.js';
import { InvariantViolation } from './violation.js';

const S = 1_000_000;
const SAMPLE_US = 60 * S;
const IN_TREE = ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity'];

test('the pending-feasible bound is 5 min unschedulable + 30 s flush + max backoff + one sample interval + 10 s', () => {
  assert.equal(pendingFeasibleBoundUs(DEFAULT_QUEUE_OPTIONS, SAMPLE_US), 410 * S);
  assert.equal(pendingFeasibleBoundUs({ maxInUnschedulableUs: 60 * S, maxBackoffUs: 5 * S }, 10 * S), 115 * S);
});

interface Case {
  readonly name: string;
  /** Where the queue holds the pod at a sample time (s). */
  readonly place: (tS: number) => QueuePlace | null;
  readonly cpu?: string;
  readonly nominated?: boolean;
  readonly filters?: readonly string[];
  readonly pluginArgs?: ReadonlyMap<string, unknown>;
  readonly untilS: number;
  /** The violation's time (s) and a part of its detail, or null for none. */
  readonly want: { readonly atS: number; readonly detail: string } | null;
}

const cases: readonly Case[] = [
  {
    name: 'a feasible pod waiting in unschedulablePods past the bound (410 s at 60 s samples) fires at the first sample after it',
    place: () => 'unschedulable',
    untilS: 600,
    want: { atS: 420, detail: 'pod default/web is pending (unschedulable) although node n1 could take it at every sample since 0 s (then n1); a pod may wait at most 410 s so' },
  },
  {
    name: 'a feasible pod the queue has lost (not held at all) fires',
    place: () => null,
    untilS: 600,
    want: { atS: 420, detail: 'pod default/web is pending (not held by the scheduling queue) although node n1' },
  },
  { name: 'a pod waiting just up to the bound does not fire', place: () => 'unschedulable', untilS: 410, want: null },
  { name: 'a pod in activeQ (a backlog) is explained', place: () => 'active', untilS: 1200, want: null },
  { name: 'a pod in backoffQ is explained', place: () => 'backoff', untilS: 1200, want: null },
  { name: 'a pod in its scheduling cycle is explained', place: () => 'in-flight', untilS: 1200, want: null },
  {
    name: 'a pod seen in activeQ once starts its wait again (fires 410 s after the next sample)',
    place: (t) => (t === 240 ? 'active' : 'unschedulable'),
    untilS: 900,
    want: { atS: 720, detail: 'since 300 s' },
  },
  { name: 'a pod no node can take is not held to it', place: () => 'unschedulable', cpu: '8', untilS: 1200, want: null },
  { name: 'a pod nominated by a preemption waits for its victims', place: () => 'unschedulable', nominated: true, untilS: 1200, want: null },
  { name: 'a profile with a Filter plugin the brute force cannot judge is left out', place: () => 'unschedulable', filters: [...IN_TREE, 'CustomGate'], untilS: 1200, want: null },
  {
    name: 'a profile adding node affinity through NodeAffinity args is left out',
    place: () => 'unschedulable',
    pluginArgs: new Map([['NodeAffinity', { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }]]),
    untilS: 1200,
    want: null,
  },
  {
    name: 'a profile with DoNotSchedule default spread constraints is left out',
    place: () => 'unschedulable',
    pluginArgs: new Map([['PodTopologySpread', { defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }], defaultingType: 'List' }]]),
    untilS: 1200,
    want: null,
  },
  {
    name: 'a profile with only ScheduleAnyway default spread constraints is still judged',
    place: () => 'unschedulable',
    pluginArgs: new Map([['PodTopologySpread', { defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }], defaultingType: 'List' }]]),
    untilS: 600,
    want: { atS: 420, detail: 'pod default/web is pending (unschedulable)' },
  },
];

for (const c of cases) {
  test(`pending-feasible: ${c.name}`, () => {
    const cluster = buildCluster([makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).obj()], []);
    const pod: PodInfo = podInfo(makePod('web').req({ cpu: c.cpu ?? '1' }).obj());
    cluster.addPod(pod);
    if (c.nominated === true) pod.nominatedNodeName = 'n1';
    let checker: InvariantChecker | null = null;
    const sim = new Simulation({ afterEvent: (ev) => checker?.afterEvent(ev) });
    const profile: ProfileFacts = { schedulerName: 'default-scheduler', filters: new Set(c.filters ?? IN_TREE), pluginArgs: c.pluginArgs ?? new Map() };
    checker = new InvariantChecker(sim, cluster, {
      profiles: [profile],
      timeseries: [],
      pending: { place: (p) => (p === pod ? c.place(sim.now / S) : null), boundUs: pendingFeasibleBoundUs(DEFAULT_QUEUE_OPTIONS, SAMPLE_US) },
    });
    for (let t = 0; t <= c.untilS * S; t += SAMPLE_US) sim.scheduleAt(t, 'metrics.sample', '', () => {});
    let caught: unknown = null;
    try {
      sim.run(c.untilS * S);
    } catch (e) {
      caught = e;
    }
    if (c.want === null) {
      assert.equal(caught, null);
      return;
    }
    assert.ok(caught instanceof InvariantViolation, `expected a violation, got ${String(caught)}`);
    assert.equal(caught.invariant, 'pending-feasible');
    assert.equal(caught.timeUs, c.want.atS * S);
    assert.ok(caught.detail.includes(c.want.detail), caught.detail);
  });
}
