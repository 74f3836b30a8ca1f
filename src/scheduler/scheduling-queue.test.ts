import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import { US_PER_S } from '../engine/time.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { makePod, podInfo, queuedPodInfo } from '../testing/builders.js';
import type { QueuedPodInfo } from './framework/interfaces.js';
import { PrioritySortPlugin } from './plugins/priority-sort.js';
import { DEFAULT_QUEUE_OPTIONS, SchedulingQueue, type QueueOptions } from './scheduling-queue.js';
import { ActionType, type ClusterEventWithHint, type NodeView } from './framework/events.js';
import { Resource } from '../cluster/resources.js';

const S = US_PER_S;
const MS = S / 1000;

interface Harness {
  sim: Simulation;
  queue: SchedulingQueue;
  /** Simulated times (µs) at which the queue reported a pod becoming active. */
  activations: number[];
}

function harness(opts: QueueOptions = DEFAULT_QUEUE_OPTIONS): Harness {
  const sim = new Simulation();
  const activations: number[] = [];
  const sort = new PrioritySortPlugin();
  const queue = new SchedulingQueue(sim, (a, b) => sort.less(a, b), () => activations.push(sim.now), opts);
  return { sim, queue, activations };
}

/** Runs `action` as a simulation event at `atUs`, then advances the clock to `atUs`. */
function at(h: Harness, atUs: number, action: () => void): void {
  h.sim.scheduleAt(atUs, 'test', '', action);
  h.sim.run(atUs);
}

function pod(name: string, priority = 0): PodInfo {
  return podInfo(makePod(name).priority(priority).obj());
}

/** A queue whose only hint is NodeResourcesFit's: a pod it rejected is requeued by a Pod/Delete. */
function queueRequeuedByPodDelete(): SchedulingQueue {
  const sort = new PrioritySortPlugin();
  const hints = new Map<string, readonly ClusterEventWithHint[] | undefined>([
    ['NodeResourcesFit', [{ event: { resource: 'Pod', actionType: ActionType.Delete } }]],
  ]);
  return new SchedulingQueue(new Simulation(), (a, b) => sort.less(a, b), () => {}, DEFAULT_QUEUE_OPTIONS, () => {}, () => hints);
}

/** Pops the only pod in activeQ; fails if it is not `p`. The attempt is taken to be rejected
 * by NodeResourcesFit (a pod no plugin rejected always goes to backoffQ). */
function popOnly(h: Harness, p: PodInfo): QueuedPodInfo {
  const qpi = h.queue.pop();
  assert.equal(qpi?.pod, p);
  (qpi as QueuedPodInfo).unschedulablePlugins = new Set(['NodeResourcesFit']);
  return qpi as QueuedPodInfo;
}

describe('SchedulingQueue: backoff duration', () => {
  // Upstream pkg/scheduler/backend/queue/backoff_queue_test.go
  // (TestBackoffQueue_calculateBackoffDuration) with the default podInitialBackoffSeconds 1
  // and podMaxBackoffSeconds 10: 1, 2, 4, 8, then capped at 10 s.
  const q = harness().queue;
  const defaults: Array<[attempts: number, wantSeconds: number]> = [
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 4],
    [4, 8],
    [5, 10],
    [6, 10],
    [40, 10],
  ];
  for (const [attempts, want] of defaults) {
    it(`attempt ${attempts} backs off ${want} s`, () => {
      assert.equal(q.backoffDurationUs(queuedPodInfo(makePod().obj(), 0, attempts)), want * S);
    });
  }

  // The upstream table itself, in µs instead of ns.
  const custom: Array<[name: string, initialUs: number, maxUs: number, attempts: number, wantUs: number]> = [
    ['no backoff', 1, 32, 0, 0],
    ['normal', 1, 32, 3, 4],
    ['hitting max backoff duration', 1, 32, 16, 32],
    ['overflow_32bit', 1, 2 ** 31 - 1, 32, 2 ** 31 - 1],
    ['overflow_64bit (capped at the largest safe integer)', 1, Number.MAX_SAFE_INTEGER, 64, Number.MAX_SAFE_INTEGER],
  ];
  for (const [name, initialBackoffUs, maxBackoffUs, attempts, want] of custom) {
    it(name, () => {
      const cq = harness({ ...DEFAULT_QUEUE_OPTIONS, initialBackoffUs, maxBackoffUs }).queue;
      assert.equal(cq.backoffDurationUs(queuedPodInfo(makePod().obj(), 0, attempts)), want);
    });
  }
});

