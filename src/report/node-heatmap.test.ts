import { test } from 'node:test';
import assert from 'node:assert/strict';
import { naturalCompare, NodeHeatmapBuilder, type HeatmapNode } from './node-heatmap.js';

const node = (name: string, zone: string, pool = 'p'): HeatmapNode => ({ name, pool, zone, cpuAllocatableMilli: 1000, memoryAllocatableBytes: 1000 });

test('a cell is the time-weighted mean of requests / allocatable over its bin; rows by zone, then name', () => {
  // 100 s in 4 bins of 25 s; n-b (zone-a) comes before n-a (zone-b).
  const b = new NodeHeatmapBuilder([node('n-a', 'zone-b'), node('n-b', 'zone-a')], 100, 4);
  b.addPod('n-a', 0, 50, 500, 200); // half the cpu, a fifth of the memory over bins 0 and 1
  b.addPod('n-a', 60, Infinity, 1000, 0); // bin 2: 15 s of 25 → 0.6; bin 3: whole
  b.addPod('n-b', 10, 20, 500, 0); // bin 0: 500 × 10 s / (1000 × 25 s) = 0.2
  b.addPod('gone', 0, 100, 1000, 1000); // not in nodes.csv: left out
  const hm = b.build([]);
  assert.equal(hm.rowsAre, 'node');
  assert.deepEqual(hm.rows, ['n-b', 'n-a']);
  assert.deepEqual(hm.edges, [0, 25, 50, 75, 100]);
  assert.deepEqual(hm.cpu, [0.2, 0, 0, 0, 0.5, 0.5, 0.6, 1]);
  assert.deepEqual(hm.memory, [0, 0, 0, 0, 0.2, 0.2, 0, 0]);
});

test('fault windows outline the rows they hit: a zone, a pool, listed nodes; etcd none; cut at the end of the run', () => {
  const b = new NodeHeatmapBuilder([node('n-1', 'zone-a', 'gpu'), node('n-2', 'zone-b'), node('n-3', 'zone-b')], 100, 2);
  const hm = b.build([
    { target: 'zone=zone-b', startS: 30, endS: 200 },
    { target: 'pool=gpu', startS: 10, endS: 20 },
    { target: 'n-1;n-3;n-9', startS: 40, endS: 50 },
    { target: 'etcd', startS: 0, endS: 5 },
  ]);
  assert.deepEqual(hm.faults, [
    { row: 'n-2', x1: 30, x2: 100 },
    { row: 'n-3', x1: 30, x2: 100 },
    { row: 'n-1', x1: 10, x2: 20 },
    { row: 'n-1', x1: 40, x2: 50 },
    { row: 'n-3', x1: 40, x2: 50 },
  ]);
});

test('more than 60 nodes: one row per pool when there are several, else runs of consecutive nodes', () => {
  const many = (pools: number) => Array.from({ length: 61 }, (_, i) => node(`n-${i}`, 'z', `pool-${i % pools}`));
  const byPool = new NodeHeatmapBuilder(many(2), 10, 1);
  byPool.addPod('n-0', 0, 10, 1000, 0); // pool-0 has 31 nodes: 1000 / 31000
  const p = byPool.build([{ target: 'n-1', startS: 0, endS: 10 }]);
  assert.equal(p.rowsAre, 'pool');
  assert.deepEqual(p.rows, ['pool-0', 'pool-1']);
  assert.deepEqual(p.cpu, [0.0323, 0]);
  assert.deepEqual(p.faults, [{ row: 'pool-1', x1: 0, x2: 10 }]);
  const runs = new NodeHeatmapBuilder(many(1), 10, 1).build([]);
  assert.equal(runs.rowsAre, 'nodes');
  assert.equal(runs.rows.length, 31);
  assert.deepEqual([runs.rows[0], runs.rows[30]], ['n-0 … n-1', 'n-60']);
});

test('names sort as people count: node-2 before node-10', () => {
  assert.deepEqual(['node-10', 'node-2', 'node-1', 'a'].sort(naturalCompare), ['a', 'node-1', 'node-2', 'node-10']);
});
