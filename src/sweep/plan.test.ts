import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMatrix, parseSeeds, parseShard, planRuns, shardRuns } from './plan.js';

test('seeds are ranges and lists, in the order given', () => {
  assert.deepEqual(parseSeeds('1-5'), [1, 2, 3, 4, 5]);
  assert.deepEqual(parseSeeds('7,1-3, 10'), [7, 1, 2, 3, 10]);
  assert.deepEqual(parseSeeds('0'), [0]);
});

test('bad seeds are refused naming --seeds and what is wrong', () => {
  assert.throws(() => parseSeeds('5-1'), /--seeds: expected seeds as N, A-B .*, got "5-1"/);
  assert.throws(() => parseSeeds('a'), /--seeds: expected seeds/);
  assert.throws(() => parseSeeds('1-3,2'), /--seeds: expected each seed once, got 2 twice in "1-3,2"/);
  assert.throws(() => parseSeeds('4294967296'), /--seeds/);
});

test('matrix values split at commas outside brackets and quotes', () => {
  assert.deepEqual(parseMatrix('cluster.nodePools[0].count=4,6,8'), { path: 'cluster.nodePools[0].count', values: ['4', '6', '8'] });
  assert.deepEqual(parseMatrix('a.zones=[a,b],[c]'), { path: 'a.zones', values: ['[a,b]', '[c]'] });
  assert.deepEqual(parseMatrix('a.b="x,y",z'), { path: 'a.b', values: ['"x,y"', 'z'] });
  assert.throws(() => parseMatrix('novalues'), /--matrix novalues: expected PATH=V1,V2/);
  assert.throws(() => parseMatrix('a=1,,2'), /expected non-empty values/);
  assert.throws(() => parseMatrix('a=1,1'), /expected each value once/);
  // --set reads these alike: the same runs twice under two names.
  assert.throws(() => parseMatrix('a=4,04,0x4'), /expected each value once \(4 and 04 are the same value\)/);
  assert.throws(() => parseMatrix('a=x,"x"'), /expected each value once \(x and "x" are the same value\)/);
  assert.throws(() => parseMatrix('a=[1, 2],[1,2]'), /\(\[1, 2\] and \[1,2\] are the same value\)/);
  // A number and a string are not the same value (a field may take either).
  assert.deepEqual(parseMatrix('a=2,"2"').values, ['2', '"2"']);
});

test('runs are the matrix cells in order (first axis slowest), seeds innermost, ids padded to the total', () => {
  const runs = planRuns([1, 2], [parseMatrix('a=x,y'), parseMatrix('b=1,2,3')], ['duration=5m']);
  assert.equal(runs.length, 12);
  assert.deepEqual(runs.slice(0, 3).map((r) => [r.id, r.seed, r.matrix.join('/'), r.set.join(' ')]), [
    ['r01', 1, 'x/1', 'duration=5m a=x b=1'],
    ['r02', 2, 'x/1', 'duration=5m a=x b=1'],
    ['r03', 1, 'x/2', 'duration=5m a=x b=2'],
  ]);
  assert.deepEqual(runs[11]!.id, 'r12');
  assert.equal(planRuns([1], []).length, 1);
  assert.equal(planRuns(parseSeeds('1-100'), [])[99]!.id, 'r100');
  assert.equal(planRuns(parseSeeds('1-100'), [])[0]!.id, 'r001');
  assert.throws(() => planRuns([1], [parseMatrix('a=1'), parseMatrix('a=2')]), /--matrix: expected each PATH once/);
});

test('shards take every N-th run and together hold each run exactly once', () => {
  const runs = planRuns(parseSeeds('1-10'), []);
  const parts = [1, 2, 3].map((i) => shardRuns(runs, { index: i, count: 3 }).map((r) => r.id));
  assert.deepEqual(parts, [['r01', 'r04', 'r07', 'r10'], ['r02', 'r05', 'r08'], ['r03', 'r06', 'r09']]);
  assert.deepEqual(parts.flat().sort(), runs.map((r) => r.id));
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  for (const bad of ['0/3', '4/3', '1/0', 'x', '1-3']) assert.throws(() => parseShard(bad), /--shard: expected I\/N with 1 <= I <= N/);
});