describe('SchedulingQueue: activeQ order', () => {
  it('pops by priority, then by queue timestamp (TestPriorityQueue_Add)', () => {
    // Upstream scheduling_queue_test.go (TestPriorityQueue_Add): medium, unschedulable(low)
    // and high priority pods come out high, medium, low.
    const h = harness();
    const med = pod('med', 100);
    const low = pod('low', 0);
    const high = pod('high', 1000);
    const low2 = pod('low2', 0);
    at(h, 1 * MS, () => h.queue.add(med));
    at(h, 2 * MS, () => h.queue.add(low));
    at(h, 3 * MS, () => h.queue.add(high));
    at(h, 4 * MS, () => h.queue.add(low2));
    assert.equal(h.queue.activeCount, 4);
    const order = [h.queue.pop(), h.queue.pop(), h.queue.pop(), h.queue.pop()].map((q) => q?.pod.name);
    assert.deepEqual(order, ['high', 'med', 'low', 'low2']);
    assert.equal(h.queue.pop(), undefined);
    assert.deepEqual(h.activations, [1 * MS, 2 * MS, 3 * MS, 4 * MS]);
  });

  it('counts attempts on pop and ignores a second add of a known pod', () => {
    const h = harness();
    const p = pod('p');
    h.queue.add(p);
    h.queue.add(p);
    assert.equal(h.queue.pendingCount, 1);
    const qpi = popOnly(h, p);
    assert.equal(qpi.attempts, 1);
    assert.equal(h.queue.pop(), undefined);
    assert.equal(h.queue.pendingCount, 1, 'a popped pod is in flight, still pending');
  });

  it('a pod deleted while in activeQ is never popped', () => {
    const h = harness();
    const a = pod('a', 10);
    const b = pod('b', 0);
    h.queue.add(a);
    h.queue.add(b);
    h.queue.done(a);
    assert.equal(h.queue.activeCount, 1);
    assert.equal(h.queue.pop()?.pod, b);
    assert.equal(h.queue.pop(), undefined);
    assert.equal(h.queue.pendingCount, 1);
  });
});

