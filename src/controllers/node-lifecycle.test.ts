// The node lifecycle controller on its own: when a node whose lease stops is marked NotReady,
// and how fast the nodes of a zone get the unreachable:NoExecute taint (upstream
// pkg/controller/nodelifecycle/node_lifecycle_controller.go with the kube-controller-manager
// defaults: --node-monitor-period 5 s, --node-monitor-grace-period 50 s, --node-eviction-rate
// 0.1, --secondary-node-eviction-rate 0.01, --large-cluster-size-threshold 50,
// --unhealthy-zone-threshold 0.55). The zone cases follow upstream's TestMonitorNodeHealthEvict*
// expectations (ComputeZoneState: Normal / PartialDisruption / FullDisruption; the limiter per
// state) with ksim's own node counts.
//
// Timing used by every case (API writes take 0 µs): leases renew at 1 s, 11 s, 21 s, ...; a node
// going down at 100 s last renews at 91 s, which the monitor sees at its 95 s tick (probe = 95 s);
// it is marked NotReady at the first tick T with T > 95 + 50, T = 150 s, and queued for the
// NoExecute taint, which its zone's token bucket (burst 1, full when its rate is set) lets
// through at once if it has a token, else one node per 1/rate seconds.
import type { StartNode } from '../controlplane/start-state.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer, fixedLatencyApiConfig } from '../controlplane/api-server.js';
import { makeNode } from '../testing/builders.js';
import { leaseObject } from '../controlplane/node-lease.js';
import { LABEL_EXCLUDE_DISRUPTION, NODE_LIFECYCLE_DEFAULTS, NodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle.js';

const S = 1_000_000;

interface Outage {
  readonly nodes: readonly string[];
  readonly fromS: number;
  readonly toS?: number;
}

/** Nodes `<zone>-<i>` per zone, leases renewed every 10 s from 1 s except while a node is down;
 * `log` gets "<s> NotReady|Ready|tainted <node>" from the controller's observer. */
function harness(zones: Readonly<Record<string, number>>, outages: readonly Outage[], opts: Partial<NodeLifecycleOptions> = {}, excluded: readonly string[] = []) {
  const sim = new Simulation();
  const cluster = new ClusterState();
  const nodes: StartNode[] = [];
  for (const [zone, count] of Object.entries(zones)) {
    for (let i = 0; i < count; i++) {
      const b = makeNode(`${zone}-${i}`).zone(zone).capacity({ cpu: '4', pods: 110 });
      if (excluded.includes(`${zone}-${i}`)) b.label(LABEL_EXCLUDE_DISRUPTION, '');
      nodes.push({ node: b.obj(), pool: 'p' });
    }
  }
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  const log: string[] = [];
  const controller = new NodeLifecycleController(sim, api, cluster, { ...NODE_LIFECYCLE_DEFAULTS, ...opts }, {
    nodeNotReady: (n, t) => log.push(`${t / S} NotReady ${n}`),
    nodeReady: (n, t) => log.push(`${t / S} Ready ${n}`),
    nodeTainted: (n, t) => log.push(`${t / S} tainted ${n}`),
  });
  api.commitStartState({ nodes, objects: [], pods: [] });
  const down = (node: string, s: number) => outages.some((o) => o.nodes.includes(node) && s >= o.fromS && (o.toS === undefined || s < o.toS));
  for (const n of cluster.nodes) {
    api.seedObject(leaseObject(n.name, 0));
    const renew = () => {
      if (!down(n.name, sim.now / S)) api.updateObject(leaseObject(n.name, sim.now));
      sim.schedule(10 * S, 'test.renew', n.name, renew);
    };
    sim.scheduleAt(1 * S, 'test.renew', n.name, renew);
  }
  return { sim, cluster, api, log, controller };
}

const names = (zone: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${zone}-${from + i}`);
const notReadyAt150 = (nodes: readonly string[]) => nodes.map((n) => `150 NotReady ${n}`);

interface ZoneCase {
  readonly name: string;
  readonly zones: Readonly<Record<string, number>>;
  readonly down: readonly string[];
  readonly zoneState: Readonly<Record<string, string>>;
  /** "<s> tainted <node>" in order. */
  readonly taints: readonly string[];
}

const zoneCases: ZoneCase[] = [
  {
    name: '2 of 10 down: Normal (not more than 2 NotReady), 0.1 nodes/s: one taint per 10 s',
    zones: { a: 10 },
    down: names('a', 0, 2),
    zoneState: { a: 'Normal' },
    taints: ['155 tainted a-0', '165 tainted a-1'],
  },
  {
    name: '3 of 10 down: Normal (3/10 < 0.55), 0.1 nodes/s',
    zones: { a: 10 },
    down: names('a', 0, 3),
    zoneState: { a: 'Normal' },
    taints: ['155 tainted a-0', '165 tainted a-1', '175 tainted a-2'],
  },
  {
    name: '2 of 3 down: Normal although 2/3 ≥ 0.55, since not more than 2 are NotReady',
    zones: { a: 3 },
    down: names('a', 0, 2),
    zoneState: { a: 'Normal' },
    taints: ['155 tainted a-0', '165 tainted a-1'],
  },
  {
    name: '3 of 4 down: PartialDisruption; a zone of at most 50 nodes gets rate 0: nothing tainted',
    zones: { a: 4, b: 4 },
    down: names('a', 0, 3),
    zoneState: { a: 'PartialDisruption', b: 'Normal' },
    taints: [],
  },
  {
    name: '11 of 20 down: 11/20 = 0.55 is the unhealthy threshold itself: PartialDisruption, rate 0',
    zones: { a: 20 },
    down: names('a', 0, 11),
    zoneState: { a: 'PartialDisruption' },
    taints: [],
  },
  {
    name: '10 of 20 down: 0.5 < 0.55: Normal, 0.1 nodes/s',
    zones: { a: 20 },
    down: names('a', 0, 10),
    zoneState: { a: 'Normal' },
    taints: ['155 tainted a-0', '165 tainted a-1', '175 tainted a-2', '185 tainted a-3', '195 tainted a-4', '205 tainted a-5', '215 tainted a-6', '225 tainted a-7', '235 tainted a-8', '245 tainted a-9'],
  },
  {
    name: '29 of 51 down: PartialDisruption in a zone of more than 50 nodes: secondary rate 0.01 nodes/s, one taint per 100 s',
    zones: { a: 51 },
    down: names('a', 0, 29),
    zoneState: { a: 'PartialDisruption' },
    taints: ['155 tainted a-0', '255 tainted a-1', '355 tainted a-2'],
  },
  {
    name: '28 of 50 down: PartialDisruption in a zone of exactly 50 nodes: rate 0',
    zones: { a: 50 },
    down: names('a', 0, 28),
    zoneState: { a: 'PartialDisruption' },
    taints: [],
  },
  {
    name: 'a whole zone down while another is healthy: FullDisruption, 0.1 nodes/s',
    zones: { a: 4, b: 4 },
    down: names('a', 0, 4),
    zoneState: { a: 'FullDisruption', b: 'Normal' },
    taints: ['155 tainted a-0', '165 tainted a-1', '175 tainted a-2', '185 tainted a-3'],
  },
  {
    name: 'every zone fully down: the controller stops evicting (master disruption): nothing tainted',
    zones: { a: 2, b: 2 },
    down: [...names('a', 0, 2), ...names('b', 0, 2)],
    zoneState: { a: 'FullDisruption', b: 'FullDisruption' },
    taints: [],
  },
  {
    name: 'zones are limited separately: 2 down in each of two zones, each zone one taint per 10 s',
    zones: { a: 10, b: 10 },
    down: [...names('a', 0, 2), ...names('b', 0, 2)],
    zoneState: { a: 'Normal', b: 'Normal' },
    taints: ['155 tainted a-0', '155 tainted b-0', '165 tainted a-1', '165 tainted b-1'],
  },
];

for (const c of zoneCases) {
  test(`zone eviction rate: ${c.name}`, () => {
    const h = harness(c.zones, [{ nodes: c.down, fromS: 100 }]);
    h.sim.run(399 * S);
    assert.deepEqual(h.log.filter((l) => l.includes('NotReady')), notReadyAt150(c.down));
    assert.deepEqual(h.log.filter((l) => l.includes('tainted')), c.taints);
    for (const [zone, state] of Object.entries(c.zoneState)) assert.equal(h.controller.zoneState(zone), state, `zone ${zone}`);
  });
}

test('a NotReady node gets Ready=Unknown with unreachable NoSchedule at once and NoExecute from the next pass, when its zone allows; both go when it is back', () => {
  const h = harness({ a: 10 }, [{ nodes: ['a-0'], fromS: 100, toS: 200 }]);
  const taints = () => h.cluster.mustNode('a-0').taints.map((t) => `${t.key}:${t.effect}`);
  h.sim.run(149 * S);
  assert.equal(h.cluster.mustNode('a-0').ready, true);
  assert.deepEqual(taints(), []);
  h.sim.run(150 * S);
  assert.equal(h.cluster.mustNode('a-0').ready, false);
  assert.deepEqual(taints(), ['node.kubernetes.io/unreachable:NoSchedule']);
  // Queued for NoExecute on the next pass (upstream processTaintBaseEviction reads the Ready
  // condition observed before the pass that set it Unknown), tainted then: 155 s.
  h.sim.run(155 * S);
  assert.deepEqual(taints(), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
  // Back at 200 s: the renewal at 201 s is seen at the 205 s tick.
  h.sim.run(399 * S);
  assert.equal(h.cluster.mustNode('a-0').ready, true);
  assert.deepEqual(taints(), []);
  assert.deepEqual(h.log, ['150 NotReady a-0', '155 tainted a-0', '205 Ready a-0']);
});

test('a node back before its zone has a token is taken out of the taint queue', () => {
  // 3 of 10 down from 100 s, NotReady at 150 s, queued at 155 s: a-0 tainted at 155 s, a-1 at
  // 165 s; a-2 is back at 160 s (renewal at 161 s seen at 165 s), before its turn at 175 s.
  const h = harness({ a: 10 }, [{ nodes: ['a-0', 'a-1'], fromS: 100 }, { nodes: ['a-2'], fromS: 100, toS: 160 }]);
  h.sim.run(399 * S);
  assert.deepEqual(h.log, ['150 NotReady a-0', '150 NotReady a-1', '150 NotReady a-2', '155 tainted a-0', '165 tainted a-1', '165 Ready a-2']);
});

test('leaving master disruption: the nodes still down are tainted at their zones\' rates', () => {
  // All four nodes down at 100 s: every zone FullDisruption, nothing tainted. b-0 is back at
  // 300 s (renewal at 301 s, seen at 305 s): zone b is Normal again, the controller leaves the
  // mode and swaps both zones' rate-0 limiters for 0.1 nodes/s ones, drained because the old ones
  // had no token (upstream SwapLimiter): a-0 and b-1 at 315 s, a-1 at 325 s (upstream
  // processTaintBaseEviction queues every Ready=Unknown node without the taint on each pass).
  const h = harness({ a: 2, b: 2 }, [{ nodes: ['a-0', 'a-1', 'b-1'], fromS: 100 }, { nodes: ['b-0'], fromS: 100, toS: 300 }]);
  h.sim.run(399 * S);
  assert.deepEqual(h.log, [...notReadyAt150(['a-0', 'a-1', 'b-0', 'b-1']), '305 Ready b-0', '315 tainted a-0', '315 tainted b-1', '325 tainted a-1']);
});

test('a zone\'s new limiter is drained when the old one had no token (upstream SwapLimiter): Partial (rate 0) then Full taints 10 s after the change', () => {
  // Zone a of 4: a-0..a-2 NotReady at 150 s (3 of 4: PartialDisruption, rate 0); a-3 (renewal at
  // 101 s seen at 105 s) NotReady at 160 s: FullDisruption, 0.1 nodes/s, but the rate-0 limiter
  // had no token, so the first taint waits for the new one's first: 170 s, not 160 s.
  const h = harness({ a: 4, b: 4 }, [{ nodes: names('a', 0, 3), fromS: 100 }, { nodes: ['a-3'], fromS: 105 }]);
  h.sim.run(399 * S);
  assert.deepEqual(h.log.filter((l) => l.includes('tainted')), ['170 tainted a-0', '180 tainted a-1', '190 tainted a-2', '200 tainted a-3']);
});

test('Normal to PartialDisruption while the zone waits on its limiter: the secondary-rate limiter starts drained', () => {
  // Zone a of 60 at 0.04 nodes/s: a-0, a-1 NotReady at 150 s (Normal), queued at 155 s, a-0
  // tainted then, the next token due at 180 s; 34 more NotReady at 160 s: 36 of 60 is
  // PartialDisruption, 0.01 nodes/s (more than 50 nodes), drained: a-1 at 260 s (a fresh full
  // limiter would have tainted it at 160 s), a-2 at 360 s.
  const h = harness({ a: 60 }, [{ nodes: names('a', 0, 2), fromS: 100 }, { nodes: names('a', 2, 36), fromS: 105 }], { evictionRate: 0.04 });
  h.sim.run(399 * S);
  assert.deepEqual(h.log.filter((l) => l.includes('tainted')), ['155 tainted a-0', '260 tainted a-1', '360 tainted a-2']);
});

test('the grace period, monitor period and eviction rate come from the options', () => {
  // Monitor every 2 s, grace 20 s, 0.5 nodes/s: the 91 s renewal is seen at 92 s, NotReady at the
  // first tick after 112 s = 114 s, queued at the next (116 s), taints 2 s apart.
  const h = harness({ a: 10 }, [{ nodes: names('a', 0, 3), fromS: 100 }], { monitorPeriodUs: 2 * S, gracePeriodUs: 20 * S, evictionRate: 0.5 });
  h.sim.run(399 * S);
  assert.deepEqual(h.log, ['114 NotReady a-0', '114 NotReady a-1', '114 NotReady a-2', '116 tainted a-0', '118 tainted a-1', '120 tainted a-2']);
});

test('taint passes run at each token time, not only at monitor ticks: 0.4 nodes/s taints 2.5 s apart, and the node object follows at once', () => {
  const h = harness({ a: 10 }, [{ nodes: names('a', 0, 4), fromS: 100 }], { evictionRate: 0.4 });
  const noExecute = (node: string) => h.cluster.mustNode(node).taints.some((t) => t.effect === 'NoExecute');
  h.sim.run(158 * S);
  assert.deepEqual([noExecute('a-0'), noExecute('a-1'), noExecute('a-2')], [true, true, false]);
  h.sim.run(399 * S);
  assert.deepEqual(h.log.filter((l) => l.includes('tainted')), ['155 tainted a-0', '157.5 tainted a-1', '160 tainted a-2', '162.5 tainted a-3']);
});

test('a tainted node coming back does not take another node out of the taint queue', () => {
  // a-0..a-2 down at 100 s; a-0 (tainted at 155 s, so no longer queued) is back at 155 s, seen at 165 s.
  const h = harness({ a: 10 }, [{ nodes: ['a-1', 'a-2'], fromS: 100 }, { nodes: ['a-0'], fromS: 100, toS: 155 }]);
  h.sim.run(399 * S);
  assert.deepEqual(h.log, [...notReadyAt150(['a-0', 'a-1', 'a-2']), '155 tainted a-0', '165 tainted a-1', '165 Ready a-0', '175 tainted a-2']);
});

test('entering master disruption takes the NoExecute taint off the nodes that had it', () => {
  // One zone of 2: a-0 down at 100 s is tainted at 150 s (1 of 2 NotReady: Normal); a-1 down at
  // 200 s is NotReady at 250 s: the only zone is fully down, every node is marked reachable.
  const h = harness({ a: 2 }, [{ nodes: ['a-0'], fromS: 100 }, { nodes: ['a-1'], fromS: 200 }]);
  const taints = (node: string) => h.cluster.mustNode(node).taints.map((t) => t.effect);
  h.sim.run(249 * S);
  assert.deepEqual(taints('a-0'), ['NoSchedule', 'NoExecute']);
  h.sim.run(260 * S);
  assert.deepEqual(taints('a-0'), ['NoSchedule']);
  assert.deepEqual(taints('a-1'), ['NoSchedule']);
  assert.equal(h.controller.zoneState('a'), 'FullDisruption');
});

test('each change of a node is one node update: NotReady with NoSchedule, NoExecute a pass later, then Ready, and none on the ticks between', () => {
  const h = harness({ a: 10 }, [{ nodes: ['a-0'], fromS: 100, toS: 200 }]);
  const updates: string[] = [];
  h.api.watch({ nodeUpdated: (n) => updates.push(`${h.sim.now / S} ${n.name} ${n.ready ? 'Ready' : 'NotReady'} ${n.taints.map((t) => t.effect).join('+')}`) });
  h.sim.run(399 * S);
  assert.deepEqual(updates, ['150 a-0 NotReady NoSchedule', '155 a-0 NotReady NoSchedule+NoExecute', '205 a-0 Ready ']);
});

test('a node that never renews its lease is NotReady one grace period after it joined; a Lease of no known node is ignored', () => {
  // Joined at 30 s (the controller started with no node): NotReady at the first tick after 80 s.
  const sim = new Simulation();
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, fixedLatencyApiConfig(0), new RandomStreams(1).stream('api'));
  const log: string[] = [];
  new NodeLifecycleController(sim, api, cluster, NODE_LIFECYCLE_DEFAULTS, { nodeNotReady: (n, t) => log.push(`${t / S} NotReady ${n}`) });
  api.commitStartState({ nodes: [], objects: [], pods: [] });
  api.seedObject(leaseObject('ghost', 0));
  sim.scheduleAt(10 * S, 'test.lease', '', () => api.updateObject(leaseObject('ghost', 10 * S)));
  sim.scheduleAt(30 * S, 'test.join', '', () => api.addNode(makeNode('late').obj(), 'p'));
  sim.run(120 * S);
  assert.deepEqual(log, ['85 NotReady late']);
  // At the start, the same from t = 0: 55 s.
  const h = harness({ a: 1 }, [{ nodes: ['a-0'], fromS: 0 }]);
  h.sim.run(60 * S);
  assert.deepEqual(h.log, ['55 NotReady a-0']);
});

// node.kubernetes.io/exclude-disruption: upstream monitorNodeHealth leaves a node so labelled out
// of zoneToNodeConditions (`if !isNodeExcludedFromDisruptionChecks(node)`), so its zone's state,
// size and master disruption mode count the other nodes only; it is still marked NotReady and
// tainted at its zone's rate.
test('exclude-disruption: a labelled Ready node does not hold its zone out of FullDisruption: 3 of 3 counted down is Full at 0.1 nodes/s, not 3 of 4 Partial at rate 0', () => {
  const h = harness({ a: 4, b: 3 }, [{ nodes: names('a', 0, 3), fromS: 100 }], {}, ['a-3']);
  h.sim.run(399 * S);
  assert.equal(h.controller.zoneState('a'), 'FullDisruption');
  assert.deepEqual(h.log.filter((l) => l.includes('tainted')), ['155 tainted a-0', '165 tainted a-1', '175 tainted a-2']);
});

test('exclude-disruption: the zone size for --large-cluster-size-threshold counts only the other nodes: 28 of 50 counted down is Partial at rate 0, though the zone has 51 nodes', () => {
  const h = harness({ a: 51 }, [{ nodes: names('a', 0, 28), fromS: 100 }], {}, ['a-50']);
  h.sim.run(399 * S);
  assert.equal(h.controller.zoneState('a'), 'PartialDisruption');
  assert.deepEqual(h.log.filter((l) => l.includes('tainted')), []);
});

test('exclude-disruption: a labelled node is still marked NotReady and tainted at its zone\'s rate, and its zone stays Normal', () => {
  const h = harness({ a: 3 }, [{ nodes: ['a-2'], fromS: 100 }], {}, ['a-2']);
  h.sim.run(399 * S);
  assert.equal(h.controller.zoneState('a'), 'Normal');
  assert.deepEqual(h.log, ['150 NotReady a-2', '155 tainted a-2']);
});

test('exclude-disruption: every zone\'s counted nodes down is master disruption though a labelled node is Ready: nothing tainted', () => {
  const h = harness({ a: 2, b: 1 }, [{ nodes: ['a-0', 'b-0'], fromS: 100 }], {}, ['a-1']);
  h.sim.run(399 * S);
  assert.deepEqual([h.controller.zoneState('a'), h.controller.zoneState('b')], ['FullDisruption', 'FullDisruption']);
  assert.deepEqual(h.log, ['150 NotReady a-0', '150 NotReady b-0']);
});

// Rate 0 (upstream scheduler/rate_limited_queue.go, client-go flowcontrol/throttle.go, x/time/rate):
// a zone's first limiter is NewTokenBucketRateLimiter(--node-eviction-rate, burst 1), full when
// made, and a rate.Limiter at rate 0 lets its burst through once and never refills; SwapLimiter to
// a rate <= 0 makes the fake never limiter (no token), unless the QPS is that already.
test('nodeEvictionRate 0: the zone\'s first limiter spends its burst of 1: the first node queued in each zone is tainted, no other', () => {
  const h = harness({ a: 10, b: 10 }, [{ nodes: [...names('a', 0, 3), ...names('b', 0, 2)], fromS: 100 }], { evictionRate: 0 });
  h.sim.run(999 * S);
  assert.deepEqual(h.log.filter((l) => l.includes('tainted')), ['155 tainted a-0', '155 tainted b-0']);
});

test('nodeEvictionRate 0: the token is spent for good: a node going down after the first came back is not tainted', () => {
  // a-0 down 100-200 s (tainted 155 s, Ready 205 s); a-1 down from 300 s, NotReady at 350 s.
  const h = harness({ a: 10 }, [{ nodes: ['a-0'], fromS: 100, toS: 200 }, { nodes: ['a-1'], fromS: 300 }], { evictionRate: 0 });
  h.sim.run(999 * S);
  assert.deepEqual(h.log, ['150 NotReady a-0', '155 tainted a-0', '205 Ready a-0', '350 NotReady a-1']);
});

test('rate 0 on both flags: a large zone partly down keeps its first limiter (the swap to 0 is no change) and taints one node; secondary 0 alone swaps in the never limiter', () => {
  const both = harness({ a: 60 }, [{ nodes: names('a', 0, 36), fromS: 100 }], { evictionRate: 0, secondaryEvictionRate: 0 });
  both.sim.run(999 * S);
  assert.equal(both.controller.zoneState('a'), 'PartialDisruption');
  assert.deepEqual(both.log.filter((l) => l.includes('tainted')), ['155 tainted a-0']);
  const secondary = harness({ a: 60 }, [{ nodes: names('a', 0, 36), fromS: 100 }], { secondaryEvictionRate: 0 });
  secondary.sim.run(999 * S);
  assert.deepEqual(secondary.log.filter((l) => l.includes('tainted')), []);
});

test('the never limiter reports QPS 1: at nodeEvictionRate 1 a small zone that went Partial (rate 0) then Full keeps it and taints nothing; at 2 it gets a drained bucket', () => {
  // a-0..a-2 NotReady at 150 s (3 of 4: Partial, swapped to the never limiter), a-3 at 160 s
  // (Full: SwapLimiter(1) finds QPS() 1 and keeps the never limiter).
  const outages = [{ nodes: names('a', 0, 3), fromS: 100 }, { nodes: ['a-3'], fromS: 105 }];
  const one = harness({ a: 4, b: 4 }, outages, { evictionRate: 1 });
  one.sim.run(999 * S);
  assert.equal(one.controller.zoneState('a'), 'FullDisruption');
  assert.deepEqual(one.log.filter((l) => l.includes('tainted')), []);
  // At 2: a new bucket at 160 s, drained (the never limiter had no token): 160.5, 161, 161.5 s;
  // a-3, queued at 165 s, then.
  const two = harness({ a: 4, b: 4 }, outages, { evictionRate: 2 });
  two.sim.run(999 * S);
  assert.deepEqual(two.log.filter((l) => l.includes('tainted')), ['160.5 tainted a-0', '161 tainted a-1', '161.5 tainted a-2', '165 tainted a-3']);
});

test('a zone partly down at rate 0 holds its NotReady nodes untainted: evictionHoldWarnings names the zone, why and the settings; a zone tainted at its rate has none', () => {
  // a-0..a-2 NotReady at 150 s (3 of 4: PartialDisruption, a zone of at most 50 nodes: rate 0),
  // queued at the 155 s pass and never tainted: held 399 - 155 = 244 s by the end.
  const h = harness({ a: 4, b: 4 }, [{ nodes: names('a', 0, 3), fromS: 100 }]);
  h.sim.run(399 * S);
  assert.deepEqual(h.controller.evictionHoldWarnings(399 * S), [
    'the node lifecycle controller did not evict in zone a: 3 NotReady node(s) waited 244 s (to the end of the run) for the NoExecute taint that evicts their pods, so their pods were neither evicted nor replaced meanwhile: zone state PartialDisruption (3 of 4 nodes NotReady: more than 2 and at least controlPlane.controllerManager.unhealthyZoneThreshold 0.55) in a zone of at most controlPlane.controllerManager.largeClusterSizeThreshold 50 nodes: eviction rate 0 (upstream ReducedQPSFunc; controlPlane.controllerManager.secondaryNodeEvictionRate 0.01 applies only to larger zones) (set by controlPlane.controllerManager.unhealthyZoneThreshold, largeClusterSizeThreshold, secondaryNodeEvictionRate)',
  ]);
  // Back at 300 s (Ready at the 305 s pass): held 150 s, no longer to the end.
  const back = harness({ a: 4, b: 4 }, [{ nodes: names('a', 0, 3), fromS: 100, toS: 300 }]);
  back.sim.run(399 * S);
  assert.match(back.controller.evictionHoldWarnings(399 * S).join(), /^the node lifecycle controller did not evict in zone a: 3 NotReady node\(s\) waited 150 s for the NoExecute taint/);
  // nodeEvictionRate 0, 2 of 4 down (Normal): the first limiter's one token taints a-0 at 155 s,
  // a-1 waits: held 399 - 155 = 244 s.
  const zero = harness({ a: 4, b: 4 }, [{ nodes: names('a', 0, 2), fromS: 100 }], { evictionRate: 0 });
  zero.sim.run(399 * S);
  assert.deepEqual(zero.controller.evictionHoldWarnings(399 * S), [
    'the node lifecycle controller did not evict in zone a: 1 NotReady node(s) waited 244 s (to the end of the run) for the NoExecute taint that evicts their pods, so their pods were neither evicted nor replaced meanwhile: eviction rate controlPlane.controllerManager.nodeEvictionRate 0: the zone\'s first limiter let one node through and no other (set by controlPlane.controllerManager.nodeEvictionRate)',
  ]);
  // 2 of 4 down: Normal, tainted at 0.1 nodes/s: nothing held.
  const normal = harness({ a: 4, b: 4 }, [{ nodes: names('a', 0, 2), fromS: 100 }]);
  normal.sim.run(399 * S);
  assert.deepEqual(normal.controller.evictionHoldWarnings(399 * S), []);
});
