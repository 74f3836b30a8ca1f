import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makePod, queuedPodInfo } from '../../testing/builders.js';
import type { QueuedPodInfo } from '../framework/interfaces.js';
import { PrioritySortPlugin } from './priority-sort.js';

const LOW = 10;
const HIGH = 100;
const T1 = 5_000_000;
const T2 = T1 + 1_000_000; // upstream: t2 := t1.Add(time.Second)

function q(priority: number | undefined, timestampUs = 0): QueuedPodInfo {
  const w = makePod();
  if (priority !== undefined) w.priority(priority);
  return queuedPodInfo(w.obj(), timestampUs);
}

describe('PrioritySort Less', () => {
  // Upstream pkg/scheduler/framework/plugins/queuesort/priority_sort_test.go (TestLess); the
  // cases marked "ksim case" pin the strictness and the default priority.
  const cases: Array<[name: string, p1: QueuedPodInfo, p2: QueuedPodInfo, want: boolean]> = [
    ['p1.priority less than p2.priority', q(LOW), q(HIGH), false],
    ['p1.priority greater than p2.priority', q(HIGH), q(LOW), true],
    ['equal priority. p1 is added to schedulingQ earlier than p2', q(HIGH, T1), q(HIGH, T2), true],
    ['equal priority. p2 is added to schedulingQ earlier than p1', q(HIGH, T2), q(HIGH, T1), false],
    ['ksim case: equal priority and equal timestamp is not less (strict order)', q(HIGH, T1), q(HIGH, T1), false],
    ['ksim case: a pod without spec.priority counts as priority 0', q(undefined, T1), q(1, T2), false],
    ['ksim case: priority 0 ties with a pod without spec.priority, so the earlier wins', q(0, T1), q(undefined, T2), true],
    ['ksim case: a higher priority wins even when queued later', q(-5, T2), q(-10, T1), true],
  ];
  for (const [name, p1, p2, want] of cases) {
    it(name, () => {
      assert.equal(new PrioritySortPlugin().less(p1, p2), want);
    });
  }

  it('ksim case: orders a queue by priority, then by queue timestamp', () => {
    const pods: Array<[name: string, priority: number, ts: number]> = [
      ['a', 0, 3],
      ['b', 100, 5],
      ['c', 0, 1],
      ['d', 1000, 9],
      ['e', 100, 2],
    ];
    const plugin = new PrioritySortPlugin();
    const qs = pods.map(([name, p, ts]) => queuedPodInfo(makePod(name).priority(p).obj(), ts));
    qs.sort((x, y) => (plugin.less(x, y) ? -1 : plugin.less(y, x) ? 1 : 0));
    assert.deepEqual(
      qs.map((x) => x.pod.name),
      ['d', 'e', 'b', 'c', 'a'],
    );
  });
});