describe('SchedulingQueue: backoffQ', () => {
  // Backoff expiries are flushed by a tick every second (upstream flushBackoffQCompleted runs
  // every 1 s): a pod becomes active at the first tick after its backoff ends. The failures
  // below happen half-way between ticks, so no expiry falls exactly on a tick.
  const failAtUs = 10 * S + 500 * MS;
  const cases: Array<[attempts: number, activeAtUs: number]> = [
    [1, 12 * S], // 11.5 s → tick 12
    [2, 13 * S], // 12.5 s → tick 13
    [3, 15 * S], // 14.5 s → tick 15
    [4, 19 * S], // 18.5 s → tick 19
    [5, 21 * S], // 20.5 s (10 s cap) → tick 21
    [6, 21 * S],
  ];
  for (const [attempts, activeAtUs] of cases) {
    it(`after attempt ${attempts} failing at 10.5 s the pod leaves backoff at the ${activeAtUs / S} s tick`, () => {
      const h = harness();
      const p = pod('p');
      h.queue.add(p);
      at(h, failAtUs, () => {
        const qpi = popOnly(h, p);
        qpi.attempts = attempts;
        h.queue.addUnschedulable(qpi, true);
      });
      assert.equal(h.queue.activeCount, 0);
      h.sim.run(activeAtUs - 1);
      assert.equal(h.queue.activeCount, 0, 'still backing off one µs before the tick');
      h.sim.run(activeAtUs);
      assert.equal(h.queue.activeCount, 1);
      assert.deepEqual(h.activations, [0, activeAtUs]);
      assert.equal(popOnly(h, p).attempts, attempts + 1);
    });
  }

  it('a pod whose attempt overlapped a move request goes to backoffQ, not unschedulablePods', () => {
    // Upstream AddUnschedulableIfNotPresent: moveRequestCycle >= the pod's scheduling cycle
    // sends it to backoffQ, so it is retried without waiting for another event.
    const h = harness();
    const p = pod('p');
    h.queue.add(p);
    at(h, 500 * MS, () => {
      const qpi = popOnly(h, p);
      h.queue.moveAllToActiveOrBackoff(); // a node was added while the pod was being scheduled
      h.queue.addUnschedulable(qpi, false);
    });
    h.sim.run(2 * S - 1);
    assert.equal(h.queue.activeCount, 0);
    h.sim.run(2 * S);
    assert.equal(h.queue.activeCount, 1);
  });

  /** Pops whatever is next and fails it with no rejecting plugin (so it goes to backoffQ) after
   * `attempts` attempts; returns the pod's name, or null when the queue had nothing to pop. */
  function popAndBackOff(h: Harness, attempts: number, error = false): string | null {
    const qpi = h.queue.pop();
    if (qpi === undefined) return null;
    qpi.attempts = attempts;
    qpi.unschedulablePlugins = new Set();
    h.queue.addUnschedulable(qpi, error);
    return qpi.pod.pod.metadata?.name ?? '';
  }

  it('an idle scheduler pops backoffQ by tick, then priority, then the order pods entered it; Error backoff is never popped early', () => {
    const h = harness();
    const names = ['a0', 'b5', 'c0', 'd5', 'e9', 'f0'];
    const pods = new Map(names.map((n) => [n, pod(n, Number(n[1]))]));
    const order: string[] = [];
    at(h, 10 * S + 500 * MS, () => {
      for (const n of names) h.queue.add(pods.get(n) as PodInfo);
      // Pop all six (priority order), sending e9 and c0 to a later tick (2 s backoff), f0 to Error backoff.
      for (let i = 0; i < names.length; i++) {
        const qpi = h.queue.pop() as QueuedPodInfo;
        const n = qpi.pod.pod.metadata?.name as string;
        order.push(n);
        qpi.attempts = n === 'e9' || n === 'c0' ? 2 : 1;
        qpi.unschedulablePlugins = new Set();
        h.queue.addUnschedulable(qpi, n === 'f0');
      }
    });
    assert.deepEqual(order, ['e9', 'b5', 'd5', 'a0', 'c0', 'f0']);
    // All wait for ticks 12 s (1 s backoff) or 13 s (2 s); popping early follows the tick first.
    const early: string[] = [];
    at(h, 11 * S, () => {
      for (let q = h.queue.pop(); q !== undefined; q = h.queue.pop()) early.push(q.pod.pod.metadata?.name as string);
    });
    assert.deepEqual(early, ['b5', 'd5', 'a0', 'e9', 'c0']);
    assert.equal(h.queue.pendingCount, 6, 'popped pods are in flight, f0 still in Error backoff');
  });

  it('a pod popped early from backoffQ that fails back into the same tick is activated once', () => {
    const h = harness();
    const p = pod('p');
    h.queue.add(p);
    at(h, 10 * S + 500 * MS, () => assert.equal(popAndBackOff(h, 1), 'p')); // 1 s → tick 12
    at(h, 10 * S + 700 * MS, () => assert.equal(popAndBackOff(h, 1), 'p')); // popped early; again tick 12
    h.sim.run(12 * S);
    assert.equal(h.queue.activeCount, 1);
    assert.equal(h.queue.pop()?.pod, p);
    assert.equal(h.queue.pop(), undefined, 'the first entry of the tick is stale, not a second copy');
  });

  it('a pod deleted while in backoffQ is never popped, and a flushed pod is not popped from backoffQ again', () => {
    const h = harness();
    const gone = pod('gone', 5);
    const kept = pod('kept');
    h.queue.add(gone);
    h.queue.add(kept);
    at(h, 500 * MS, () => {
      assert.equal(popAndBackOff(h, 1), 'gone');
      assert.equal(popAndBackOff(h, 1), 'kept');
      h.queue.done(gone);
    });
    h.sim.run(2 * S); // the 2 s tick flushes kept to activeQ
    assert.equal(h.queue.activeCount, 1);
    assert.equal(h.queue.pop()?.pod, kept);
    assert.equal(h.queue.pop(), undefined);
  });

  it('5,000 pods in one backoff tick pop early in priority order, each once, in O(n log n) comparisons', () => {
    const sim = new Simulation();
    const sort = new PrioritySortPlugin();
    let comparisons = 0;
    const queue = new SchedulingQueue(sim, (a, b) => (comparisons++, sort.less(a, b)), () => {}, DEFAULT_QUEUE_OPTIONS);
    const h: Harness = { sim, queue, activations: [] };
    const n = 5000;
    at(h, 500 * MS, () => {
      for (let i = 0; i < n; i++) h.queue.add(pod(`p${i}`, (i * 7919) % 100));
      for (let i = 0; i < n; i++) popAndBackOff(h, 1);
    });
    const priorities: number[] = [];
    at(h, 600 * MS, () => {
      for (let q = h.queue.pop(); q !== undefined; q = h.queue.pop()) priorities.push(q.pod.pod.spec?.priority ?? 0);
    });
    assert.equal(priorities.length, n);
    assert.deepEqual(priorities, [...priorities].sort((a, b) => b - a));
    assert.equal(priorities[0], 99);
    // A heap needs ~2 n log2 n ≈ 250,000 comparisons for this; a scan of the bucket per pop
    // (the code before, which made a 1-hour run with 3,000 pending pods take 500 s) ~12.5 M.
    assert.ok(comparisons < 1_000_000, `${comparisons} comparisons`);
  });
});

