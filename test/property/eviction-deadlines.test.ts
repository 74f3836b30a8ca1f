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
