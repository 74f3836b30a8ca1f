import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heapPlan, userChoseHeap } from './heap.js';

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