describe('SchedulingQueue: unschedulablePods', () => {
  it('an unschedulable pod waits for an event, and is flushed after 5 min without one', () => {
    // Upstream DefaultPodMaxInUnschedulablePodsDuration (5 min), checked every 30 s
    // (flushUnschedulablePodsLeftover); a pod must have waited strictly longer than 5 min.
    const h = harness();
    const p = pod('p');
    h.queue.add(p);
    h.queue.addUnschedulable(popOnly(h, p), false);
    h.sim.run(300 * S);
    assert.equal(h.queue.activeCount, 0, 'not flushed at exactly 5 min');
    h.sim.run(330 * S - 1);
    assert.equal(h.queue.activeCount, 0);
    h.sim.run(330 * S);
    assert.equal(h.queue.activeCount, 1, 'flushed at the first 30 s check after 5 min');
    assert.deepEqual(h.activations, [0, 330 * S]);
  });

  it('moveAllToActiveOrBackoff sends a pod still backing off to backoffQ', () => {
    // Upstream movePodsToActiveOrBackoffQueue: isPodBackingoff → backoffQ, else activeQ.
    const h = harness();
    const p = pod('p');
    h.queue.add(p);
    at(h, 500 * MS, () => h.queue.addUnschedulable(popOnly(h, p), false)); // backoff ends at 1.5 s
    at(h, 700 * MS, () => h.queue.moveAllToActiveOrBackoff());
    assert.equal(h.queue.activeCount, 0, 'moved to backoffQ, not activeQ');
    h.sim.run(2 * S - 1);
    assert.equal(h.queue.activeCount, 0);
    h.sim.run(2 * S);
    assert.equal(h.queue.activeCount, 1);
    assert.deepEqual(h.activations, [0, 2 * S]);
  });

  it('moveAllToActiveOrBackoff sends a pod whose backoff is over straight to activeQ', () => {
    const h = harness();
    const p = pod('p');
    h.queue.add(p);
    at(h, 500 * MS, () => h.queue.addUnschedulable(popOnly(h, p), false)); // backoff ends at 1.5 s
    at(h, 1600 * MS, () => h.queue.moveAllToActiveOrBackoff());
    assert.equal(h.queue.activeCount, 1);
    assert.deepEqual(h.activations, [0, 1600 * MS]);
  });

  it('moveAllToActiveOrBackoff applies each pod\'s own backoff (attempts 1 and 4)', () => {
    const h = harness();
    const fresh = pod('fresh', 0);
    const retried = pod('retried', 10);
    h.queue.add(fresh);
    h.queue.add(retried);
    at(h, 500 * MS, () => {
      const a = popOnly(h, retried); // 4th attempt: 8 s backoff, until 8.5 s
      a.attempts = 4;
      h.queue.addUnschedulable(a, false);
      h.queue.addUnschedulable(popOnly(h, fresh), false); // 1 s backoff, until 1.5 s
    });
    at(h, 3 * S, () => h.queue.moveAllToActiveOrBackoff());
    assert.equal(h.queue.activeCount, 1, 'only the fresh pod is active; the retried one backs off');
    assert.equal(h.queue.pop()?.pod, fresh);
    h.sim.run(9 * S - 1);
    assert.equal(h.queue.activeCount, 0);
    h.sim.run(9 * S);
    assert.equal(h.queue.activeCount, 1);
    assert.equal(h.queue.pop()?.pod, retried);
  });

  it('with activeQ empty, pop takes the pod whose backoff ends first (SchedulerPopFromBackoffQ)', () => {
    // KEP-5142 (beta and on by default since v1.33): an idle scheduler does not wait out backoff.
    const h = harness();
    const a = pod('a');
    const b = pod('b');
    h.queue.add(a);
    h.queue.add(b);
    at(h, 500 * MS, () => {
      const qa = popOnly(h, a);
      const qb = popOnly(h, b);
      qa.attempts = 3; // 4 s backoff: until 4.5 s
      h.queue.moveAllToActiveOrBackoff(); // an event during their cycles sends them to backoffQ
      h.queue.addUnschedulable(qa, false);
      h.queue.addUnschedulable(qb, false); // 1 s backoff: until 1.5 s
    });
    assert.equal(h.queue.activeCount, 0);
    assert.equal(h.queue.pop()?.pod, b);
    assert.equal(h.queue.pop()?.pod, a);
    assert.equal(h.queue.pop(), undefined);
  });

  it('pods backing off after an Error wait out their backoff even when activeQ is empty', () => {
    // KEP-5142 keeps such pods in podErrorBackoffQ, which pop never takes early.
    const h = harness();
    const p = pod('p');
    h.queue.add(p);
    at(h, 500 * MS, () => h.queue.addUnschedulable(popOnly(h, p), true)); // 1 s backoff: window ends at 2 s
    assert.equal(h.queue.pop(), undefined);
    h.sim.run(2 * S);
    assert.equal(h.queue.pop()?.pod, p);
  });

  it('a pod deleted while in unschedulablePods is not flushed back', () => {
    const h = harness();
    const p = pod('p');
    h.queue.add(p);
    h.queue.addUnschedulable(popOnly(h, p), false);
    h.queue.done(p);
    assert.equal(h.queue.pendingCount, 0);
    h.queue.moveAllToActiveOrBackoff();
    h.sim.run(400 * S);
    assert.equal(h.queue.activeCount, 0);
    assert.deepEqual(h.activations, [0]);
  });
});

