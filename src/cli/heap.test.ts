import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandStartMs, HEAP_ENV, HeapWatch, heapPlan, poolHeapPlan, relaunchEnv, STARTED_ENV, userChoseHeap } from './heap.js';

const GIB = 2 ** 30;

test('a run within 80 % of the heap fits; above, it is relaunched with estimate / 0.8, unless the user chose the heap or the machine lacks the memory', () => {
  const facts = { limitBytes: 4 * GIB, machineBytes: 24 * GIB, userChoseHeap: false, relaunched: false };
  assert.deepEqual(heapPlan({ ...facts, estimateBytes: 3.2 * GIB }), { kind: 'fits' });
  // 4.8 GiB / 0.8 = 6 GiB = 6144 MiB.
  assert.deepEqual(heapPlan({ ...facts, estimateBytes: 4.8 * GIB }), { kind: 'relaunch', mib: 6144 });
  assert.deepEqual(heapPlan({ ...facts, estimateBytes: 4.8 * GIB, userChoseHeap: true }), { kind: 'refuse', why: 'the heap size given to Node.js (4.0 GiB) is too small' });
  assert.deepEqual(heapPlan({ ...facts, estimateBytes: 4.8 * GIB, relaunched: true }), { kind: 'refuse', why: 'this process may use 4.0 GiB' });
  // 14.4 GiB / 0.8 = 18 GiB = 75 % of 24 GiB: allowed; a byte more is not.
  assert.deepEqual(heapPlan({ ...facts, estimateBytes: 14.4 * GIB }), { kind: 'relaunch', mib: 18432 });
  assert.deepEqual(heapPlan({ ...facts, estimateBytes: 14.4 * GIB + 1 }), { kind: 'refuse', why: "a heap of 18.0 GiB would be more than 75 % of this machine's 24.0 GiB" });
});

test('a pool of runs: each worker gets estimate / 0.8 of heap above the default, and no more workers run than 75 % of the machine holds at that heap', () => {
  const facts = { limitBytes: 4 * GIB, machineBytes: 24 * GIB, userChoseHeap: false };
  // 0.8 GiB a run: 1 GiB of heap each, 18 of them fit in 18 GiB: the 8 asked for run.
  assert.deepEqual(poolHeapPlan({ ...facts, estimateBytes: 0.8 * GIB, workers: 8 }), { kind: 'fits', workers: 8 });
  // 3.2 GiB fits the default heap, but 8 runs of 4 GiB would not fit the machine: 4 at a time.
  assert.deepEqual(poolHeapPlan({ ...facts, estimateBytes: 3.2 * GIB, workers: 8 }), { kind: 'fits', workers: 4 });
  // 4.8 GiB: a heap of 6144 MiB each, 3 of them in 18 GiB.
  assert.deepEqual(poolHeapPlan({ ...facts, estimateBytes: 4.8 * GIB, workers: 8 }), { kind: 'raise', mib: 6144, workers: 3 });
  assert.deepEqual(poolHeapPlan({ ...facts, estimateBytes: 4.8 * GIB, workers: 2 }), { kind: 'raise', mib: 6144, workers: 2 });
  // One run of 18 GiB is the most the machine takes: one worker.
  assert.deepEqual(poolHeapPlan({ ...facts, estimateBytes: 14.4 * GIB, workers: 4 }), { kind: 'raise', mib: 18432, workers: 1 });
  assert.deepEqual(poolHeapPlan({ ...facts, estimateBytes: 14.4 * GIB + 1, workers: 4 }), { kind: 'refuse', why: "a heap of 18.0 GiB would be more than 75 % of this machine's 24.0 GiB" });
  // A heap given to Node.js applies to its workers too: kept, and too small is refused.
  assert.deepEqual(poolHeapPlan({ ...facts, estimateBytes: 4.8 * GIB, workers: 2, userChoseHeap: true }), { kind: 'refuse', why: 'the heap size given to Node.js (4.0 GiB) is too small' });
  assert.deepEqual(poolHeapPlan({ ...facts, limitBytes: 8 * GIB, estimateBytes: 4.8 * GIB, workers: 8, userChoseHeap: true }), { kind: 'fits', workers: 3 });
});

test('the heap counts as chosen when Node.js got --max-old-space-size or --max-heap-size, as an argument or in NODE_OPTIONS', () => {
  const cases: [string[], string | undefined, boolean][] = [
    [[], undefined, false],
    [['--max-old-space-size=6144'], undefined, true],
    [['--max_old_space_size=6144'], '', true],
    [['--max-heap-size=8000'], undefined, true],
    [[], '--max-old-space-size=2048', true],
    [[], '--enable-source-maps --max-old-space-size 2048', true],
    [[], '--max-old-space-size-ish=1', false],
    [['--max-semi-space-size=64'], '--stack-size=2000', false],
  ];
  for (const [argv, options, chosen] of cases) assert.equal(userChoseHeap(argv, options), chosen, `${argv.join(' ')} | ${options}`);
});

test('HeapWatch: less than 10 % of the limit + 64 MiB left on 3 checks in a row stops the run; a collection freeing room in between does not', () => {
  // A 1000 MiB heap: nearly full below 164 MiB available.
  const available = [150, 100, 500, 160, 150, 140, 120];
  let i = 0;
  const watch = new HeapWatch(() => {
    const a = (available[i++] ?? 0) * 2 ** 20;
    return { used_heap_size: 1000 * 2 ** 20 - a, total_available_size: a, heap_size_limit: 1000 * 2 ** 20 };
  });
  assert.deepEqual(available.map(() => watch.nearlyFull()), [false, false, false, false, false, true, true]);
  i = 0;
  assert.equal(watch.usage(), '0.8 GiB of its 1.0 GiB heap');
});

test('a relaunched child counts its wall time from the parent\'s start: the parent passes its timeOrigin, the child turns it into a performance.now() before its own start', () => {
  // The parent started at epoch 1,000,000.5 ms; the child 2,345.25 ms later.
  const env = relaunchEnv(6144, { PATH: '/bin' }, 1_000_000.5);
  assert.deepEqual(env, { PATH: '/bin', [HEAP_ENV]: '6144', [STARTED_ENV]: '1000000.5' });
  assert.equal(commandStartMs(env, 1_002_345.75), -2345.25);
  // Not a relaunched child (no heap variable), a malformed or empty value, or a start after this
  // process's: counted from this process's start.
  assert.equal(commandStartMs({ [STARTED_ENV]: '1000000.5' }, 1_002_345.75), 0);
  assert.equal(commandStartMs({ ...env, [STARTED_ENV]: '' }, 1_002_345.75), 0);
  assert.equal(commandStartMs({ ...env, [STARTED_ENV]: 'yesterday' }, 1_002_345.75), 0);
  assert.equal(commandStartMs({ ...env, [STARTED_ENV]: '1002346' }, 1_002_345.75), 0);
  assert.equal(commandStartMs({}, 1_002_345.75), 0);
});
