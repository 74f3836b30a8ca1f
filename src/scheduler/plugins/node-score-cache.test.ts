// NodeScoreCache (framework/node-score-cache.ts): NodeResourcesFit and BalancedAllocation reuse a node's
// score while its books and the pod's request vector are unchanged. The cached scoreNodes must
// give exactly what score() computes afresh, through placements, removals, node changes and
// pods of alternating shapes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, makeNode, makePod, podInfo } from '../../testing/builders.js';
import { CycleState } from '../framework/cycle-state.js';
import type { ScorePlugin } from '../framework/interfaces.js';
import { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import { newNodeResourcesBalancedAllocation } from './balanced-allocation.js';
import { newNodeResourcesFit } from './node-resources-fit.js';
import { ResourceAllocation } from './resource-allocation.js';
import { NodeScoreCache } from '../framework/node-score-cache.js';
import { RandomStreams } from '../../engine/random.js';

const shapes = [
  { cpu: '100m', memory: '500Mi' },
  { cpu: '1', memory: '2Gi' },
  { cpu: '100m', memory: '500Mi' },
  { cpu: '2500m', memory: '100Mi' },
];

function cachedAndFresh(plugin: ScorePlugin, pod: PodInfo, nodes: readonly NodeInfo[]): { cached: number[]; fresh: number[] } {
  const out = new Float64Array(nodes.length);
  plugin.scoreNodes!(new CycleState(), pod, nodes, out);
  return { cached: [...out], fresh: nodes.map((n) => plugin.score(new CycleState(), pod, n)) };
}

describe('NodeScoreCache', () => {
  it('hands back a score only for the same node generation and request class', () => {
    const cluster = buildCluster([makeNode('a').capacity({ cpu: '4', memory: '8Gi', pods: 10 }).obj(), makeNode('b').capacity({ cpu: '4', memory: '8Gi', pods: 10 }).obj()]);
    const [a, b] = cluster.nodes as [NodeInfo, NodeInfo];
    const cache = new NodeScoreCache();
    assert.equal(cache.get(a, 1), -1);
    cache.set(a, 1, 73);
    assert.equal(cache.get(a, 1), 73);
    assert.equal(cache.get(a, 2), -1, 'another request class');
    // b at a's index (as after a node removal re-indexes): a different generation, no hit.
    const bAt0 = Object.assign(Object.create(Object.getPrototypeOf(b) as object) as NodeInfo, b, { index: 0 });
    assert.equal(cache.get(bAt0, 1), -1);
    cluster.assume(podInfo(makePod('p').req({ cpu: '1' }).obj()), a);
    assert.equal(cache.get(a, 1), -1, 'a placement changes the generation');
  });

  it('keeps its entries when it grows for a node of a higher index', () => {
    const cluster = buildCluster([makeNode('a').capacity({ cpu: '4', memory: '8Gi', pods: 10 }).obj()]);
    const a = cluster.nodes[0]!;
    const far = new NodeInfo(makeNode('far').obj(), 'p', 1000); // past the first allocation (64) and its doubling
    const cache = new NodeScoreCache();
    cache.set(a, 1, 42);
    cache.set(far, 1, 17);
    assert.equal(cache.get(far, 1), 17);
    assert.equal(cache.get(a, 1), 42, 'the entry made before the growth is still there');
  });

  it('bounds its request classes: after 4,096 shapes it starts over, and a class is never given to another vector', () => {
    const alloc = new ResourceAllocation([{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], false);
    const pod = (milli: number) => podInfo(makePod(`p${milli}`).req({ cpu: `${milli}m`, memory: '1Gi' }).obj());
    const first = alloc.classOf(pod(1));
    const seen = new Map<number, number>([[first, 1]]);
    for (let m = 2; m <= 4096; m++) seen.set(alloc.classOf(pod(m)), m);
    assert.equal(seen.size, 4096, 'one class per shape');
    assert.equal(alloc.classOf(pod(1)), first, 'all 4,096 shapes kept: shape 1 keeps its class');
    const next = alloc.classOf(pod(5000)); // the 4,097th shape: the map starts over
    assert.equal(seen.has(next), false);
    const again = alloc.classOf(pod(1)); // shape 1 is new again after the reset
    assert.notEqual(again, first);
    assert.equal(seen.has(again), false, 'a new number, not one another vector had');
  });

  it('gives pods asking the same amounts one class, and other amounts another', () => {
    const alloc = new ResourceAllocation([{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], false);
    const p1 = podInfo(makePod('p1').req({ cpu: '100m', memory: '500Mi' }).obj());
    const p2 = podInfo(makePod('p2').req({ cpu: '100m', memory: '500Mi' }).obj());
    const p3 = podInfo(makePod('p3').req({ cpu: '200m', memory: '500Mi' }).obj());
    const c1 = alloc.classOf(p1);
    assert.equal(alloc.classOf(p2), c1);
    assert.notEqual(alloc.classOf(p3), c1);
    assert.equal(alloc.classOf(p1), c1, 'a class is kept when the shape comes back');
  });

  for (const [name, plugin] of [
    ['NodeResourcesFit LeastAllocated', () => newNodeResourcesFit(undefined)],
    ['NodeResourcesFit MostAllocated', () => newNodeResourcesFit({ scoringStrategy: { type: 'MostAllocated' } })],
    ['NodeResourcesBalancedAllocation', () => newNodeResourcesBalancedAllocation(undefined)],
  ] as const) {
    it(`${name}: scoreNodes equals score() on every node through 300 changes`, () => {
      const nodes = Array.from({ length: 12 }, (_, i) => makeNode(`n${i}`).capacity({ cpu: i % 3 === 0 ? '8' : '4', memory: i % 2 === 0 ? '16Gi' : '8Gi', pods: 110 }).obj());
      const cluster = buildCluster(nodes);
      const p = plugin() as unknown as ScorePlugin;
      const rng = new RandomStreams(7).stream('cache-test');
      const placed: PodInfo[] = [];
      for (let step = 0; step < 300; step++) {
        // Three pods of a shape in a row, the books changing in between: the cache's case.
        const shape = shapes[Math.floor(step / 3) % shapes.length]!;
        const pod = podInfo(makePod(`q${step}`).req(shape).obj());
        const { cached, fresh } = cachedAndFresh(p, pod, cluster.nodes);
        assert.deepEqual(cached, fresh, `step ${step}`);
        // The same pod again: every score from the cache, the same numbers.
        assert.deepEqual(cachedAndFresh(p, pod, cluster.nodes).cached, fresh);
        // Change the books: place a pod on a random node, or take one off.
        if (placed.length > 0 && rng.int(3) === 0) {
          const victim = placed.splice(rng.int(placed.length), 1)[0]!;
          cluster.unplace(victim);
        } else {
          const q = podInfo(makePod(`r${step}`).req(shapes[rng.int(shapes.length)]!).obj());
          cluster.assume(q, cluster.nodes[rng.int(cluster.nodes.length)]!);
          placed.push(q);
        }
      }
    });
  }
});
