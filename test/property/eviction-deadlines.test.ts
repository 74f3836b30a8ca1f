// The eviction-deadline property (eviction-deadlines.ts) itself: it fails for a pod left on a
// node past its NoExecute taint's deadline, and not before or for a pod that tolerates it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, makeNode, makePod } from '../../src/testing/builders.js';
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { EvictionDeadlineTracker } from './eviction-deadlines.js';

const S = 1_000_000;
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' } as const;

const cases: ReadonlyArray<{ name: string; tolerations: Toleration[]; failsAtS: number | null }> = [
  { name: 'no matching toleration: failed at the first check past 0 s + 15 s of slack', tolerations: [], failsAtS: 20 },
  { name: 'tolerated for 300 s (the admission default): failed past 315 s', tolerations: [{ ...UNREACHABLE, operator: 'Exists', tolerationSeconds: 300 }], failsAtS: 320 },
  { name: 'two matching tolerations, 30 s and 60 s: held to the longer, past 75 s', tolerations: [{ ...UNREACHABLE, operator: 'Exists', tolerationSeconds: 30 }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }], failsAtS: 80 },
  { name: 'tolerated for ever (no tolerationSeconds): never', tolerations: [{ operator: 'Exists' }], failsAtS: null },
  { name: 'a toleration of another key does not count: at once', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }], failsAtS: 20 },
];

for (const c of cases) {
  test(`eviction deadline: ${c.name}`, () => {
    const node = makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).taint({ ...UNREACHABLE }).obj();
    const cluster = buildCluster([node], [makePod('web').node('n1').with((p) => { p.spec!.tolerations = c.tolerations; }).obj()]);
    for (const p of cluster.pods.values()) p.bound = true;
    const tracker = new EvictionDeadlineTracker();
    let failedAt: number | null = null;
    for (let t = 0; t <= 1000; t += 10) {
      try {
        tracker.check(cluster, t * S);
      } catch (e) {
        assert.match(String(e), /eviction deadline: pod default\/web still runs on node n1/);
        failedAt = t;
        break;
      }
    }
    assert.equal(failedAt, c.failsAtS);
  });
}

test('eviction deadline: a taint removed and put back between two checks restarts the deadline (watched)', () => {
  // Upstream's taint manager cancels a pod's eviction when the taint goes and re-arms it when it
  // comes back: here off at 80 s and back at 85 s, between checks every 20 s, so a pod tolerating
  // it for 300 s may stay until 85 + 300 + 15 s, not 0 + 300 + 15.
  const node = makeNode('n1').capacity({ cpu: '4', memory: '8Gi', pods: 110 }).taint({ ...UNREACHABLE }).obj();
  const cluster = buildCluster([node], [makePod('web').node('n1').with((p) => { p.spec!.tolerations = [{ ...UNREACHABLE, operator: 'Exists', tolerationSeconds: 300 }]; }).obj()]);
  for (const p of cluster.pods.values()) p.bound = true;
  const tracker = new EvictionDeadlineTracker();
  let now = 0;
  tracker.watch(cluster, () => now);
  let failedAt: number | null = null;
  for (let t = 0; t <= 1000 && failedAt === null; t += 5) {
    now = t * S;
    if (t === 80) cluster.updateNode('n1', { taints: [] });
    if (t === 85) cluster.updateNode('n1', { taints: [{ ...UNREACHABLE }] });
    if (t % 20 !== 0) continue;
    try {
      tracker.check(cluster, now);
    } catch (e) {
      assert.match(String(e), /first seen at 85 s/);
      failedAt = t;
    }
  }
  assert.equal(failedAt, 420);
});
