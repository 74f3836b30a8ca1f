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

test('a wait longer than the clock can hold saturates at its end (qps 1e-12: a token every 31,700 years)', () => {
  const b = new TokenBucket(1e-12, 1);
  assert.equal(b.reserve(0), 0);
  assert.equal(b.reserve(5_000_000), 9_007_199_249_740_991); // 5 s + wait = MAX_SIM_TIME_US
  assert.equal(b.reserve(5_000_000), 9_007_199_249_740_991);
});

test('waits saturate however many requests queue (qps 0.001, 10 million requests)', () => {
  const b = new TokenBucket(0.001, 1);
  let last = 0;
  for (let i = 0; i < 10_000_000; i++) last = b.reserve(0);
  // The k-th request after the burst waits k × 1e9 µs; from k = 9,007,200 that is past 2^53 − 1.
  assert.equal(last, 9_007_199_254_740_991);
});
