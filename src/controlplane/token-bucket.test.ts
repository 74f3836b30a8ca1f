import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './token-bucket.js';

test('a burst passes at once, then requests are spaced 1/qps apart', () => {
  // kube-controller-manager's defaults: 20 QPS, burst 30.
  const b = new TokenBucket(20, 30);
  const waits = Array.from({ length: 33 }, () => b.reserve(0));
  assert.deepEqual(waits.slice(0, 30), Array(30).fill(0));
  assert.deepEqual(waits.slice(30), [50_000, 100_000, 150_000]);
});

test('tokens refill at qps up to the burst', () => {
  const b = new TokenBucket(10, 2);
  assert.equal(b.reserve(0), 0);
  assert.equal(b.reserve(0), 0);
  assert.equal(b.reserve(0), 100_000); // the third waits for the next token
  // 1 s later: the reservation is repaid and the bucket refilled to 2 (no more than the burst).
  assert.equal(b.reserve(1_100_000), 0);
  assert.equal(b.reserve(1_100_000), 0);
  assert.equal(b.reserve(1_100_000), 100_000);
});