describe('SchedulingQueue: identity and queueing hints', () => {
  it('a pod recreated under the name of one still queued is a separate entry', () => {
    // The recreated pod arrives before the old one's deletion is heard (StatefulSets, traces
    // and imports reuse names): keyed by name, the new pod was dropped as already known.
    const h = harness();
    const old = pod('web-0');
    const recreated = pod('web-0');
    h.queue.add(old);
    h.queue.addUnschedulable(popOnly(h, old), false);
    h.queue.add(recreated);
    assert.equal(h.queue.pendingCount, 2);
    h.queue.done(old);
    assert.equal(h.queue.pop()?.pod, recreated);
  });

  it('an event moves only the pods whose rejecting plugin registered it and whose hint says Queue', () => {
    const sim = new Simulation();
    const sort = new PrioritySortPlugin();
    const hints = new Map<string, readonly ClusterEventWithHint[] | undefined>([
      ['TaintToleration', [{ event: { resource: 'Node', actionType: ActionType.UpdateNodeTaint }, hint: (_p, _o, n) => ((n as NodeView).taints.length === 0 ? 'Queue' : 'QueueSkip') }]],
      ['NodeResourcesFit', [{ event: { resource: 'Pod', actionType: ActionType.Delete } }]],
      ['Custom', undefined],
    ]);
    const queue = new SchedulingQueue(sim, (a, b) => sort.less(a, b), () => {}, DEFAULT_QUEUE_OPTIONS, () => {}, () => hints);
    const byTaint = pod('by-taint');
    const byFit = pod('by-fit');
    const byCustom = pod('by-custom');
    for (const p of [byTaint, byFit, byCustom]) queue.add(p);
    const rejectors = new Map([[byTaint, 'TaintToleration'], [byFit, 'NodeResourcesFit'], [byCustom, 'Custom']]);
    for (let i = 0; i < 3; i++) {
      const q = queue.pop() as QueuedPodInfo;
      q.unschedulablePlugins = new Set([rejectors.get(q.pod) as string]);
      queue.addUnschedulable(q, false);
    }
    assert.equal(queue.unschedulableCount, 3);
    sim.run(20 * S); // backoffs are over
    const node = (taints: NodeView['taints']): NodeView => ({ name: 'n', labels: {}, taints, unschedulable: false, ready: true, allocatable: new Resource() });
    // A taint change that leaves a taint: the TaintToleration hint skips; the custom plugin
    // (no EnqueueExtensions) is interested in every event.
    const tainted = node([{ key: 'k', effect: 'NoSchedule' }]);
    queue.moveAllToActiveOrBackoff({ resource: 'Node', actionType: ActionType.UpdateNodeTaint }, tainted, node([{ key: 'k', effect: 'NoSchedule', value: 'v' }]));
    assert.deepEqual([queue.pop()?.pod.name, queue.pop()], ['by-custom', undefined]);
    // The taints are removed: only the pod TaintToleration rejected moves.
    queue.moveAllToActiveOrBackoff({ resource: 'Node', actionType: ActionType.UpdateNodeTaint }, tainted, node([]));
    assert.deepEqual([queue.pop()?.pod.name, queue.pop()], ['by-taint', undefined]);
    // An assigned pod's deletion matches NodeResourcesFit's Pod/Delete registration.
    queue.moveAllToActiveOrBackoff({ resource: 'AssignedPod', actionType: ActionType.Delete }, pod('gone'), undefined);
    assert.deepEqual([queue.pop()?.pod.name, queue.pop()], ['by-fit', undefined]);
  });

  it('an event heard during a pod\'s attempt sends it to backoffQ only if its rejector\'s hint accepts it', () => {
    const queue = queueRequeuedByPodDelete();
    const a = pod('a');
    const b = pod('b');
    queue.add(a);
    queue.add(b);
    const qa = queue.pop() as QueuedPodInfo;
    const qb = queue.pop() as QueuedPodInfo;
    queue.moveAllToActiveOrBackoff({ resource: 'Node', actionType: ActionType.Add }, undefined, undefined); // no match
    qa.unschedulablePlugins = new Set(['NodeResourcesFit']);
    queue.addUnschedulable(qa, false);
    assert.equal(queue.unschedulableCount, 1, 'a node add does not match the registered Pod/Delete, so a waits in unschedulablePods');
    queue.moveAllToActiveOrBackoff({ resource: 'AssignedPod', actionType: ActionType.Delete }, pod('gone'), undefined);
    qb.unschedulablePlugins = new Set(['NodeResourcesFit']);
    queue.addUnschedulable(qb, false);
    assert.equal(queue.unschedulableCount, 0, 'the deletion moved a; b heard it in flight and went to backoffQ');
    // Both back off until the 1 s tick; an idle scheduler pops them from backoffQ in sort order.
    assert.deepEqual([queue.pop()?.pod, queue.pop()?.pod, queue.pop()], [a, b, undefined]);
  });
});

