// BooksOrder (node-info.ts) and ClusterState.booksInOrder: the scheduler's batch resource filter
// and score lookups read node figures and generations from the books rows by position, not
// from each NodeInfo. They must say exactly what the NodeInfos say, follow the node list as it
// changes, and never hand out a stale list's rows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { NodeScoreCache } from '../scheduler/framework/node-score-cache.js';
import { RandomStreams } from '../engine/random.js';

function zonedNodes(n: number) {
  return Array.from({ length: n }, (_, i) =>
    makeNode(`n${i}`)
      .zone(`z${i % 3}`)
      .capacity({ cpu: `${2 + (i % 4)}`, memory: `${4 + (i % 3) * 4}Gi`, pods: 3 + (i % 5), 'ephemeral-storage': `${10 + (i % 2) * 10}Gi` })
      .obj(),
  );
}

/** Positions lacking room, as nextWithoutRoom finds them one after another. */
function withoutRoom(cluster: ReturnType<typeof buildCluster>, cpu: number, memory: number, ephemeral: number): number[] {
  const list = cluster.schedulingNodes();
  const order = cluster.booksInOrder(list);
  assert.ok(order !== null);
  const out: number[] = [];
  for (let i = order.nextWithoutRoom(0, list.length, cpu, memory, ephemeral); i < list.length; i = order.nextWithoutRoom(i + 1, list.length, cpu, memory, ephemeral)) out.push(i);
  return out;
}

describe('BooksOrder', () => {
  it('finds exactly the nodes NodeInfo.hasRoomFor refuses, through placements and removals', () => {
    const cluster = buildCluster(zonedNodes(24));
    const rng = new RandomStreams(5).stream('books-order');
    const placed: PodInfo[] = [];
    const shapes = [
      [0, 0, 0],
      [500, 0, 0],
      [1500, 2 * 1024 ** 3, 0],
      [100, 512 * 1024 ** 2, 5 * 1024 ** 3],
      [3000, 9 * 1024 ** 3, 15 * 1024 ** 3],
    ] as const;
    let refusedSomewhere = 0;
    for (let step = 0; step < 300; step++) {
      const list = cluster.schedulingNodes();
      if (rng.next() < 0.65 || placed.length === 0) {
        const node = list[rng.int(list.length)] as NodeInfo;
        const p = podInfo(makePod(`p${step}`).req({ cpu: `${100 * (1 + rng.int(10))}m`, memory: `${256 * (1 + rng.int(8))}Mi`, 'ephemeral-storage': `${rng.int(3)}Gi` }).obj());
        cluster.assume(p, node);
        placed.push(p);
      } else {
        cluster.forget(placed.splice(rng.int(placed.length), 1)[0] as PodInfo);
      }
      for (const [cpu, memory, ephemeral] of shapes) {
        const expected = list.flatMap((n, i) => (n.hasRoomFor(cpu, memory, ephemeral) ? [] : [i]));
        assert.deepEqual(withoutRoom(cluster, cpu, memory, ephemeral), expected, `step ${step}, request ${cpu}m/${memory}/${ephemeral}`);
        refusedSomewhere += expected.length;
      }
    }
    assert.ok(refusedSomewhere > 1000, `the walk filled nodes up (${refusedSomewhere} refusals)`);
  });

  it('is given only for the current scheduling list, and follows nodes joining and leaving', () => {
    const cluster = buildCluster(zonedNodes(6));
    const before = cluster.schedulingNodes();
    assert.ok(cluster.booksInOrder(before) !== null);
    assert.equal(cluster.booksInOrder([...before]), null, 'a copy of the list is not the list');
    cluster.addNode(makeNode('late').zone('z0').capacity({ cpu: '1', memory: '1Gi', pods: 1 }).obj(), 'p');
    assert.equal(cluster.booksInOrder(before), null, 'the list before the node joined is stale');
    const after = cluster.schedulingNodes();
    const order = cluster.booksInOrder(after);
    assert.ok(order !== null);
    assert.deepEqual([...order.indexes], after.map((n) => n.index));
    const late = after.findIndex((n) => n.name === 'late');
    // 'late' (1 CPU, one pod) refuses a 2-CPU pod; the 2-CPU nodes (n0, n4) take it.
    assert.deepEqual(withoutRoom(cluster, 2000, 0, 0), [late]);
    cluster.removeNode('n1');
    const third = cluster.schedulingNodes();
    const o3 = cluster.booksInOrder(third);
    assert.ok(o3 !== null);
    assert.deepEqual([...o3.indexes], third.map((n) => n.index), 'indexes after the re-indexing a removal does');
    assert.deepEqual(
      [...o3.offsets].map((off) => o3.rows()[off + 1]),
      third.map((n) => n.allowedPods),
      'each position reads its own node row',
    );
  });

  it('keeps NodeInfo.generation in the row: unique per change, for clones and for a node taking a freed row', () => {
    const cluster = buildCluster(zonedNodes(3));
    const [a, b] = cluster.nodes as [NodeInfo, NodeInfo];
    const seen = new Set(cluster.nodes.map((n) => n.generation));
    assert.equal(seen.size, 3);
    const g = a.generation;
    cluster.assume(podInfo(makePod('x').req({ cpu: '100m' }).obj()), a);
    assert.notEqual(a.generation, g);
    seen.add(a.generation);
    const c = a.clone();
    assert.ok(!seen.has(c.generation), 'a clone has a generation of its own');
    seen.add(c.generation);
    assert.equal(a.generation, [...seen][3], 'cloning leaves the original alone');
    const bGen = b.generation;
    cluster.removeNode(b.name);
    assert.equal(b.generation, bGen, 'a node leaving its books keeps its generation');
    const d = cluster.addNode(makeNode('d').zone('z1').capacity({ cpu: '1', memory: '1Gi', pods: 2 }).obj(), 'p');
    assert.ok(!seen.has(d.generation) && d.generation !== bGen, 'the freed row does not pass its generation on');
    const list = cluster.schedulingNodes();
    const order = cluster.booksInOrder(list)!;
    list.forEach((n, i) => assert.equal(order.rows()[order.offsets[i]! + 10], n.generation));
  });
});