describe('SchedulingQueue: in-flight events', () => {
  it('the event log stays bounded while overlapping attempts keep some pod always in flight', () => {
    // Bindings overlap in a steady stream: pod i+1 is popped before pod i is done, so the set of
    // in-flight pods is never empty and the log was never cleared.
    const h = harness();
    const pods = Array.from({ length: 20_001 }, (_, i) => pod(`p${i}`));
    h.queue.add(pods[0] as PodInfo);
    h.queue.pop();
    for (let i = 1; i < pods.length; i++) {
      h.queue.add(pods[i] as PodInfo);
      assert.equal(h.queue.pop()?.pod, pods[i]);
      h.queue.moveAllToActiveOrBackoff({ resource: 'AssignedPod', actionType: ActionType.Add }, undefined, pods[i - 1]);
      h.queue.done(pods[i - 1] as PodInfo);
    }
    assert.ok(h.queue.inFlightEventCount <= 4096, `${h.queue.inFlightEventCount} events kept`);
    assert.ok(h.queue.inFlightPopsListed <= 1026, `${h.queue.inFlightPopsListed} pops listed`);
  });

  it('a long attempt keeps the events since its pop; the log is cut at the next oldest pop once it is done', () => {
    const queue = queueRequeuedByPodDelete();
    const add = { resource: 'AssignedPod', actionType: ActionType.Add } as const;
    const slow = pod('slow');
    queue.add(slow);
    const qs = queue.pop() as QueuedPodInfo;
    // The one event slow's rejector cares about comes first; 5,000 bindings follow while slow
    // stays in flight, each pod popped after the previous one is done.
    queue.moveAllToActiveOrBackoff({ resource: 'AssignedPod', actionType: ActionType.Delete }, pod('gone'), undefined);
    let late: PodInfo | null = null;
    for (let i = 0; i < 5000; i++) {
      const p = pod(`p${i}`);
      queue.add(p);
      assert.equal(queue.pop()?.pod, p);
      queue.moveAllToActiveOrBackoff(add, undefined, p);
      if (i === 4000) late = p; // still in flight at the end
      else queue.done(p);
    }
    assert.equal(queue.inFlightEventCount, 5001, 'nothing is cut while slow, popped first, is in flight');
    assert.ok(queue.inFlightPopsListed <= 1028, `${queue.inFlightPopsListed} pops listed for 3 pods in flight`);
    qs.unschedulablePlugins = new Set(['NodeResourcesFit']);
    queue.addUnschedulable(qs, false);
    assert.equal(queue.unschedulableCount, 0, 'slow heard the deletion of its attempt and went to backoffQ');
    // p4000 was popped after 4,001 events (the deletion and p0..p3999's bindings).
    assert.equal(queue.inFlightEventCount, 1000, 'cut at p4000\'s pop');
    queue.done(late as PodInfo);
    assert.equal(queue.inFlightEventCount, 0);
  });
});