describe('NodeScoreCache.addCachedRunAt', () => {
  it('hits and misses exactly where addCachedRun does over the same nodes', () => {
    const cluster = buildCluster(zonedNodes(12));
    const list = cluster.schedulingNodes();
    const order = cluster.booksInOrder(list)!;
    const cache = new NodeScoreCache();
    // Entries for every other node, class 1; node 4's for class 2; then node 6 changes.
    list.forEach((n, i) => {
      if (i % 2 === 0) cache.set(n, i === 4 ? 2 : 1, 10 * i);
    });
    cluster.assume(podInfo(makePod('y').req({ cpu: '100m' }).obj()), list[6] as NodeInfo);
    const picked = [0, 2, 4, 6, 8, 10, 1, 3];
    const nodes = picked.map((p) => list[p] as NodeInfo);
    const positions = Int32Array.from(picked);
    const runs = (f: (from: number, out: Float64Array) => number) => {
      const out = new Float64Array(nodes.length);
      const stops: number[] = [];
      for (let i = f(0, out); i < nodes.length; i = f(i + 1, out)) stops.push(i);
      return { stops, out: [...out] };
    };
    const byNodes = runs((from, out) => cache.addCachedRun(nodes, from, 1, 0.5, out));
    const byPositions = runs((from, out) => cache.addCachedRunAt(order, positions, from, nodes.length, 1, 0.5, out));
    assert.deepEqual(byPositions, byNodes);
    assert.deepEqual(byNodes.stops, [2, 3, 6, 7], 'class 2 at node 4, the changed node 6, and the two never set');
    assert.deepEqual(byNodes.out, [0.5, 20.5, 0, 0, 80.5, 100.5, 0, 0]);
  });
});
